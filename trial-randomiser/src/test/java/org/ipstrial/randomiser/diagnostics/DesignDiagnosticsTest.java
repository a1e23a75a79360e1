package org.ipstrial.randomiser.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;
import org.junit.jupiter.api.Test;

class DesignDiagnosticsTest {

    private static final List<String> ARMS = List.of("treatment", "control");
    private static final Stratum STRATUM = Stratum.of("A", "A-OOW");
    private static final long SEED = 20260105L;

    private static DesignVersion version(int treatment, int control, int... sizeWeightPairs) {
        List<BlockSizeChoice> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < sizeWeightPairs.length; i += 2) {
            sizes.add(new BlockSizeChoice(sizeWeightPairs[i], sizeWeightPairs[i + 1]));
        }
        return new DesignVersion(1, Instant.parse("2026-01-05T09:00:00Z"), ARMS,
                AllocationRatio.of(ARMS, treatment, control), Map.of(), sizes);
    }

    private static SchemeDiagnostics simulate(DesignVersion version, int recruits, int replications) {
        return DesignDiagnostics.simulate(version, List.of(STRATUM), recruits, replications, SEED);
    }

    @Test
    void theClosedFormsAgreeWithEnumeratingEveryOrderOfABlock() {
        for (int size = 2; size <= 10; size += 2) {
            double[] enumerated = Enumeration.guessRateAndCertainShare(size);
            assertThat(ClosedForm.convergenceGuessRate(size)).as("guess rate, block %d", size)
                    .isCloseTo(enumerated[0], within(1e-12));
            assertThat(ClosedForm.certainShare(size)).as("certain share, block %d", size)
                    .isCloseTo(enumerated[1], within(1e-12));
        }
        assertThat(ClosedForm.convergenceGuessRate(4)).isCloseTo(17.0 / 24, within(1e-12));
        assertThat(ClosedForm.certainShare(4)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void fixedBlockSimulationsMatchTheirClosedForms() {
        for (int size : new int[] {2, 4, 6, 8}) {
            SchemeDiagnostics diagnostics = simulate(version(1, 1, size, 1), size * 24, 1_000);
            double guessRate = diagnostics.closedFormGuessRate().orElseThrow();
            double certainShare = diagnostics.closedFormCertainShare().orElseThrow();
            // Four standard errors: a fair simulation strays further about once in 16,000 checks.
            assertThat(diagnostics.correctGuessRate().mean()).as("seed %d, fixed blocks of %d: guess rate", SEED, size)
                    .isCloseTo(guessRate, within(4 * diagnostics.correctGuessRate().standardError()));
            assertThat(diagnostics.certainShare().mean()).as("seed %d, fixed blocks of %d: certain share", SEED, size)
                    .isCloseTo(certainShare, within(4 * diagnostics.certainShare().standardError()));
            assertThat(diagnostics.finalImbalance().maximum()).as("whole blocks end balanced").isZero();
            assertThat(diagnostics.largestImbalance().maximum()).isEqualTo(size / 2.0);
        }
    }

    @Test
    void randomBlockSizesBarelyMoveTheGuessRateButMakeFewAllocationsCertain() {
        SchemeDiagnostics fixedFour = simulate(version(1, 1, 4, 1), 240, 1_000);
        SchemeDiagnostics random = simulate(version(1, 1, 2, 1, 4, 1, 6, 1), 240, 1_000);

        assertThat(fixedFour.correctGuessRate().mean()).isCloseTo(0.708, within(0.01));
        assertThat(random.correctGuessRate().mean()).as("seed %d", SEED)
                .isCloseTo(fixedFour.correctGuessRate().mean(), within(0.04));
        assertThat(fixedFour.certainShare().mean()).isCloseTo(1.0 / 3, within(0.01));
        assertThat(random.certainShare().mean()).as("seed %d", SEED).isBetween(0.01, 0.08);
        assertThat(random.closedFormGuessRate()).isEmpty();
        assertThat(random.largestImbalance().maximum()).isLessThanOrEqualTo(3);
    }

    @Test
    void aRecruiterIsCertainOnlyWhenEveryPartitionOfThePastForcesTheSameArm() {
        AllocationRatio equal = AllocationRatio.equal(ARMS);
        // Sizes 2 and 4: after T T no cut works but "one block of 4 so far", which needs C next.
        CertaintyTracker tracker = new CertaintyTracker(ARMS, equal, sizes(2, 4), 10);
        assertThat(tracker.nextIsCertain()).isFalse();
        tracker.record(0);
        assertThat(tracker.nextIsCertain()).isFalse();
        tracker.record(0);
        assertThat(tracker.nextIsCertain()).isTrue();
        tracker.record(1);
        assertThat(tracker.nextIsCertain()).isTrue();
        tracker.record(1);
        // T T C C is a complete block of 4: a new block may start with either arm.
        assertThat(tracker.nextIsCertain()).isFalse();
        // After T C a block of 2 may have ended, or a block of 4 may be half done: not certain.
        CertaintyTracker other = new CertaintyTracker(ARMS, equal, sizes(2, 4), 10);
        other.record(0);
        other.record(1);
        assertThat(other.nextIsCertain()).isFalse();
        other.record(1);
        // T C C: either a block of 2 then C (any size next), or a block of 4 needing T: not certain.
        assertThat(other.nextIsCertain()).isFalse();
    }

    @Test
    void theConvergenceGuessFollowsTheRatio() {
        AllocationRatio twoToOne = AllocationRatio.of(ARMS, 2, 1);
        // 1 treatment, 0 control: treatment is at 1/2 of its weight, control at 0: guess control.
        assertThat(Guesser.expectedScore(ARMS, twoToOne, new long[] {1, 0}, 1)).isEqualTo(1.0);
        // 2 treatment, 1 control: both at 1 per unit of weight: a coin toss.
        assertThat(Guesser.expectedScore(ARMS, twoToOne, new long[] {2, 1}, 0)).isEqualTo(0.5);
        assertThat(Guesser.expectedScore(ARMS, twoToOne, new long[] {0, 1}, 1)).isEqualTo(0.0);
    }

    @Test
    void theReportCoversEverySchemeOfTheDesignAndReadsAsText() {
        DesignVersion version = new DesignVersion(1, Instant.parse("2026-01-05T09:00:00Z"), ARMS,
                AllocationRatio.equal(ARMS), Map.of(Stratum.of("B", "B-OOW"), AllocationRatio.of(ARMS, 2, 1)),
                sizes(2, 4, 6), Map.of(Stratum.of("B", "B-OOW"), sizes(3, 6)));
        RandomisationDesign design = new RandomisationDesign("demo", List.of("site", "trial_group"),
                List.of(STRATUM, Stratum.of("A", "A-IW"), Stratum.of("B", "B-OOW")), List.of(version));

        DiagnosticsReport report = DesignDiagnostics.of(design, version, 60, 200, SEED);

        assertThat(report.schemes()).hasSize(2);
        assertThat(report.schemes().get(0).strata()).containsExactly(STRATUM, Stratum.of("A", "A-IW"));
        assertThat(report.render())
                .contains("Design diagnostics: demo, version 1")
                .contains("Strata: A/A-OOW, A/A-IW")
                .contains("Strata: B/B-OOW")
                .contains("ratio treatment:control = 2:1")
                .contains("correct guesses, convergence strategy: 0.");
        assertThat(DesignDiagnostics.of(design, version, 60, 200, SEED)).as("reproducible from its seed")
                .isEqualTo(report);
    }

    private static List<BlockSizeChoice> sizes(int... sizes) {
        return java.util.Arrays.stream(sizes).mapToObj(size -> new BlockSizeChoice(size, 1)).toList();
    }

    /** Exhaustive check of the closed forms: every order of a 1:1 block, equally likely. */
    private static final class Enumeration {

        static double[] guessRateAndCertainShare(int size) {
            int m = size / 2;
            double correct = 0;
            double certain = 0;
            int orders = 0;
            for (int bits = 0; bits < 1 << size; bits++) {
                if (Integer.bitCount(bits) != m) {
                    continue;
                }
                orders++;
                int treatment = 0;
                int control = 0;
                for (int i = 0; i < size; i++) {
                    boolean isTreatment = (bits >> i & 1) == 1;
                    if (treatment == control) {
                        correct += 0.5;
                    } else if ((treatment < control) == isTreatment) {
                        correct += 1;
                    }
                    if (treatment == m || control == m) {
                        certain += 1;
                    }
                    if (isTreatment) {
                        treatment++;
                    } else {
                        control++;
                    }
                }
            }
            return new double[] {correct / orders / size, certain / orders / size};
        }
    }
}
