package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors for minimisation. The random element (the first draw c below 1,000,000 and
 * any tie or other-arm draw) comes from the Python reference in docs/randomisation.md, run with
 * the standard library's hmac, not from this code; the imbalances are worked by hand below.
 */
class MinimisationKnownAnswerTest {

    private final MinimisationRandomiser randomiser = new MinimisationRandomiser(KnownAnswerTest.SECRET);

    /**
     * Design: no stratification (stratum "all"), 1:1, range, p = 0.8, sex weight 1, area weight 2.
     * G(arm) = 1 x range of the sex level's totals + 2 x range of the area level's totals, had the
     * recruit gone to that arm. Totals are written T/C.
     *
     * <pre>
     * n recruit       sex level  area level  G(treatment)        G(control)          c       -> arm
     * 1 female north  F 0/0      N 0/0       1 + 2x1 = 3         1 + 2x1 = 3         927221  tie: drawn by ratio -> control
     * 2 female south  F 0/1      S 0/0       0 + 2x1 = 2         2 + 2x1 = 4         139759  < 800000: minimising -> treatment
     * 3 male north    M 0/0      N 0/1       1 + 2x0 = 1         1 + 2x2 = 5         979905  >= 800000: other -> control
     * 4 female north  F 1/1      N 0/2       1 + 2x1 = 3         1 + 2x3 = 7         682729  minimising -> treatment
     * 5 male south    M 0/1      S 1/0       0 + 2x2 = 4         2 + 2x0 = 2         438195  minimising -> control
     * 6 male south    M 0/2      S 1/1       1 + 2x1 = 3         3 + 2x1 = 5         28167   minimising -> treatment
     * 7 female south  F 2/1      S 2/1       2 + 2x2 = 6         0 + 2x0 = 0         440178  minimising -> control
     * 8 male north    M 1/2      N 1/2       0 + 2x0 = 0         2 + 2x2 = 6         77443   minimising -> treatment
     * </pre>
     * After 8: every level 2/2.
     */
    @Test
    void theHandWorkedSequence() {
        MinimisationDesign design = Minimisations.handWorked();
        String[][] recruits = {
            {"female", "north"}, {"female", "south"}, {"male", "north"}, {"female", "north"},
            {"male", "south"}, {"male", "south"}, {"female", "south"}, {"male", "north"}};
        long[][] expectedScores = {{3, 3}, {2, 4}, {1, 5}, {3, 7}, {4, 2}, {3, 5}, {6, 0}, {0, 6}};
        int[] expectedCoins = {927221, 139759, 979905, 682729, 438195, 28167, 440178, 77443};
        List<String> expectedArms = List.of(
                "control", "treatment", "control", "treatment", "control", "treatment", "control", "treatment");
        List<MinimisedAllocation.Decision> expectedDecisions = List.of(
                MinimisedAllocation.Decision.ALL_ARMS_TIED, MinimisedAllocation.Decision.MINIMISING_ARM,
                MinimisedAllocation.Decision.OTHER_ARM, MinimisedAllocation.Decision.MINIMISING_ARM,
                MinimisedAllocation.Decision.MINIMISING_ARM, MinimisedAllocation.Decision.MINIMISING_ARM,
                MinimisedAllocation.Decision.MINIMISING_ARM, MinimisedAllocation.Decision.MINIMISING_ARM);

        MarginalTotals totals = new MarginalTotals(design);
        List<String> arms = new ArrayList<>();
        for (int i = 0; i < recruits.length; i++) {
            Map<String, String> levels = Map.of("sex", recruits[i][0], "area", recruits[i][1]);
            MinimisedAllocation allocation = randomiser.allocate(design, design.version(1),
                    MinimisationDesign.UNSTRATIFIED, i + 1, levels, totals);
            assertThat(allocation.imbalanceIfAllocated()).as("recruit %d", i + 1)
                    .containsExactly(Map.entry("treatment", expectedScores[i][0]), Map.entry("control", expectedScores[i][1]));
            assertThat(randomiser.coin(MinimisationDesign.UNSTRATIFIED, i + 1, 1)).as("recruit %d: c", i + 1)
                    .isEqualTo(expectedCoins[i]);
            assertThat(allocation.decision()).as("recruit %d", i + 1).isEqualTo(expectedDecisions.get(i));
            totals.add(levels, allocation.arm());
            arms.add(allocation.arm());
        }
        assertThat(arms).isEqualTo(expectedArms);
        for (MinimisationFactor factor : design.factors()) {
            for (String level : factor.levels()) {
                assertThat(totals.count(factor.name(), level, "treatment")).as("%s %s", factor.name(), level).isEqualTo(2);
                assertThat(totals.count(factor.name(), level, "control")).as("%s %s", factor.name(), level).isEqualTo(2);
            }
        }
    }

