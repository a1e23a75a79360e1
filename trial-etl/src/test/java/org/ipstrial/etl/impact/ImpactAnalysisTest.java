package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisDataset.FollowUp;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.junit.jupiter.api.Test;

/** The estimators on small datasets whose answers are worked by hand. */
class ImpactAnalysisTest {
    private static final Covariate X = new Covariate("x", CovariateKind.NUMERIC, List.of());
    private static final Outcome SCORE = new Outcome("score", "score", OutcomeType.CONTINUOUS, OutcomeSource.ADMIN, "", false);
    private static final Outcome SURVEY = new Outcome("m12_score", "survey score", OutcomeType.CONTINUOUS, OutcomeSource.SURVEY, "m12", true);

    /**
     * Two trial groups, four people each per arm. Group P: treatment scores 4, 6, missing, 8;
     * control 1, 3, 2, 2. Group Q: treatment 10, 12, 11, 13; control 9, 9, 10, 8.
     * In group P alone the unadjusted difference is 6 - 2 = 4 (one treated person missing, counted
     * as missing); the SE is sqrt(4/3 + (2/3)/4) = sqrt(1.5) (s^2 of 4,6,8 is 4; of 1,3,2,2 is 2/3).
     */
    @Test
    void unadjustedEstimateIsTheDifferenceInMeansWithWelchErrorAndCountsTheMissing() {
        AnalysisPlan plan = plan(List.of(SCORE));
        ImpactResults results = ImpactAnalysis.analyse(plan, dataset());

        ImpactEstimate p = results.impact("P", "score", Estimator.UNADJUSTED);
        assertThat(p.counts()).isEqualTo(new ImpactEstimate.ArmCounts(3, 4, 1, 0, -1, -1));
        assertThat(p.meanTreatment()).isCloseTo(6, within(1e-12));
        assertThat(p.meanControl()).isCloseTo(2, within(1e-12));
        assertThat(p.difference()).isCloseTo(4, within(1e-12));
        assertThat(p.standardError()).isCloseTo(Math.sqrt(1.5), within(1e-12));
        assertThat(p.degreesOfFreedom()).isEqualTo(5);
    }

    /**
     * Pooled group P + Q: the adjusted model holds intercept, treatment, one stratum dummy (Q against
     * P), x and x's missing indicator (one person's x is missing): 5 terms. Within the pooled group,
     * unadjusted difference = (4 + 6 + 8 + 10 + 12 + 11 + 13) / 7 - (1 + 3 + 2 + 2 + 9 + 9 + 10 + 8) / 8
     * = 64/7 - 44/8 = 3.642857.
     */
    @Test
    void pooledGroupAdjustsForEachStratumAndFlagsMissingCovariates() {
        ImpactResults results = ImpactAnalysis.analyse(plan(List.of(SCORE)), dataset());

        ImpactEstimate pooledRaw = results.impact("P+Q", "score", Estimator.UNADJUSTED);
        ImpactEstimate pooled = results.impact("P+Q", "score", Estimator.ADJUSTED);
        assertThat(pooledRaw.difference()).isCloseTo(64.0 / 7 - 44.0 / 8, within(1e-12));
        assertThat(pooled.terms()).isEqualTo(5);
        assertThat(pooled.degreesOfFreedom()).isEqualTo(15 - 5);
        // Adjusting for the stratum removes the between-group difference in arms' composition.
        assertThat(pooled.difference()).isNotCloseTo(pooledRaw.difference(), within(1e-6));
    }

    /**
     * Response depends on a binary covariate. Treatment arm: x = 0, 10 people, 5 respond (p = 0.5);
     * x = 1, 10 people, 8 respond (p = 0.8). Unnormalised weights 2 and 1.25 sum to 10 + 10 = 20;
     * normalised to the 13 respondents: 2 x 13/20 = 1.3 and 1.25 x 13/20 = 0.8125.
     */
    @Test
    void nonResponseWeightsAreInverseResponseProbabilitiesAveragingOne() {
        int n = 20;
        double[] x = new double[n];
        double[] responded = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < 10 ? 0 : 1;
            responded[i] = (i < 10 && i < 5) || (i >= 10 && i < 18) ? 1 : 0;
        }
        boolean[] treated = new boolean[n];
        Arrays.fill(treated, true);
        String[] groups = new String[n];
        Arrays.fill(groups, "P");
        Baseline baseline = new Baseline(n, pids(n), groups, groups.clone(), treated, Map.of("x", x), Map.of(), Map.of());

