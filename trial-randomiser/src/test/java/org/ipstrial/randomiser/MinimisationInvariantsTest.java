package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Invariants of minimisation over many secrets and recruit streams. Every assertion names the
 * seed: the secret is {@code Designs.secret(seed)} and the recruits come from
 * {@code new SplittableRandom(seed)}.
 */
class MinimisationInvariantsTest {

    private static final int SEEDS = 200;
    private static final int RECRUITS = 150;

    /** Allocates a stream of recruits in one stratum; returns the arms. */
    private static List<String> run(MinimisationRandomiser randomiser, MinimisationDesign design, Stratum stratum,
            List<Map<String, String>> recruits, MarginalTotals totals) {
        List<String> arms = new ArrayList<>();
        for (Map<String, String> levels : recruits) {
            MinimisedAllocation allocation = randomiser.allocate(design, design.version(1), stratum,
                    totals.allocations() + 1, levels, totals);
            totals.add(levels, allocation.arm());
            arms.add(allocation.arm());
        }
        return arms;
    }

    private static List<Map<String, String>> recruits(MinimisationDesign design, long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, String>> recruits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recruits.add(Minimisations.recruit(design, random));
        }
        return recruits;
    }

    /**
     * The bound the diagnostics report holds for sequences they never saw: over 300 fresh secrets and
     * recruit streams, each factor's final trial-wide imbalance exceeds the diagnostics' 99th
     * percentile (600 simulated trials under another seed) no more often than Binomial(300, 0.01)
     * allows at its 99.9th percentile.
     */
    @Test
    void marginalImbalanceStaysWithinTheBoundTheDiagnosticsReport() {
        MinimisationDesign design = Minimisations.bySite(Designs.ratio(1, 1), ImbalanceMeasure.RANGE, "0.8");
        int perStratum = 50;
        int seeds = 300;
        org.ipstrial.randomiser.diagnostics.MinimisationDiagnosticsReport report =
                org.ipstrial.randomiser.diagnostics.MinimisationDiagnostics.of(design, design.version(1), perStratum, 600,
                        99, Designs.sizes(2, 1, 4, 2, 6, 1));
        Map<String, org.ipstrial.randomiser.diagnostics.ImbalanceSummary> bounds = report.scheme(
                org.ipstrial.randomiser.diagnostics.MinimisationDiagnostics.Scheme.MINIMISATION).finalImbalanceByFactor();
        int allowed = new org.apache.commons.math3.distribution.BinomialDistribution(null, seeds, 0.01)
                .inverseCumulativeProbability(0.999);
        Map<String, Integer> exceeded = new java.util.LinkedHashMap<>();
        bounds.keySet().forEach(factor -> exceeded.put(factor, 0));
        for (long seed = 0; seed < seeds; seed++) {
            MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
            Map<String, long[]> byLevel = new java.util.HashMap<>(); // "factor=level" -> {treatment, control}
            for (Stratum stratum : design.strata()) {
                MarginalTotals totals = new MarginalTotals(design);
                List<String> arms = run(randomiser, design, stratum, recruits(design, seed * 31 + stratum.hashCode(), perStratum), totals);
                for (String arm : arms) {
                    byLevel.computeIfAbsent("site=" + stratum.key(), k -> new long[2])[arm.equals("treatment") ? 0 : 1]++;
                }
                for (MinimisationFactor factor : design.factors()) {
                    for (String level : factor.levels()) {
                        long[] counts = byLevel.computeIfAbsent(factor.name() + "=" + level, k -> new long[2]);
                        counts[0] += totals.count(factor.name(), level, "treatment");
                        counts[1] += totals.count(factor.name(), level, "control");
                    }
                }
            }
            for (Map.Entry<String, org.ipstrial.randomiser.diagnostics.ImbalanceSummary> bound : bounds.entrySet()) {
                long largest = byLevel.entrySet().stream().filter(e -> e.getKey().startsWith(bound.getKey() + "="))
                        .mapToLong(e -> Math.abs(e.getValue()[0] - e.getValue()[1])).max().orElseThrow();
                if (largest > bound.getValue().percentile99()) {
                    exceeded.merge(bound.getKey(), 1, Integer::sum);
                }
            }
        }
        System.out.printf("99th percentiles %s; exceeded by %s of %d seeds (at most %d allowed)%n",
                bounds.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().percentile99()).toList(), exceeded,
                seeds, allowed);
        exceeded.forEach((factor, count) -> assertThat(count)
                .as("seeds 0 to %d: %s beyond the diagnostics' 99th percentile %s", seeds - 1, factor,
                        bounds.get(factor).percentile99())
                .isLessThanOrEqualTo(allowed));
        assertThat(bounds).containsOnlyKeys("site", "sex", "area", "work_last_2y");
    }

    /** With p = 1 and one factor, minimisation is a block of two per level: no level ever strays past 1. */
    @Test
    void deterministicMinimisationOverOneFactorKeepsEveryLevelWithinOne() {
        MinimisationDesign design = new MinimisationDesign("one-factor", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                List.of(Minimisations.WORK), List.of(Minimisations.version(1, Designs.GO_LIVE, Designs.ratio(1, 1),
                        Minimisations.weights("work_last_2y", 1), ImbalanceMeasure.RANGE, "1")));
        for (long seed = 0; seed < SEEDS; seed++) {
            MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
            MarginalTotals totals = new MarginalTotals(design);
            for (Map<String, String> levels : recruits(design, seed, RECRUITS)) {
                MinimisedAllocation allocation = randomiser.allocate(design, design.version(1),
                        MinimisationDesign.UNSTRATIFIED, totals.allocations() + 1, levels, totals);
                totals.add(levels, allocation.arm());
                for (String level : Minimisations.WORK.levels()) {
                    long gap = totals.count("work_last_2y", level, "treatment") - totals.count("work_last_2y", level, "control");
                    assertThat(Math.abs(gap)).as("seed %d after %d: level %s", seed, totals.allocations(), level)
                            .isLessThanOrEqualTo(1);
                }
            }
        }
    }

    /** When one arm minimises, it is taken with probability p: the share over 30,000 draws is within 4 standard errors. */
    @Test
    void theMinimisingArmIsTakenWithTheDesignsProbability() {
        for (String probability : new String[] {"0.8", "0.65", "0.95"}) {
            MinimisationDesign design = Minimisations.bySite(Designs.ratio(1, 1), ImbalanceMeasure.RANGE, probability);
            double p = Double.parseDouble(probability);
            long untied = 0;
            long followed = 0;
            for (long seed = 0; seed < SEEDS; seed++) {
                MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
                MarginalTotals totals = new MarginalTotals(design);
                for (Map<String, String> levels : recruits(design, seed, RECRUITS)) {
                    MinimisedAllocation allocation = randomiser.allocate(design, design.version(1), Stratum.of("A"),
                            totals.allocations() + 1, levels, totals);
                    totals.add(levels, allocation.arm());
                    if (allocation.decision() != MinimisedAllocation.Decision.ALL_ARMS_TIED) {
                        untied++;
                        if (allocation.decision() == MinimisedAllocation.Decision.MINIMISING_ARM) {
                            followed++;
                            assertThat(allocation.minimisingArms()).as("seed %d", seed).contains(allocation.arm());
                        } else {
                            assertThat(allocation.minimisingArms()).as("seed %d", seed).doesNotContain(allocation.arm());
                        }
                    }
                }
            }
            double share = (double) followed / untied;
            double standardError = Math.sqrt(p * (1 - p) / untied);
            assertThat(Math.abs(share - p)).as("p = %s: %d of %d untied allocations took the minimising arm",
                    probability, followed, untied).isLessThan(4 * standardError);
        }
    }

    /**
     * At 2:1 the adjusted totals keep treatment near twice control, and when every arm ties the arm
     * is drawn with the ratio's probabilities, so about 2/3 of tied allocations go to treatment.
     * (At 2:1 with range, one level's G(treatment) - G(control) is odd: an odd number of factors of
     * weight 1 never ties, so this design has two.)
     */
    @Test
    void tiesAreDrawnWithTheRatiosProbabilitiesAndTheRatioIsKept() {
        MinimisationDesign design = new MinimisationDesign("two-to-one", List.of("site"),
                List.of(Stratum.of("A"), Stratum.of("B")), List.of(Minimisations.SEX, Minimisations.WORK),
                List.of(Minimisations.version(1, Designs.GO_LIVE, Designs.ratio(2, 1),
                        Minimisations.weights("sex", 1, "work_last_2y", 1), ImbalanceMeasure.RANGE, "0.8")));
        long tied = 0;
        long tiedToTreatment = 0;
        long treatment = 0;
        long allocated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
            MarginalTotals totals = new MarginalTotals(design);
            long t = 0;
            for (Map<String, String> levels : recruits(design, seed, RECRUITS)) {
                MinimisedAllocation allocation = randomiser.allocate(design, design.version(1), Stratum.of("B"),
                        totals.allocations() + 1, levels, totals);
                totals.add(levels, allocation.arm());
                boolean toTreatment = allocation.arm().equals("treatment");
                t += toTreatment ? 1 : 0;
                if (allocation.decision() == MinimisedAllocation.Decision.ALL_ARMS_TIED) {
                    tied++;
                    tiedToTreatment += toTreatment ? 1 : 0;
                }
            }
            // 150 at 2:1 is 100 to treatment; minimisation keeps the split close.
            assertThat(Math.abs(t - 100)).as("seed %d: treatment after %d at 2:1", seed, RECRUITS).isLessThanOrEqualTo(8);
            treatment += t;
            allocated += RECRUITS;
        }
        double standardError = Math.sqrt(2.0 / 9 / tied);
        assertThat(tied).as("ties happen at 2:1 with two factors").isGreaterThan(500);
        assertThat(Math.abs(tiedToTreatment / (double) tied - 2.0 / 3)).as("tied allocations to treatment: %d of %d",
                tiedToTreatment, tied).isLessThan(4 * standardError);
        assertThat(treatment / (double) allocated).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void theSameSecretAndRecruitsGiveTheSameArmsAndAnotherSecretOthers() {
        MinimisationDesign design = Minimisations.bySite(Designs.ratio(1, 1), ImbalanceMeasure.VARIANCE, "0.8");
        List<String> previous = null;
        for (long seed = 0; seed < SEEDS; seed++) {
            List<Map<String, String>> recruits = recruits(design, 7, 100);
            List<String> first = run(new MinimisationRandomiser(Designs.secret(seed)), design, Stratum.of("A"), recruits,
                    new MarginalTotals(design));
            List<String> again = run(new MinimisationRandomiser(Designs.secret(seed)), design, Stratum.of("A"), recruits,
                    new MarginalTotals(design));
            assertThat(again).as("seed %d regenerated", seed).isEqualTo(first);
            if (previous != null) {
                assertThat(first).as("seed %d against seed %d, same recruits", seed, seed - 1).isNotEqualTo(previous);
            }
            previous = first;
        }
    }

    /** Each stratum has its own totals and sequence: another stratum's recruits never move it. */
    @Test
    void strataAreIndependent() {
        MinimisationDesign design = Minimisations.bySite(Designs.ratio(1, 1), ImbalanceMeasure.RANGE, "0.8");
        for (long seed = 0; seed < SEEDS; seed++) {
            MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(seed));
            List<Map<String, String>> recruits = recruits(design, seed, 60);
            List<String> alone = run(randomiser, design, Stratum.of("A"), recruits, new MarginalTotals(design));
            MarginalTotals a = new MarginalTotals(design);
            MarginalTotals b = new MarginalTotals(design);
            List<String> interleaved = new ArrayList<>();
            for (Map<String, String> levels : recruits) {
                run(randomiser, design, Stratum.of("B"), List.of(levels), b);
                interleaved.addAll(run(randomiser, design, Stratum.of("A"), List.of(levels), a));
            }
            assertThat(interleaved).as("seed %d", seed).isEqualTo(alone);
        }
    }

    /** A new version applies from the next allocation: allocations at or after its time use it. */
    @Test
    void aVersionChangeAppliesFromTheNextAllocation() {
        MinimisationVersion one = Minimisations.version(1, Designs.GO_LIVE, Designs.ratio(1, 1),
                Minimisations.weights("sex", 1, "area", 1), ImbalanceMeasure.RANGE, "0.8");
        Instant change = Designs.GO_LIVE.plusSeconds(3_600);
        MinimisationVersion two = Minimisations.version(2, change, Designs.ratio(1, 1),
                Minimisations.weights("sex", 0, "area", 1), ImbalanceMeasure.RANGE, "0.9");
        MinimisationDesign design = new MinimisationDesign("changing", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                List.of(Minimisations.SEX, Minimisations.AREA), List.of(one, two));
        MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(3));
        MarginalTotals totals = new MarginalTotals(design);
        Map<String, String> levels = Map.of("sex", "male", "area", "north");
        MinimisedAllocation before = randomiser.allocate(design, MinimisationDesign.UNSTRATIFIED, 1, levels, totals,
                change.minusNanos(1000));
        totals.add(levels, before.arm());
        MinimisedAllocation after = randomiser.allocate(design, MinimisationDesign.UNSTRATIFIED, 2, levels, totals, change);
        assertThat(before.designVersion()).isEqualTo(1);
        assertThat(after.designVersion()).isEqualTo(2);
        assertThatThrownBy(() -> randomiser.allocate(design, MinimisationDesign.UNSTRATIFIED, 1, levels,
                new MarginalTotals(design), Designs.GO_LIVE.minusSeconds(1)))
                .hasMessageContaining("no version of design changing is in force");
    }

    @Test
    void totalsThatDoNotMatchTheSequenceAndUnknownLevelsAreRefused() {
        MinimisationDesign design = Minimisations.handWorked();
        MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(1));
        MarginalTotals totals = new MarginalTotals(design);
        Map<String, String> levels = Map.of("sex", "female", "area", "north");
        assertThatThrownBy(() -> randomiser.allocate(design, design.version(1), MinimisationDesign.UNSTRATIFIED, 2, levels, totals))
                .hasMessageContaining("the totals hold 0 allocations, so the next sequence is 1, not 2");
        assertThatThrownBy(() -> randomiser.allocate(design, design.version(1), MinimisationDesign.UNSTRATIFIED, 1,
                Map.of("sex", "other", "area", "north"), totals))
                .hasMessageContaining("factor sex: 'other' is not one of its levels [female, male]");
        assertThatThrownBy(() -> randomiser.allocate(design, design.version(1), MinimisationDesign.UNSTRATIFIED, 1,
                Map.of("area", "north"), totals)).hasMessageContaining("factor sex: no level given");
        assertThatThrownBy(() -> randomiser.allocate(design, design.version(1), MinimisationDesign.UNSTRATIFIED, 1,
                Map.of("sex", "male", "area", "north", "age", "old"), totals))
                .hasMessageContaining("factor age is not a minimisation factor");
        assertThatThrownBy(() -> randomiser.allocate(design, design.version(1), Stratum.of("A"), 1, levels, totals))
                .hasMessageContaining("stratum A is not a stratum of design hand-worked");
    }
}
