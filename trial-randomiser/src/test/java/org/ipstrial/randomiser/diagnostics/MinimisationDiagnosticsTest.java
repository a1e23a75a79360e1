package org.ipstrial.randomiser.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.ImbalanceMeasure;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.diagnostics.MinimisationDiagnostics.Scheme;
import org.junit.jupiter.api.Test;

class MinimisationDiagnosticsTest {

    private static final List<String> ARMS = List.of("treatment", "control");
    private static final long SEED = 20260105L;
    private static final List<BlockSizeChoice> SIZES =
            List.of(new BlockSizeChoice(2, 1), new BlockSizeChoice(4, 2), new BlockSizeChoice(6, 1));

    /** Two sites; sex, work and area (2, 3 and 4 levels) of weight 1; range; 1:1. */
    static MinimisationDesign design(String probability) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("sex", 1);
        weights.put("work", 1);
        weights.put("area", 1);
        MinimisationVersion version = new MinimisationVersion(1, Instant.parse("2026-01-05T00:00:00Z"), ARMS,
                AllocationRatio.equal(ARMS), weights, ImbalanceMeasure.RANGE, new BigDecimal(probability));
        return new MinimisationDesign("diagnosed", List.of("site"), List.of(Stratum.of("A"), Stratum.of("B")),
                List.of(new MinimisationFactor("sex", List.of("female", "male")),
                        new MinimisationFactor("work", List.of("yes", "no", "unknown")),
                        new MinimisationFactor("area", List.of("north", "south", "east", "west"))),
                List.of(version));
    }

    @Test
    void minimisationBalancesEveryFactorFarBetterThanBlocksOnTheSameRecruitsAndIsMorePredictableToWhoKnowsTheTotals() {
        MinimisationDesign design = design("0.8");
        MinimisationDiagnosticsReport report = MinimisationDiagnostics.of(design, design.version(1), 60, 300, SEED,
                SIZES);
        System.out.println(report.render());
        MinimisationDiagnosticsReport.SchemeResult minimisation = report.scheme(Scheme.MINIMISATION);
        MinimisationDiagnosticsReport.SchemeResult blocks = report.scheme(Scheme.BLOCKS_WITHIN_STRATA);
        MinimisationDiagnosticsReport.SchemeResult everyCombination = report.scheme(Scheme.BLOCKS_WITHIN_EVERY_COMBINATION);
        MinimisationDiagnosticsReport.SchemeResult simple = report.scheme(Scheme.SIMPLE_RANDOMISATION);

        assertThat(minimisation.finalImbalanceByFactor()).containsOnlyKeys("site", "sex", "work", "area");
        for (String factor : List.of("sex", "work", "area")) {
            double minimised = minimisation.finalImbalanceByFactor().get(factor).mean();
            assertThat(minimised).as("seed %d, %s: minimisation against blocks within site", SEED, factor)
                    .isLessThan(0.7 * blocks.finalImbalanceByFactor().get(factor).mean());
            assertThat(minimised).as("seed %d, %s: against simple randomisation", SEED, factor)
                    .isLessThan(simple.finalImbalanceByFactor().get(factor).mean() / 2);
            assertThat(minimised).as("seed %d, %s: against blocks in 24 cells of 2.5 recruits", SEED, factor)
                    .isLessThan(everyCombination.finalImbalanceByFactor().get(factor).mean());
        }
        // Blocks within site end each site's sequence within half the largest block (3) of balance.
        assertThat(blocks.finalImbalanceByFactor().get("site").maximum()).isLessThanOrEqualTo(3);
        // Who knows the totals calls minimisation right with probability p = 0.8 off ties, 1/2 on them.
        assertThat(minimisation.correctGuessesKnowingTotals().mean()).as("seed %d", SEED).isBetween(0.7, 0.8);
        assertThat(simple.correctGuessesKnowingTotals().mean()).as("seed %d", SEED).isCloseTo(0.5, within(0.02));
        assertThat(simple.correctGuessesConvergence().mean()).as("seed %d", SEED).isCloseTo(0.5, within(0.02));
        assertThat(blocks.correctGuessesConvergence().mean()).as("seed %d", SEED).isBetween(0.65, 0.75);
        // Bias 2(2q - 1) at 1:1 when the arms are near equal.
        double q = minimisation.correctGuessesKnowingTotals().mean();
        assertThat(minimisation.selectionBiasKnowingTotals().orElseThrow().mean()).isCloseTo(2 * (2 * q - 1), within(0.05));
        assertThat(simple.selectionBiasKnowingTotals().orElseThrow().mean()).isCloseTo(0, within(0.05));
        assertThat(report.render())
                .contains("Minimisation diagnostics: diagnosed, version 1")
                .contains("final imbalance, area")
                .contains("correct guesses, knowing the totals")
                .contains("selection bias x shift, convergence");
    }

    @Test
    void deterministicMinimisationOverOneFactorNeverLetsALevelStrayPastOnePerStratum() {
        MinimisationVersion version = new MinimisationVersion(1, Instant.parse("2026-01-05T00:00:00Z"), ARMS,
                AllocationRatio.equal(ARMS), Map.of("sex", 1), ImbalanceMeasure.VARIANCE, BigDecimal.ONE);
        MinimisationDesign design = new MinimisationDesign("one", List.of("site"),
                List.of(Stratum.of("A"), Stratum.of("B"), Stratum.of("C")),
                List.of(new MinimisationFactor("sex", List.of("female", "male"))), List.of(version));
        MinimisationDiagnosticsReport report = MinimisationDiagnostics.of(design, version, 41, 200, SEED, SIZES);
        MinimisationDiagnosticsReport.SchemeResult minimisation = report.scheme(Scheme.MINIMISATION);
        // Each sex level within 1 in each site, so trial-wide within 3; a site's two levels within 1 each
        // make it within 2, and 41 recruits (odd) make it exactly 1.
        assertThat(minimisation.largestImbalanceByFactor().get("sex").maximum()).isLessThanOrEqualTo(3);
        assertThat(minimisation.finalImbalanceByFactor().get("site").shareByValue()).containsExactly(Map.entry(1.0, 1.0));
        assertThat(report.scheme(Scheme.SIMPLE_RANDOMISATION).largestImbalanceByFactor().get("sex").maximum())
                .as("seed %d: simple randomisation strays further", SEED).isGreaterThan(3);
    }

    @Test
    void levelWeightsDrawTheRecruitsLevelsInProportion() {
        MinimisationDesign design = design("0.8");
        // Every recruit "male": the sex factor's imbalance is the overall imbalance, in every scheme.
        MinimisationDiagnosticsReport allMale = MinimisationDiagnostics.of(design, design.version(1), 30, 40, SEED, SIZES,
                Map.of("sex", List.of(0, 1)));
        for (MinimisationDiagnosticsReport.SchemeResult scheme : allMale.schemes()) {
            assertThat(scheme.finalImbalanceByFactor().get("sex")).as(scheme.scheme().label()).isEqualTo(scheme.finalOverall());
        }
        assertThat(allMale.render()).contains("levels drawn with weights sex 0:1 (other factors' levels equally likely)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MinimisationDiagnostics.of(design, design.version(1), 30,
                40, SEED, SIZES, Map.of("sex", List.of(1, 2, 3)))).hasMessageContaining("sex has 2 levels [female, male] but 3 weights");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MinimisationDiagnostics.of(design, design.version(1), 30,
                40, SEED, SIZES, Map.of("age", List.of(1, 2)))).hasMessageContaining("age is not a minimisation factor");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MinimisationDiagnostics.of(design, design.version(1), 30,
                40, SEED, SIZES, Map.of("sex", List.of(0, 0)))).hasMessageContaining("must add up to 1");
    }

    @Test
    void theReportIsReproducibleFromItsSeed() {
        MinimisationDesign design = design("0.75");
        assertThat(MinimisationDiagnostics.of(design, design.version(1), 20, 50, 3, SIZES))
                .isEqualTo(MinimisationDiagnostics.of(design, design.version(1), 20, 50, 3, SIZES))
                .isNotEqualTo(MinimisationDiagnostics.of(design, design.version(1), 20, 50, 4, SIZES));
    }
}
