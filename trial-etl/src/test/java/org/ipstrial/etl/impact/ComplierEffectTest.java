package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisDataset.FollowUp;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The complier average causal effect as the analysis reports it beside the intention-to-treat estimate. */
class ComplierEffectTest {
    private static final Covariate X = new Covariate("x", CovariateKind.NUMERIC, List.of());
    private static final Outcome SCORE = new Outcome("score", "score", OutcomeType.CONTINUOUS, OutcomeSource.ADMIN, "", false);
    private static final long SEED = 4242L;

    /**
     * Just identified, with the same strata and covariates in both stages, 2SLS is indirect least
     * squares: the CACE is exactly the adjusted ITT on the outcome over the adjusted ITT on
     * attendance, whatever the covariates. The planted effect among compliers is 3.
     */
    @Test
    void complierEffectIsTheAdjustedIttOverTheAdjustedComplianceAndSitsBesideIt() {
        System.out.println("ComplierEffectTest seed " + SEED);
        AnalysisDataset data = dataset(400, SEED, false);
        AnalysisPlan plan = plan("engaged");

        ImpactResults results = ImpactAnalysis.analyse(plan, data);

        ComplierEstimate cace = results.complierEffect("P+Q", "score");
        ImpactEstimate itt = results.impact("P+Q", "score", Estimator.ADJUSTED);
        assertThat(cace.estimator()).isEqualTo(Estimator.ADJUSTED);
        assertThat(cace.itt()).isEqualTo(itt.difference());
        assertThat(cace.nTreatment() + cace.nControl()).isEqualTo(itt.counts().treatment() + itt.counts().control());
        assertThat(cace.effect()).isCloseTo(itt.difference() / cace.compliance(), within(1e-9));
        assertThat(cace.compliance()).isBetween(0.4, 0.8);
        assertThat(cace.receivedControl()).isZero();
        assertThat(cace.terms()).isEqualTo(itt.terms());
        assertThat(Math.abs(cace.effect() - 3)).isLessThan(3 * cace.standardError());
        assertThat(cace.standardError()).isGreaterThan(itt.standardError());
        assertThat(cace.lower()).isLessThan(cace.effect());
        assertThat(cace.firstStageF()).isGreaterThan(10);
    }

