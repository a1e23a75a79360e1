package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinimisationPredictabilityTest {

    /**
     * The hand-worked sequence of MinimisationKnownAnswerTest: recruit 1 ties (scored 1/2, expected
     * 1/2); recruits 2 to 8 each have one minimising arm (expected 0.8 each), taken by all but
     * recruit 3. So 6.5 right against 0.5 + 7 x 0.8 = 6.1 expected and 4 by chance.
     */
    @Test
    void theHandWorkedSequence() {
        MinimisationDesign design = Minimisations.handWorked();
        String[][] recruits = {
            {"female", "north", "control"}, {"female", "south", "treatment"}, {"male", "north", "control"},
            {"female", "north", "treatment"}, {"male", "south", "control"}, {"male", "south", "treatment"},
            {"female", "south", "control"}, {"male", "north", "treatment"}};
        List<RecordedMinimisation> history = new ArrayList<>();
        for (int i = 0; i < recruits.length; i++) {
            history.add(new RecordedMinimisation(MinimisationDesign.UNSTRATIFIED, i + 1, 1,
                    Map.of("sex", recruits[i][0], "area", recruits[i][1]), recruits[i][2], Designs.GO_LIVE, "-"));
        }
        MinimisationPredictability.Stratum all = MinimisationPredictability.of(design, history).get(0);
        assertThat(all.allocations()).isEqualTo(8);
        assertThat(all.correctGuesses()).isCloseTo(6.5, within(1e-12));
        assertThat(all.expectedCorrectGuesses()).isCloseTo(6.1, within(1e-12));
        assertThat(all.chanceCorrectGuesses()).isEqualTo(4.0);
    }

    /** Three arms 2:1:1 with p = 0.7: the exact expectation, worked by the formula by hand. */
    @Test
    void theExpectedScoreFollowsTheRatioAndTies() {
        AllocationRatio ratio = AllocationRatio.of(List.of("a", "b", "c"), 2, 1, 1);
        MinimisationVersion version = Minimisations.version(1, Designs.GO_LIVE, ratio, Minimisations.weights("area", 1),
                ImbalanceMeasure.RANGE, "0.7");
        // One minimising arm a: P(a) = 0.7.
        assertThat(MinimisationPredictability.expectedScore(version, new boolean[] {true, false, false}))
                .isCloseTo(0.7, within(1e-12));
        // a and b tie: preferred a with 2/3, b with 1/3. P(a) = 2/3 x 0.7 + 1/3 x 0.3 x 2/3 = 0.5333...;
        // P(b) = 1/3 x 0.7 + 2/3 x 0.3 x 1/2 = 0.3333...; the guess scores (P(a) + P(b)) / 2.
        double pa = 2.0 / 3 * 0.7 + 1.0 / 3 * 0.3 * 2.0 / 3;
        double pb = 1.0 / 3 * 0.7 + 2.0 / 3 * 0.3 * 1.0 / 2;
        assertThat(MinimisationPredictability.expectedScore(version, new boolean[] {true, true, false}))
                .isCloseTo((pa + pb) / 2, within(1e-12));
        // Every arm ties: drawn by ratio, and a guess among three scores 1/3.
        assertThat(MinimisationPredictability.expectedScore(version, new boolean[] {true, true, true}))
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    /** Over 200 seeds, the realised guesses agree with the expectation within 4 standard errors. */
    @Test
    void realisedGuessesMatchTheExpectationOverManySequences() {
        for (AllocationRatio ratio : List.of(Designs.ratio(1, 1), Designs.ratio(2, 1))) {
            MinimisationDesign design = Minimisations.bySite(ratio, ImbalanceMeasure.RANGE, "0.8");
            double correct = 0;
            double expected = 0;
            long allocations = 0;
            for (long seed = 0; seed < 200; seed++) {
                MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
                SplittableRandom random = new SplittableRandom(seed);
                List<RecordedMinimisation> history = new ArrayList<>();
                for (Stratum stratum : design.strata()) {
                    MarginalTotals totals = new MarginalTotals(design);
                    for (int i = 0; i < 100; i++) {
                        Map<String, String> levels = Minimisations.recruit(design, random);
                        Instant at = Designs.GO_LIVE.plusSeconds(i);
                        MinimisedAllocation allocation = randomiser.allocate(design, stratum, i + 1, levels, totals, at);
                        totals.add(levels, allocation.arm());
                        history.add(RecordedMinimisation.of(allocation, at));
                    }
                }
                for (MinimisationPredictability.Stratum stratum : MinimisationPredictability.of(design, history)) {
                    correct += stratum.correctGuesses();
                    expected += stratum.expectedCorrectGuesses();
                    allocations += stratum.allocations();
                }
            }
            double standardError = 0.5 / Math.sqrt(allocations);
            assertThat(correct / allocations).as("ratio %s: realised against expected guess rate", ratio)
                    .isCloseTo(expected / allocations, within(4 * standardError));
            assertThat(expected / allocations).as("ratio %s", ratio).isBetween(0.6, 0.8);
        }
    }
}
