package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minimised trial's adjusted model includes the minimisation factors (plan field
 * {@code minimisation_factors}), dummy-coded against their first level in sorted order, on a
 * dataset small enough to check by hand.
 */
class MinimisationAdjustmentTest {

    private static final String PLAN = """
            plan: minimised-test
            groups:
              - {name: G, trial_groups: [G]}
            outcomes:
              - {name: score, type: continuous, source: admin}
            minimisation_factors: [site, qualification]
            """;

    /**
     * y = 10 + 2 x treatment + 3 x [qualification 9] + 5 x [qualification 10], exactly. The levels
     * sort as numbers (2, 9, 10; as text they would be 10, 2, 9), so 2 is the reference. Treatment:
     * 2, 2, 9, 10, 10, 10 (y 12, 12, 15, 17, 17, 17, mean 15); control: 2, 2, 2, 9, 9, 10 (y 10,
     * 10, 10, 13, 13, 15, mean 71/6). Unadjusted difference 15 - 71/6 = 19/6; the factor is
     * imbalanced, and adjusting for it recovers the planted 2 exactly, with coefficients 3 and 5.
     * site is a stratum column, so it is not added a second time.
     */
    private static final String DATA = """
            pid,site,trial_group,arm,qualification,score
            p01,S,G,treatment,2,12
            p02,S,G,treatment,2,12
            p03,S,G,treatment,9,15
            p04,S,G,treatment,10,17
            p05,S,G,treatment,10,17
            p06,S,G,treatment,10,17
            p07,S,G,control,2,10
            p08,S,G,control,2,10
            p09,S,G,control,2,10
            p10,S,G,control,9,13
            p11,S,G,control,9,13
            p12,S,G,control,10,15
            """;

    @TempDir
    Path dir;

    @Test
    void theAdjustedModelHasTheFactorsDummyCodedAgainstTheFirstSortedLevel() throws IOException {
        AnalysisPlan plan = AnalysisPlanReader.parse(PLAN, "test");
        Path csv = write(DATA);

        Baseline baseline = AnalysisDatasetReader.readBaseline(csv, plan);
        int[] rows = java.util.stream.IntStream.range(0, baseline.size()).toArray();
        DesignMatrix design = DesignMatrix.over(baseline, rows).intercept().treatment().adjustment(plan);
        double[] y = {12, 12, 15, 17, 17, 17, 10, 10, 10, 13, 13, 15};
        RobustFit fit = RobustRegression.fitColumns(design.columns(), y, null, design.names());

        assertThat(plan.minimisationTerms()).containsExactly("qualification");
        assertThat(baseline.minimisationFactors().get(0).levels()).containsExactly("2", "9", "10");
        assertThat(design.names()).containsExactly("(intercept)", "treatment", "qualification[9]", "qualification[10]");
        assertThat(fit.coefficient("(intercept)")).isCloseTo(10, within(1e-9));
        assertThat(fit.coefficient("treatment")).isCloseTo(2, within(1e-9));
        assertThat(fit.coefficient("qualification[9]")).isCloseTo(3, within(1e-9));
        assertThat(fit.coefficient("qualification[10]")).isCloseTo(5, within(1e-9));
    }

    @Test
    void theAnalysisReportsTheAdjustedEffectBesideTheUnadjustedOne() throws IOException {
        AnalysisPlan plan = AnalysisPlanReader.parse(PLAN, "test");
        Path csv = write(DATA);

        Baseline baseline = AnalysisDatasetReader.readBaseline(csv, plan);
        PlanLock lock = PlanLock.write(plan, csv.getFileName().toString(), baseline.size(), null);
        ImpactResults results = ImpactAnalysis.analyse(plan,
                new AnalysisDataset(baseline, AnalysisDatasetReader.readFollowUp(csv, plan, baseline, lock)));

        assertThat(results.impact("G", "score", Estimator.UNADJUSTED).difference()).isCloseTo(19.0 / 6, within(1e-9));
        assertThat(results.impact("G", "score", Estimator.ADJUSTED).difference()).isCloseTo(2, within(1e-9));
    }

    @Test
    void withoutMinimisationFactorsTheAdjustedModelIsWhatItWas() throws IOException {
        AnalysisPlan plan = AnalysisPlanReader.parse(PLAN.replace("minimisation_factors: [site, qualification]\n", ""), "test");
        Path csv = write(DATA);

        Baseline baseline = AnalysisDatasetReader.readBaseline(csv, plan);
        DesignMatrix design = DesignMatrix.over(baseline, new int[] {0, 1, 6, 7}).intercept().treatment().adjustment(plan);

        assertThat(design.names()).containsExactly("(intercept)", "treatment");
        assertThat(AnalysisPlanReader.sha256(plan)).isNotEqualTo(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(PLAN, "test")));
    }

    @Test
    void aFactorThatIsAlsoACovariateEntersOnceWithThePlansCoding() {
        AnalysisPlan plan = AnalysisPlanReader.parse(PLAN + """
                covariates:
                  - {name: qualification, kind: categorical, levels: [10, 9, 2]}
                """, "test");

        assertThat(plan.minimisationFactors()).containsExactly("site", "qualification");
        assertThat(plan.minimisationTerms()).isEmpty();
    }

    @Test
    void anUnknownColumnIsRefusedNamingThePlanField() throws IOException {
        AnalysisPlan plan = AnalysisPlanReader.parse(PLAN.replace("[site, qualification]", "[site, qualifcation]"), "test");
        Path csv = write(DATA);

        assertThatThrownBy(() -> AnalysisDatasetReader.readBaseline(csv, plan))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessageContaining("missing column(s) 'qualifcation' (needed by minimisation_factors[1])");
    }

    @Test
    void aFactorListedTwiceOrNamingAnOutcomeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> AnalysisPlanReader.parse(PLAN.replace("[site, qualification]", "[qualification, qualification]"), "t"))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessageContaining("minimisation_factors[1]").hasMessageContaining("'qualification' is listed twice");
        assertThatThrownBy(() -> AnalysisPlanReader.parse(PLAN.replace("[site, qualification]", "[site, score]"), "t"))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessageContaining("minimisation_factors[1]").hasMessageContaining("'score' is an outcome");
        assertThatThrownBy(() -> AnalysisPlanReader.parse(PLAN.replace("[site, qualification]", "[site, \"area x\"]"), "t"))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessageContaining("minimisation_factors[1]").hasMessageContaining("must be a column name");
    }

    private Path write(String data) throws IOException {
        Path csv = dir.resolve("analysis.csv");
        Files.writeString(csv, data);
        return csv;
    }
}