    /** The seals of the first and last hand-worked allocations, from the Python reference's seal(). */
    @Test
    void theSealsAreKnown() {
        MinimisationDesign design = Minimisations.handWorked();
        assertThat(randomiser.seal(design, MinimisationDesign.UNSTRATIFIED, 1, 1,
                Map.of("sex", "female", "area", "north"), "control"))
                .isEqualTo("41369602f61c53c1e2a455d5958e12804d2e51dccffb19ca3ee8ef3fa2420da5");
        assertThat(randomiser.seal(design, MinimisationDesign.UNSTRATIFIED, 8, 1,
                Map.of("area", "north", "sex", "male"), "treatment"))
                .isEqualTo("d79a20ce6a8da03c16d609038a188ad7f7110a5efdfa3a21fc0a8aba6ea2ddd6");
        MinimisedAllocation first = randomiser.allocate(design, design.version(1), MinimisationDesign.UNSTRATIFIED, 1,
                Map.of("sex", "female", "area", "north"), new MarginalTotals(design));
        assertThat(first.seal()).isEqualTo("41369602f61c53c1e2a455d5958e12804d2e51dccffb19ca3ee8ef3fa2420da5");
    }

    /**
     * 2:1, variance, p = 0.75, stratum A, design version 2, sex weight 1, work weight 3. Adjusted
     * totals are treatment x 1 and control x 2 (L = 2), and a level's variance is 2 x sum of
     * squares - (sum)^2. Recruit 1 (female, yes), to treatment: each level (1, 0): 2 x 1 - 1 = 1,
     * so G = 1 + 3 x 1 = 4; to control: (0, 2): 2 x 4 - 4 = 4, so G = 4 + 3 x 4 = 16. Later rows
     * from the Python reference.
     */
    @Test
    void twoToOneWithTheVarianceInStratumAUnderVersionTwo() {
        MinimisationFactor work = new MinimisationFactor("work", List.of("yes", "no"));
        MinimisationVersion first = Minimisations.version(1, Designs.GO_LIVE, Designs.ratio(2, 1),
                Minimisations.weights("sex", 1, "work", 3), ImbalanceMeasure.VARIANCE, "0.75");
        MinimisationVersion second = new MinimisationVersion(2, Designs.GO_LIVE.plusSeconds(86_400), first.arms(),
                first.ratio(), first.factorWeights(), first.measure(), new BigDecimal("0.750"));
        MinimisationDesign design = new MinimisationDesign("two-to-one", List.of("site"),
                List.of(Stratum.of("A"), Stratum.of("B")), List.of(Minimisations.SEX, work), List.of(first, second));
        String[][] recruits = {{"female", "yes"}, {"male", "no"}, {"male", "yes"}, {"female", "no"}, {"female", "yes"},
            {"male", "yes"}, {"male", "no"}, {"female", "no"}, {"female", "yes"}, {"male", "no"}, {"female", "no"},
            {"male", "yes"}};
        List<String> expected = List.of("treatment", "treatment", "control", "control", "treatment", "control",
                "treatment", "treatment", "treatment", "treatment", "control", "treatment");
        long[][] someScores = {{4, 16}, {4, 16}, {16, 4}, {16, 4}, {0, 36}, {3, 21}};

        MarginalTotals totals = new MarginalTotals(design);
        List<String> arms = new ArrayList<>();
        for (int i = 0; i < recruits.length; i++) {
            Map<String, String> levels = Map.of("sex", recruits[i][0], "work", recruits[i][1]);
            MinimisedAllocation allocation = randomiser.allocate(design, second, Stratum.of("A"), i + 1, levels, totals);
            if (i < someScores.length) {
                assertThat(allocation.imbalanceIfAllocated().values()).as("recruit %d", i + 1)
                        .containsExactly(someScores[i][0], someScores[i][1]);
            }
            totals.add(levels, allocation.arm());
            arms.add(allocation.arm());
        }
        assertThat(arms).isEqualTo(expected);
        assertThat(randomiser.coin(Stratum.of("A"), 6, 2)).as("recruit 6 leaves the minimising arm").isEqualTo(826146);
    }

    /** Three arms 1:1:1, one factor, range, p = 0.7: ties among two of three arms are drawn between them. */
    @Test
    void threeArmsWithPartialTies() {
        AllocationRatio ratio = AllocationRatio.of(List.of("a", "b", "c"), 1, 1, 1);
        MinimisationDesign design = new MinimisationDesign("three-arms", List.of(),
                List.of(MinimisationDesign.UNSTRATIFIED), List.of(Minimisations.AREA), List.of(Minimisations.version(1,
                        Designs.GO_LIVE, ratio, Minimisations.weights("area", 1), ImbalanceMeasure.RANGE, "0.7")));
        String[] areas = {"north", "north", "south", "north", "south", "south", "north", "north", "south"};
        MarginalTotals totals = new MarginalTotals(design);
        List<String> arms = new ArrayList<>();
        List<List<String>> minimising = new ArrayList<>();
        for (int i = 0; i < areas.length; i++) {
            Map<String, String> levels = Map.of("area", areas[i]);
            MinimisedAllocation allocation = randomiser.allocate(design, design.version(1),
                    MinimisationDesign.UNSTRATIFIED, i + 1, levels, totals);
            totals.add(levels, allocation.arm());
            arms.add(allocation.arm());
            minimising.add(allocation.minimisingArms());
        }
        assertThat(String.join(",", arms)).isEqualTo("a,b,a,c,b,c,a,c,a");
        // Recruit 2 (north after a): b and c both give range 1, a gives 2: b drawn between them.
        assertThat(minimising.get(1)).containsExactly("b", "c");
    }
}
