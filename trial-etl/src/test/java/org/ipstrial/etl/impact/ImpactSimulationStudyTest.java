package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipstrial.etl.impact.ImpactSimulationStudy.Cell;
import org.junit.jupiter.api.Test;

/**
 * The simulation study in full (seeds 1..200, 2,000 participants each; about 30 s on two cores):
 * every checked group x outcome must cover its planted effect in 92-98% of trials with a mean
 * estimate within two Monte Carlo standard errors. The seeds are fixed, so a failure replays
 * exactly: the message carries the whole table.
 */
class ImpactSimulationStudyTest {

    @Test
    void headlineEstimatesCoverThePlantedEffectsAndAreUnbiased() {
        int[] seeds = ImpactSimulationStudy.seeds(200);

        List<Cell> cells = ImpactSimulationStudy.run(seeds, ImpactSimulationStudy.DEFAULT_PARTICIPANTS);

        String table = "seeds 1..200\n" + ImpactSimulationStudy.table(cells);
        List<Cell> checked = cells.stream().filter(Cell::checked).toList();
        assertThat(checked).as(table).hasSize(15);
        assertThat(checked).as(table).allSatisfy(c -> {
            assertThat(c.trials()).isEqualTo(200);
            assertThat(c.coverage()).isBetween(0.92, 0.98);
            assertThat(Math.abs(c.meanEstimate() - c.truth())).isLessThanOrEqualTo(2 * c.monteCarloSe());
        });
    }
}