        NonResponseWeights.Weights w = NonResponseWeights.estimate(baseline, responded,
                java.util.stream.IntStream.range(0, n).toArray(), "P", "m12", List.of(X));

        assertThat(w.byRow()[0]).isCloseTo(1.3, within(1e-9));
        assertThat(w.byRow()[10]).isCloseTo(0.8125, within(1e-9));
        assertThat(w.byRow()[7]).isZero();
        assertThat(w.models()).singleElement().satisfies(m -> {
            assertThat(m.respondents()).isEqualTo(13);
            assertThat(m.converged()).isTrue();
        });
    }

    /**
     * The weighted estimate reweights respondents to the whole arm. With the weights above, the
     * treated respondents' weighted mean of a score that is 10 when x = 0 and 20 when x = 1 is
     * (5 x 1.3 x 10 + 8 x 0.8125 x 20) / 13 = 15: the arm's true mean (half x = 0, half x = 1),
     * while the unweighted respondents' mean is (50 + 160) / 13 = 16.15.
     */
    @Test
    void weightedMeansRecoverTheArmMean() {
        int n = 40;
        double[] x = new double[n];
        double[] responded = new double[n];
        double[] score = new double[n];
        boolean[] treated = new boolean[n];
        for (int i = 0; i < n; i++) {
            int j = i % 20;
            treated[i] = i < 20;
            x[i] = j < 10 ? 0 : 1;
            responded[i] = (j < 5) || (j >= 10 && j < 18) ? 1 : 0;
            score[i] = responded[i] == 1 ? (x[i] == 0 ? 10 : 20) + (treated[i] ? 0 : -1) : Double.NaN;
        }
        String[] groups = new String[n];
        Arrays.fill(groups, "P");
        Baseline baseline = new Baseline(n, pids(n), groups, groups.clone(), treated, Map.of("x", x), Map.of(), Map.of());
        AnalysisPlan plan = new AnalysisPlan("p", List.of("site"), List.of(new AnalysisGroup("P", List.of("P"))), List.of(SURVEY),
                List.of(X), List.of(), Map.of("m12", List.of("x")), 10);

        ImpactResults results = ImpactAnalysis.analyse(plan, new AnalysisDataset(baseline,
                new FollowUp(Map.of("m12_score", score), Map.of("m12", responded))));

        ImpactEstimate weighted = results.impact("P", "m12_score", Estimator.WEIGHTED_UNADJUSTED);
        ImpactEstimate raw = results.impact("P", "m12_score", Estimator.UNADJUSTED);
        assertThat(weighted.meanTreatment()).isCloseTo(15, within(1e-9));
        assertThat(weighted.meanControl()).isCloseTo(14, within(1e-9));
        assertThat(weighted.difference()).isCloseTo(1, within(1e-9));
        assertThat(raw.meanTreatment()).isCloseTo(210.0 / 13, within(1e-9));
        assertThat(results.impact("P", "m12_score", Estimator.WEIGHTED_ADJUSTED).difference()).isCloseTo(1, within(1e-9));
    }

    private static AnalysisPlan plan(List<Outcome> outcomes) {
        return new AnalysisPlan("test", List.of("site", "trial_group"),
                List.of(new AnalysisGroup("P", List.of("P")), new AnalysisGroup("P+Q", List.of("P", "Q"))),
                outcomes, List.of(X), List.of(), Map.of(), 10);
    }

    /** Rows 0-7 group P (0-3 treated), rows 8-15 group Q (8-11 treated). */
    private static AnalysisDataset dataset() {
        int n = 16;
        String[] groups = new String[n];
        String[] strata = new String[n];
        boolean[] treated = new boolean[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i < 8 ? "P" : "Q";
            strata[i] = i < 8 ? "A x P" : "B x Q";
            treated[i] = (i % 8) < 4;
        }
        double[] score = {4, 6, Double.NaN, 8, 1, 3, 2, 2, 10, 12, 11, 13, 9, 9, 10, 8};
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 5, Double.NaN, 2, 4, 6, 8};
        Baseline baseline = new Baseline(n, pids(n), groups, strata, treated, Map.of("x", x), Map.of(), Map.of());
        return new AnalysisDataset(baseline, new FollowUp(Map.of("score", score), Map.of()));
    }

    private static String[] pids(int n) {
        String[] p = new String[n];
        for (int i = 0; i < n; i++) p[i] = "p" + i;
        return p;
    }
}