    @Test
    void peopleWhoseAttendanceIsUnknownAreLeftOutAndCounted() {
        AnalysisDataset data = dataset(400, SEED, true);

        ImpactResults results = ImpactAnalysis.analyse(plan("engaged"), data);

        ComplierEstimate cace = results.complierEffect("P", "score");
        ImpactEstimate itt = results.impact("P", "score", Estimator.ADJUSTED);
        int unknown = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.baseline().trialGroups()[i].equals("P") && Double.isNaN(data.followUp().received()[i])
                    && !Double.isNaN(data.followUp().outcomes().get("score")[i])) unknown++;
        }
        assertThat(unknown).isPositive();
        assertThat(cace.missingReceived()).isEqualTo(unknown);
        assertThat(cace.nTreatment()).isEqualTo(itt.counts().treatment() - unknown);
        assertThat(cace.itt()).isEqualTo(itt.difference());
    }

    @Test
    void aPlanWithoutItChangesNothing(@TempDir Path out) throws Exception {
        AnalysisDataset data = dataset(200, SEED, false);
        ImpactResults with = ImpactAnalysis.analyse(plan("engaged"), data);
        ImpactResults without = ImpactAnalysis.analyse(plan(""), data);

        assertThat(without.complierEffects()).isEmpty();
        assertThat(with.complierEffects()).hasSize(2);
        assertThat(with.impacts()).hasSameSizeAs(without.impacts());
        for (int i = 0; i < with.impacts().size(); i++) {
            assertThat(with.impacts().get(i).difference()).isEqualTo(without.impacts().get(i).difference());
        }
        ImpactTablesWriter.write(without, out.resolve("without"));
        ImpactTablesWriter.write(with, out.resolve("with"));
        assertThat(out.resolve("without").resolve(ImpactTablesWriter.COMPLIER_TABLE)).doesNotExist();
        assertThat(Files.readString(out.resolve("without").resolve(ImpactTablesWriter.REPORT))).doesNotContain("Complier");
        List<String> lines = Files.readAllLines(out.resolve("with").resolve(ImpactTablesWriter.COMPLIER_TABLE), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("plan_sha256,group,outcome,").contains(",cace,se_hc1,");
        assertThat(lines.get(1)).contains(",P,score,continuous,admin,adjusted,engaged,");
        assertThat(Files.readString(out.resolve("with").resolve(ImpactTablesWriter.REPORT))).contains("Complier average causal effects");
    }

    @Test
    void aSmallNumberWhoAttendedWithholdsTheEstimate() {
        AnalysisDataset data = dataset(400, SEED, false);
        double[] received = data.followUp().received();
        int kept = 0;
        for (int i = 0; i < received.length; i++) {
            if (received[i] == 1 && data.baseline().trialGroups()[i].equals("P")) {
                if (kept < 5) kept++; else received[i] = 0;
            }
        }
        ImpactResults results = ImpactAnalysis.analyse(plan("engaged"), data);
        DisclosureControl disclosure = new DisclosureControl(10);

        assertThat(results.complierEffect("P", "score").receivedTreatment()).isEqualTo(5);
        assertThat(disclosure.suppress(results.complierEffect("P", "score"))).isTrue();
        assertThat(disclosure.suppress(results.complierEffect("P+Q", "score"))).isFalse();
        assertThat(ImpactTablesWriter.complierTable(results, disclosure).lines().skip(1).findFirst().orElseThrow()).endsWith(",yes");
    }

    @Test
    void theReceivedColumnIsReadWithTheOutcomesAndMustBeZeroOrOne(@TempDir Path dir) throws Exception {
        String planYaml = AnalysisPlanReaderTest.testPlanYaml() + "\ncomplier_average_causal_effect:\n  received: delivery_engaged\n";
        AnalysisPlan plan = AnalysisPlanReader.parse(planYaml, "plan.yml");
        assertThat(plan.receivedColumn()).isEqualTo("delivery_engaged");
        assertThat(AnalysisPlanReader.sha256(plan))
                .isNotEqualTo(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(AnalysisPlanReaderTest.testPlanYaml(), "p")));

        Path csv = dir.resolve("analysis.csv");
        Files.writeString(csv, "pid,trial_group,arm,site\np1,P,treatment,A\n");
        AnalysisPlan small = new AnalysisPlan("p", List.of("site"), List.of(new AnalysisGroup("P", List.of("P"))), List.of(SCORE),
                List.of(), List.of(), Map.of(), 10, "engaged");
        assertThatThrownBy(() -> AnalysisDatasetReader.readBaseline(csv, small))
                .hasMessageContaining("'engaged' (needed by complier_average_causal_effect.received)");

        Files.writeString(csv, "pid,trial_group,arm,site,score,engaged\np1,P,treatment,A,3,2\n");
        Baseline baseline = AnalysisDatasetReader.readBaseline(csv, small);
        PlanLock lock = PlanLock.write(small, "analysis.csv", baseline.size(), dir);
        assertThatThrownBy(() -> AnalysisDatasetReader.readFollowUp(csv, small, baseline, lock))
                .hasMessageContaining("line 2, column engaged: is the treatment received: must be 0, 1 or empty");
    }

    @Test
    void planErrorsNameTheField() {
        String base = AnalysisPlanReaderTest.testPlanYaml();
        assertThatThrownBy(() -> AnalysisPlanReader.parse(base + "\ncomplier_average_causal_effect:\n  recieved: x\n", "plan.yml"))
                .hasMessageContaining("complier_average_causal_effect.recieved: is not a known field");
        assertThatThrownBy(() -> AnalysisPlanReader.parse(base + "\ncomplier_average_causal_effect:\n  received: age_at_randomisation\n", "plan.yml"))
                .hasMessageContaining("complier_average_causal_effect.received: 'age_at_randomisation' is a baseline covariate");
        assertThatThrownBy(() -> AnalysisPlanReader.parse(base + "\ncomplier_average_causal_effect: delivery_engaged\n", "plan.yml"))
                .hasMessageContaining("complier_average_causal_effect: must be a mapping");
    }

    private static AnalysisPlan plan(String received) {
        return new AnalysisPlan("test", List.of("site", "trial_group"),
                List.of(new AnalysisGroup("P", List.of("P")), new AnalysisGroup("P+Q", List.of("P", "Q"))),
                List.of(SCORE), List.of(X), List.of(), Map.of(), 10, received);
    }

    /**
     * Two trial groups; a treated person attends when a complier (share rising with x); compliers
     * gain 3 when they attend and would do 1 better than non-compliers anyway (so the as-treated
     * comparison is biased and only the instrument recovers 3).
     */
    private static AnalysisDataset dataset(int n, long seed, boolean someUnknown) {
        Random random = new Random(seed);
        String[] groups = new String[n];
        String[] strata = new String[n];
        boolean[] treated = new boolean[n];
        double[] x = new double[n];
        double[] score = new double[n];
        double[] received = new double[n];
        String[] pids = new String[n];
        for (int i = 0; i < n; i++) {
            pids[i] = "p" + i;
            groups[i] = i % 3 == 0 ? "Q" : "P";
            strata[i] = groups[i].equals("Q") ? "B x Q" : "A x P";
            treated[i] = random.nextBoolean();
            x[i] = random.nextGaussian();
            boolean complier = random.nextDouble() < 0.5 + 0.2 * Math.signum(x[i]);
            received[i] = treated[i] && complier ? 1 : 0;
            score[i] = 10 + 3 * received[i] + (complier ? 1 : 0) + 2 * x[i] + (groups[i].equals("Q") ? 1 : 0) + random.nextGaussian();
            if (someUnknown && treated[i] && random.nextDouble() < 0.05) received[i] = Double.NaN;
        }
        Baseline baseline = new Baseline(n, pids, groups, strata, treated, Map.of("x", x), Map.of(), Map.of());
        return new AnalysisDataset(baseline, new FollowUp(Map.of("score", score), Map.of(), received));
    }
}
