package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planted effects are in the latent data: each person's two potential outcomes differ by the
 * planted effect on average, and the difference in means between the arms recovers it within a
 * few standard errors.
 */
class PlantedEffectsTest {
    private static final long SEED = 51;
    static SimulatedTrial trial;
    static List<TrueEffects.Row> rows;

    @BeforeAll
    static void simulate() {
        trial = TrialSimulator.simulate(SimulationConfig.read(Fixtures.REFERENCE).with(SEED, 0.3));
        rows = TrueEffects.compute(trial);
    }

    private static TrueEffects.Row row(String group, String outcome) {
        return rows.stream().filter(r -> r.analysisGroup().equals(group) && r.outcome().equals(outcome)).findFirst().orElseThrow();
    }

    @Test
    void sampleEffectsAreThePlantedOnes() {
        for (TrueEffects.Row r : rows) {
            int size = r.nTreatment() + r.nControl();
            double tolerance = switch (r.outcome()) {
                // Whether a person's job flips is a coin with the planted probability: binomial noise.
                case "employed_13wk_12m" -> Fixtures.tolerance(Math.abs(r.planted()) + 0.01, size, 4);
                // Calibrated exactly, to the penny.
                case "earnings_12m" -> 0.01;
                // Calibrated on a step function, group by group: within a step of one person per group.
                default -> memberGroups(r.analysisGroup()) / (double) size + 1e-6;
            };
            assertThat(r.sampleAte()).as("%s %s (seed %d)", r.analysisGroup(), r.outcome(), SEED).isCloseTo(r.planted(), offset(tolerance));
        }
    }

    private static int memberGroups(String analysisGroup) {
        return trial.config().pooledGroups().getOrDefault(analysisGroup, List.of(analysisGroup)).size();
    }

    @Test
    void differenceInMeansRecoversThePlantedEffectWithinFourStandardErrors() {
        for (TrueEffects.Row r : rows) {
            assertThat(r.realisedDifference()).as("%s %s (seed %d)", r.analysisGroup(), r.outcome(), SEED)
                    .isCloseTo(r.planted(), offset(4 * r.standardError()));
        }
    }

    @Test
    void theNullGroupHasNoEmploymentEffectAndBOowHasFourPoints() {
        assertThat(row("A-OOW", "employed_13wk_12m").planted()).isZero();
        assertThat(row("A-OOW", "employed_13wk_12m").sampleAte()).isZero();
        assertThat(row("B-OOW", "employed_13wk_12m").planted()).isCloseTo(0.04, offset(1e-12));
        assertThat(row("B-OOW", "employed_13wk_12m").meanControl()).isCloseTo(0.18, offset(Fixtures.tolerance(0.18, 551, 4)));
        assertThat(row("A-OOW", "employed_13wk_12m").meanControl()).isCloseTo(0.27, offset(Fixtures.tolerance(0.27, 538, 4)));
    }

    @Test
    void pooledGroupsWeightTheirMembersPlantedEffectsByTheirNumbers() {
        TrueEffects.Row pooled = row("all out-of-work", "employed_13wk_12m");
        TrueEffects.Row a = row("A-OOW", "employed_13wk_12m");
        TrueEffects.Row b = row("B-OOW", "employed_13wk_12m");
        int na = a.nTreatment() + a.nControl();
        int nb = b.nTreatment() + b.nControl();
        assertThat(pooled.planted()).isCloseTo((0 * na + 0.04 * nb) / (na + nb), offset(1e-12));
        assertThat(pooled.nTreatment() + pooled.nControl()).isEqualTo(na + nb);
    }

    @Test
    void contrastAcrossManySeedsIsUnbiased() {
        // Over 6 seeds at a small scale, the mean difference in means of B-OOW employment is within
        // 3 of its standard errors of the planted 4 points.
        double sum = 0;
        double variance = 0;
        int seeds = 6;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            TrueEffects.Row r = TrueEffects.compute(TrialSimulator.simulate(Fixtures.small(seed, 0.08))).stream()
                    .filter(x -> x.analysisGroup().equals("B-OOW") && x.outcome().equals("employed_13wk_12m")).findFirst().orElseThrow();
            sum += r.realisedDifference();
            variance += r.standardError() * r.standardError();
        }
        double mean = sum / seeds;
        double se = Math.sqrt(variance) / seeds;
        assertThat(mean).as("seeds 100..105").isCloseTo(0.04, offset(3 * se));
    }
}
