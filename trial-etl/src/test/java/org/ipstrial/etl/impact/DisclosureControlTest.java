package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.ipstrial.etl.impact.ImpactEstimate.ArmCounts;
import org.junit.jupiter.api.Test;

class DisclosureControlTest {
    private final DisclosureControl ten = new DisclosureControl(10);
    private static final Outcome EMPLOYED = new Outcome("employed_13wk_12m", "employed", OutcomeType.BINARY, OutcomeSource.ADMIN, "", false);
    private static final Outcome EARNINGS = new Outcome("earnings_12m", "earnings", OutcomeType.CONTINUOUS, OutcomeSource.ADMIN, "", false);

    @Test
    void countsFromOneToNineAreWithheldZeroAndTenAreShown() {
        assertThat(ten.count(0)).isEqualTo("0");
        assertThat(ten.count(1)).isEqualTo("<10");
        assertThat(ten.count(9)).isEqualTo("<10");
        assertThat(ten.count(10)).isEqualTo("10");
    }

    @Test
    void anEstimateOnFewerThanTenInAnArmIsWithheld() {
        assertThat(ten.suppress(estimate(EARNINGS, new ArmCounts(9, 500, 0, 0, -1, -1)))).isTrue();
        assertThat(ten.suppress(estimate(EARNINGS, new ArmCounts(10, 500, 3, 0, -1, -1)))).isFalse();
    }

    @Test
    void aBinaryEstimateWithFewEventsOrNonEventsIsWithheld() {
        assertThat(ten.suppress(estimate(EMPLOYED, new ArmCounts(200, 200, 0, 0, 5, 40)))).isTrue();
        assertThat(ten.suppress(estimate(EMPLOYED, new ArmCounts(200, 200, 0, 0, 40, 195)))).isTrue();
        assertThat(ten.suppress(estimate(EMPLOYED, new ArmCounts(200, 200, 0, 0, 40, 50)))).isFalse();
    }

    @Test
    void withheldEstimatesAreBlankInTheImpactTable() {
        ImpactEstimate small = estimate(EARNINGS, new ArmCounts(9, 500, 0, 12, -1, -1));
        AnalysisPlan plan = new AnalysisPlan("p", List.of("site"), List.of(new AnalysisPlan.AnalysisGroup("g", List.of("g"))),
                List.of(EARNINGS), List.of(), List.of(), java.util.Map.of(), 10);
        ImpactResults results = new ImpactResults(plan, "hash", List.of(small), List.of(), List.of(), List.of());

        String csv = ImpactTablesWriter.impactTable(results, ten);

        assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("hash,g,earnings_12m,continuous,admin,adjusted,yes,<10,500,0,12,,,,,,,,,,,,,,,,,,yes");
        assertThat(csv).doesNotContain("1234.5");
    }

    @Test
    void aLoneWithheldLevelIsJoinedByTheNextSmallest() {
        List<BalanceRow> rows = List.of(
                level("always", 500, 400), level("none", 5, 300), level("(missing)", 60, 0), level("more", 200, 0));

        boolean[][] withheld = ten.balanceSuppression(rows);

        // Treatment arm: "none" (5) is small; alone it could be recovered from the total, so the
        // smallest other cell, "(missing)" (60), is withheld too. Control: zeros are not withheld.
        assertThat(withheld[1][0]).isTrue();
        assertThat(withheld[2][0]).isTrue();
        assertThat(withheld[0][0]).isFalse();
        assertThat(withheld[3][0]).isFalse();
        for (boolean[] row : withheld) assertThat(row[1]).isFalse();
    }

    @Test
    void twoWithheldLevelsNeedNoMore() {
        List<BalanceRow> rows = List.of(level("a", 500, 400), level("b", 5, 300), level("c", 3, 300));

        boolean[][] withheld = ten.balanceSuppression(rows);

        assertThat(withheld[0][0]).isFalse();
        assertThat(withheld[1][0]).isTrue();
        assertThat(withheld[2][0]).isTrue();
    }

    private static BalanceRow level(String level, int nTreatment, int nControl) {
        return new BalanceRow("g", "work_last_2y", level, "work_last_2y", nTreatment, 0, Double.NaN, Double.NaN,
                nControl, 0, Double.NaN, Double.NaN, 0);
    }

    private static ImpactEstimate estimate(Outcome outcome, ArmCounts counts) {
        return new ImpactEstimate("g", outcome, Estimator.ADJUSTED, counts, 1234.5, 1000, 234.5, 10, 214, 255, 500, 0.001,
                Double.NaN, null, 3);
    }
}
