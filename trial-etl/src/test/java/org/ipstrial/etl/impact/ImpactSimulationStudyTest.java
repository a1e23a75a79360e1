package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.ipstrial.etl.impact.ImpactSimulationStudy.Cell;
import org.ipstrial.etl.impact.ImpactSimulationStudy.FamilyBounds;
import org.junit.jupiter.api.Test;

/**
 * The simulation study in full (seeds 1..200, 2,000 participants each; 20 s of CPU). The seeds
 * are fixed, so a failure replays exactly: the message carries the whole table.
 */
class ImpactSimulationStudyTest {

    @Test
    void headlineEstimatesCoverThePlantedEffectsAndAreUnbiased() {
        int[] seeds = ImpactSimulationStudy.seeds(200);

        List<Cell> cells = ImpactSimulationStudy.run(seeds, ImpactSimulationStudy.DEFAULT_PARTICIPANTS);

        String table = "seeds 1..200\n" + ImpactSimulationStudy.table(cells);
        List<Cell> checked = cells.stream().filter(Cell::checked).toList();
        FamilyBounds bounds = ImpactSimulationStudy.familyBounds(cells);
        assertThat(checked).as(table).hasSize(15).allSatisfy(c -> assertThat(c.trials()).isEqualTo(200));
        assertThat(ImpactSimulationStudy.overallCoverage(cells)).as(table).isBetween(0.92, 0.98);
        assertThat(checked).as(table).allSatisfy(c -> {
            assertThat(c.covered()).isBetween(bounds.fewestCovered(), bounds.mostCovered());
            assertThat(Math.abs(c.biasInMonteCarloSe())).isLessThanOrEqualTo(bounds.biasInMonteCarloSe());
        });
    }

    /**
     * The complier study, short (seeds 1..60; the 200-seed figures are in
     * docs/impact-simulation-study.md, from scripts/impact-simulation-study): the 2SLS estimate of
     * the effect of attending covers the effect planted among compliers, within the family bounds,
     * while the intention-to-treat estimate beside it falls short of it where the effect is large.
     */
    @Test
    void complierEffectsCoverTheEffectsPlantedAmongCompliers() {
        int[] seeds = ImpactSimulationStudy.seeds(60);

        List<Cell> cells = ImpactSimulationStudy.runComplier(seeds, ImpactSimulationStudy.DEFAULT_PARTICIPANTS);

        String table = "seeds 1..60\n" + ImpactSimulationStudy.table(cells);
        List<Cell> checked = cells.stream().filter(Cell::checked).toList();
        FamilyBounds bounds = ImpactSimulationStudy.familyBounds(cells);
        assertThat(checked).as(table).hasSize(15).allSatisfy(c -> assertThat(c.estimator()).isEqualTo("cace_2sls"));
        assertThat(ImpactSimulationStudy.overallCoverage(cells)).as(table).isBetween(0.92, 0.98);
        assertThat(checked).as(table).allSatisfy(c -> {
            assertThat(c.covered()).isBetween(bounds.fewestCovered(), bounds.mostCovered());
            assertThat(Math.abs(c.biasInMonteCarloSe())).isLessThanOrEqualTo(bounds.biasInMonteCarloSe());
        });
        // A-OOW: about 86% comply, so its ITT on earnings (planted -233 among compliers) is shrunk toward 0.
        Cell ittEarnings = cells.stream().filter(c -> !c.checked() && c.group().equals("A-OOW") && c.outcome().equals("earnings_12m"))
                .findFirst().orElseThrow();
        Cell caceEarnings = checked.stream().filter(c -> c.group().equals("A-OOW") && c.outcome().equals("earnings_12m"))
                .findFirst().orElseThrow();
        assertThat(Math.abs(ittEarnings.meanEstimate())).as(table).isLessThan(Math.abs(caceEarnings.meanEstimate()));
        assertThat(caceEarnings.meanStandardError()).as(table).isGreaterThan(ittEarnings.meanStandardError());
    }

    /**
     * The minimised study, short (seeds 1..40, diagnostics of 200 trials; the 200-seed figures
     * against 1,000 diagnostic trials are in docs/impact-simulation-study.md, from
     * scripts/impact-simulation-study): trials allocated by the minimisation rule and analysed with
     * the minimisation factors cover the planted effects within the family bounds, and no factor's
     * final imbalance exceeds the diagnostics' 99th percentile more often than Binomial(40, 0.01)
     * allows.
     */
    @Test
    void minimisedTrialsCoverThePlantedEffectsAndStayWithinTheDiagnosticsBound() {
        int[] seeds = ImpactSimulationStudy.seeds(40);
        System.out.println("minimised study: seeds 1..40, diagnostics seed " + ImpactSimulationStudy.DIAGNOSTICS_SEED);

        ImpactSimulationStudy.MinimisedStudy study = ImpactSimulationStudy.runMinimised(seeds, ImpactSimulationStudy.DEFAULT_PARTICIPANTS,
                200);

        List<Cell> cells = study.cells();
        String table = "seeds 1..40\n" + ImpactSimulationStudy.table(cells) + ImpactSimulationStudy.balanceTable(study);
        List<Cell> checked = cells.stream().filter(Cell::checked).toList();
        FamilyBounds bounds = ImpactSimulationStudy.familyBounds(cells);
        assertThat(checked).as(table).hasSize(15);
        assertThat(ImpactSimulationStudy.overallCoverage(cells)).as(table).isBetween(0.92, 0.98);
        assertThat(checked).as(table).allSatisfy(c -> assertThat(bounds.holds(c)).isTrue());
        assertThat(study.balance()).as(table).extracting(ImpactSimulationStudy.FactorBalance::factor)
                .containsExactly("site", "trial_group", "area", "work_last_2y");
        assertThat(study.balance()).as(table).allSatisfy(f -> {
            assertThat(f.mostExceedances()).isEqualTo(2);
            assertThat(f.exceeded()).isLessThanOrEqualTo(f.mostExceedances());
            assertThat(f.percentile99()).isPositive();
        });
    }

    /**
     * Binomial(200, 0.01) tails at 0.05 / 4 = 0.0125 (worked in Python with math.comb):
     * P(X > 5) = 0.0160 > 0.0125 >= P(X > 6) = 0.0043, so at most 6 of 200 trials may exceed a
     * 99th percentile; for 40 trials, P(X > 1) = 0.061 and P(X > 2) = 0.0075, so 2.
     */
    @Test
    void theMostExceedancesAreTheBinomialBound() {
        assertThat(ImpactSimulationStudy.mostExceedances(200, 0.01, 0.0125)).isEqualTo(6);
        assertThat(ImpactSimulationStudy.mostExceedances(40, 0.01, 0.0125)).isEqualTo(2);
    }

    /**
     * Bonferroni over 30 checks at 5%: each tail 0.05 / 30 / 2 = 0.000833. Exact Binomial(200, 0.95)
     * tails (worked with scipy.stats.binom): P(X <= 178) = 0.00048 <= 0.000833 < P(X <= 179) = 0.00116,
     * so the fewest is 179; P(X > 198) = 0.00040 <= 0.000833 < P(X > 197) = 0.00234, so the most is
     * 198; the normal quantile at 1 - 0.000833 is 3.14398.
     */
    @Test
    void familyBoundsAreTheBonferroniBounds() {
        FamilyBounds bounds = FamilyBounds.of(30, 200);

        assertThat(bounds.fewestCovered()).isEqualTo(179);
        assertThat(bounds.mostCovered()).isEqualTo(198);
        assertThat(bounds.biasInMonteCarloSe()).isCloseTo(3.14398, within(1e-4));
    }
}
