package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.ipstrial.etl.impact.AnalysisPlan.Subgroup;
import org.ipstrial.etl.impact.ImpactEstimate.ArmCounts;
import org.ipstrial.etl.impact.NonResponseWeights.ResponseModel;
import org.ipstrial.etl.impact.NonResponseWeights.Weights;

/**
 * The intention-to-treat analysis itself: a pure function of the plan and the dataset, with no
 * I/O, so the command, the simulation study and the benchmark all run the same code. Everyone
 * randomised is analysed in the arm they were assigned to, whatever their status; a participant
 * is left out of an outcome's estimate only when that outcome is missing, and is then counted as
 * missing by arm. Groups x outcomes run in parallel (outcomes sharing a sample together); each
 * result lands in its own slot, so the output order, and every number, is the same on every run.
 */
public final class ImpactAnalysis {
    private ImpactAnalysis() {}

    public static ImpactResults analyse(AnalysisPlan plan, AnalysisDataset data) {
        Baseline baseline = data.baseline();
        List<AnalysisGroup> groups = plan.groups();
        List<int[]> groupRows = new ArrayList<>();
        for (AnalysisGroup g : groups) groupRows.add(rowsOf(baseline, g));

        List<String> waves = plan.outcomes().stream().filter(Outcome::survey).map(Outcome::wave).distinct().sorted().toList();
        Weights[][] weights = new Weights[groups.size()][waves.size()];
        IntStream.range(0, groups.size() * waves.size()).parallel().forEach(t -> {
            int g = t / waves.size();
            int w = t % waves.size();
            String wave = waves.get(w);
            List<Covariate> covariates = plan.nonResponseCovariates().get(wave).stream().map(plan::covariate).toList();
            weights[g][w] = NonResponseWeights.estimate(baseline, data.followUp().responded().get(wave),
                    groupRows.get(g), groups.get(g).name(), wave, covariates);
        });

        // Outcomes of a group that share their sample (same people, same weights: typically the
        // administrative outcomes, and the scores of one survey wave) are fitted together, so each
        // design is built and factorised once.
        int outcomes = plan.outcomes().size();
        List<int[]> tasks = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<int[]> classes = new ArrayList<>();
            List<int[]> classRows = new ArrayList<>();
            for (int o = 0; o < outcomes; o++) {
                Outcome outcome = plan.outcomes().get(o);
                int[] rows = OutcomeSample.rowsWith(data.followUp().outcomes().get(outcome.name()), groupRows.get(g));
                int found = -1;
                for (int c = 0; c < classes.size() && found < 0; c++) {
                    Outcome other = plan.outcomes().get(classes.get(c)[1]);
                    if (other.survey() == outcome.survey() && other.wave().equals(outcome.wave())
                            && Arrays.equals(classRows.get(c), rows)) {
                        found = c;
                    }
                }
                if (found < 0) {
                    classes.add(new int[] {g, o});
                    classRows.add(rows);
                } else {
                    int[] c = classes.get(found);
                    int[] grown = Arrays.copyOf(c, c.length + 1);
                    grown[c.length] = o;
                    classes.set(found, grown);
                }
            }
            tasks.addAll(classes);
        }
        @SuppressWarnings("unchecked")
        List<ImpactEstimate>[] impactSlots = new List[groups.size() * outcomes];
        @SuppressWarnings("unchecked")
        List<SubgroupEstimate>[] subgroupSlots = new List[groups.size() * outcomes];
        tasks.parallelStream().forEach(task -> {
            int g = task[0];
            List<Outcome> members = new ArrayList<>();
            List<OutcomeSample> samples = new ArrayList<>();
            for (int k = 1; k < task.length; k++) {
                Outcome outcome = plan.outcomes().get(task[k]);
                members.add(outcome);
                samples.add(OutcomeSample.of(baseline, data.followUp().outcomes().get(outcome.name()), groupRows.get(g)));
            }
            Outcome lead = members.get(0);
            double[] w = lead.survey() ? weights[g][waves.indexOf(lead.wave())].byRow() : null;
            List<List<ImpactEstimate>> estimates = estimates(plan, baseline, groups.get(g).name(), members, samples, w);
            List<List<SubgroupEstimate>> bySubgroup = subgroupEstimates(plan, baseline, groups.get(g).name(), members, samples, w);
            for (int k = 1; k < task.length; k++) {
                impactSlots[g * outcomes + task[k]] = estimates.get(k - 1);
                subgroupSlots[g * outcomes + task[k]] = bySubgroup.get(k - 1);
            }
        });

        List<ImpactEstimate> impacts = new ArrayList<>();
        List<SubgroupEstimate> subgroups = new ArrayList<>();
        for (int t = 0; t < impactSlots.length; t++) {
            impacts.addAll(impactSlots[t]);
            subgroups.addAll(subgroupSlots[t]);
        }
        List<BalanceRow> balance = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) balance.addAll(BalanceTable.rows(plan, baseline, groups.get(g).name(), groupRows.get(g)));
        List<ResponseModel> models = new ArrayList<>();
        for (Weights[] byWave : weights) for (Weights w : byWave) models.addAll(w.models());
        List<ComplierEstimate> complierEffects = new ArrayList<>();
        if (plan.complierEffect()) {
            @SuppressWarnings("unchecked")
            List<ComplierEstimate>[] slots = new List[groups.size() * outcomes];
            IntStream.range(0, slots.length).parallel().forEach(t -> {
                int g = t / outcomes;
                Outcome outcome = plan.outcomes().get(t % outcomes);
                double[] w = outcome.survey() ? weights[g][waves.indexOf(outcome.wave())].byRow() : null;
                ImpactEstimate itt = impactSlots[t].stream().filter(e -> e.estimator() == Estimator.headline(outcome)).findFirst()
                        .orElseThrow();
                slots[t] = List.of(complierEffect(plan, data, groups.get(g).name(), groupRows.get(g), outcome, w, itt));
            });
            for (List<ComplierEstimate> slot : slots) complierEffects.addAll(slot);
        }
        return new ImpactResults(plan, AnalysisPlanReader.sha256(plan), impacts, subgroups, balance, models, complierEffects);
    }

    /**
     * The complier average causal effect of one outcome in one group: the people with the outcome
     * and the treatment received both known, the headline estimator's design (strata and covariates)
     * with the assignment as the instrument for the treatment received, weighted for survey outcomes.
     */
    private static ComplierEstimate complierEffect(AnalysisPlan plan, AnalysisDataset data, String group, int[] groupRows,
                                                   Outcome outcome, double[] weightsByRow, ImpactEstimate itt) {
        Baseline baseline = data.baseline();
        double[] outcomeValues = data.followUp().outcomes().get(outcome.name());
        double[] received = data.followUp().received();
        int[] withOutcome = OutcomeSample.rowsWith(outcomeValues, groupRows);
        int[] rows = Arrays.stream(withOutcome).filter(r -> !Double.isNaN(received[r])).toArray();
        int missingReceived = withOutcome.length - rows.length;
        int n = rows.length;
        double[] y = new double[n];
        double[] d = new double[n];
        double[] w = weightsByRow == null ? null : new double[n];
        int[] arm = new int[2];
        int[] took = new int[2];
        int[] events = new int[2];
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            y[i] = outcomeValues[r];
            d[i] = received[r];
            if (w != null) w[i] = weightsByRow[r];
            int a = baseline.treatment()[r] ? 1 : 0;
            arm[a]++;
            if (d[i] == 1) took[a]++;
            if (y[i] == 1) events[a]++;
        }
        boolean binary = outcome.type() == OutcomeType.BINARY;
        Estimator estimator = Estimator.headline(outcome);
        double compliance = Double.NaN;
        double complianceSe = Double.NaN;
        double effect = Double.NaN;
        double se = Double.NaN;
        double lower = Double.NaN;
        double upper = Double.NaN;
        double p = Double.NaN;
        int df = 0;
        int terms = 0;
        if (arm[0] > 0 && arm[1] > 0) {
            DesignMatrix design = DesignMatrix.over(baseline, rows).intercept().treatment().adjustment(plan);
            double[][] z = design.columns();
            RobustFit firstStage = RobustRegression.fitColumns(z, d, w, design.names());
            if (firstStage.has(DesignMatrix.TREATMENT) && firstStage.residualDegreesOfFreedom() >= 1) {
                compliance = firstStage.coefficient(DesignMatrix.TREATMENT);
                complianceSe = firstStage.standardError(DesignMatrix.TREATMENT);
            }
            RobustFit fit = TwoStageLeastSquares.fit(z, design.names().indexOf(DesignMatrix.TREATMENT), d, y, w, design.names());
            terms = fit.names().size();
            df = fit.residualDegreesOfFreedom();
            if (fit.has(TwoStageLeastSquares.RECEIVED) && df >= 1) {
                effect = fit.coefficient(TwoStageLeastSquares.RECEIVED);
                se = fit.standardError(TwoStageLeastSquares.RECEIVED);
                double t = Inference.tCritical(df);
                lower = effect - t * se;
                upper = effect + t * se;
                p = Inference.tPValue(effect, se, df);
            }
        }
        double f = complianceSe > 0 ? (compliance / complianceSe) * (compliance / complianceSe) : Double.NaN;
        return new ComplierEstimate(group, outcome, estimator, arm[1], arm[0], missingReceived, took[1], took[0],
                binary ? events[1] : -1, binary ? events[0] : -1, compliance, complianceSe, f,
                itt.difference(), itt.standardError(), effect, se, lower, upper, df, p, terms);
    }

    /** Dataset rows whose trial group belongs to the analysis group. */
    static int[] rowsOf(Baseline baseline, AnalysisGroup group) {
        Set<String> members = new HashSet<>(group.trialGroups());
        return IntStream.range(0, baseline.size()).filter(i -> members.contains(baseline.trialGroups()[i])).toArray();
    }

    /** An outcome in one group: who has it, who is missing it. */
    private record OutcomeSample(int[] rows, double[] y, int missingTreatment, int missingControl) {
        static int[] rowsWith(double[] outcome, int[] groupRows) {
            return Arrays.stream(groupRows).filter(r -> !Double.isNaN(outcome[r])).toArray();
        }

        static OutcomeSample of(Baseline baseline, double[] outcome, int[] groupRows) {
            int[] rows = rowsWith(outcome, groupRows);
            int missingTreatment = 0;
            int missingControl = 0;
            for (int r : groupRows) {
                if (Double.isNaN(outcome[r])) {
                    if (baseline.treatment()[r]) missingTreatment++; else missingControl++;
                }
            }
            double[] y = new double[rows.length];
            for (int i = 0; i < rows.length; i++) y[i] = outcome[rows[i]];
            return new OutcomeSample(rows, y, missingTreatment, missingControl);
        }
    }

    /** Estimates for outcomes sharing one sample (same rows, same weights), per outcome in order. */
    private static List<List<ImpactEstimate>> estimates(AnalysisPlan plan, Baseline baseline, String group, List<Outcome> outcomes,
                                                        List<OutcomeSample> samples, double[] weightsByRow) {
        int[] rows = samples.get(0).rows();
        int n = rows.length;
        int nTreatment = 0;
        for (int r : rows) if (baseline.treatment()[r]) nTreatment++;
        int nControl = n - nTreatment;
        List<ArmCounts> counts = new ArrayList<>();
        for (int k = 0; k < outcomes.size(); k++) {
            OutcomeSample sample = samples.get(k);
            int eventsTreatment = 0;
            int eventsControl = 0;
            for (int i = 0; i < n; i++) {
                if (sample.y()[i] == 1) {
                    if (baseline.treatment()[rows[i]]) eventsTreatment++; else eventsControl++;
                }
            }
            boolean binary = outcomes.get(k).type() == OutcomeType.BINARY;
            counts.add(new ArmCounts(nTreatment, nControl, sample.missingTreatment(), sample.missingControl(),
                    binary ? eventsTreatment : -1, binary ? eventsControl : -1));
        }
        double[] sampleWeights = null;
        if (weightsByRow != null) {
            sampleWeights = new double[n];
            for (int i = 0; i < n; i++) sampleWeights[i] = weightsByRow[rows[i]];
        }
        double[][] ys = samples.stream().map(OutcomeSample::y).toArray(double[][]::new);
        List<List<ImpactEstimate>> out = new ArrayList<>();
        for (int k = 0; k < outcomes.size(); k++) out.add(new ArrayList<>());
        boolean survey = outcomes.get(0).survey();
        for (Estimator estimator : Estimator.values()) {
            if (estimator.weighted() && !survey) continue;
            double[] w = estimator.weighted() ? sampleWeights : null;
            List<RobustFit> fits = null;
            if (nTreatment > 0 && nControl > 0) {
                DesignMatrix design = DesignMatrix.over(baseline, rows).intercept().treatment();
                if (estimator.adjusted()) design.adjustment(plan);
                fits = RobustRegression.fitColumns(design.columns(), ys, w, design.names());
            }
            for (int k = 0; k < outcomes.size(); k++) {
                Outcome outcome = outcomes.get(k);
                ArmCounts c = counts.get(k);
                ArmMoments moments = ArmMoments.of(baseline, rows, ys[k], w);
                RiskRatio riskRatio = outcome.type() == OutcomeType.BINARY && estimator == Estimator.UNADJUSTED
                        ? RiskRatio.of(c.eventsTreatment(), nTreatment, c.eventsControl(), nControl) : null;
                double controlSd = outcome.standardised() ? moments.sdControl() : Double.NaN;
                out.get(k).add(fits == null
                        ? new ImpactEstimate(group, outcome, estimator, c, moments.meanTreatment(), moments.meanControl(),
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, controlSd, riskRatio, 0)
                        : fromFit(group, outcome, estimator, c, moments, fits.get(k), controlSd, riskRatio));
            }
        }
        return out;
    }

    private static ImpactEstimate fromFit(String group, Outcome outcome, Estimator estimator, ArmCounts counts,
                                          ArmMoments moments, RobustFit fit, double controlSd, RiskRatio riskRatio) {
        int df = fit.residualDegreesOfFreedom();
        if (!fit.has(DesignMatrix.TREATMENT) || df < 1) {
            return new ImpactEstimate(group, outcome, estimator, counts, moments.meanTreatment(), moments.meanControl(),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, df, Double.NaN, controlSd, riskRatio, fit.names().size());
        }
        double difference = fit.coefficient(DesignMatrix.TREATMENT);
        double se = fit.standardError(DesignMatrix.TREATMENT);
        double t = Inference.tCritical(df);
        return new ImpactEstimate(group, outcome, estimator, counts, moments.meanTreatment(), moments.meanControl(),
                difference, se, difference - t * se, difference + t * se, df, Inference.tPValue(difference, se, df),
                controlSd, riskRatio, fit.names().size());
    }

    /** Means and control SD by arm, weighted when weights are given. */
    private record ArmMoments(double meanTreatment, double meanControl, double sdControl) {
        static ArmMoments of(Baseline baseline, int[] rows, double[] y, double[] w) {
            double[] sumW = new double[2];
            double[] sumWy = new double[2];
            int[] count = new int[2];
            for (int i = 0; i < rows.length; i++) {
                int arm = baseline.treatment()[rows[i]] ? 1 : 0;
                double wi = w == null ? 1 : w[i];
                sumW[arm] += wi;
                sumWy[arm] += wi * y[i];
                count[arm]++;
            }
            double meanControl = sumWy[0] / sumW[0];
            double squares = 0;
            for (int i = 0; i < rows.length; i++) {
                if (!baseline.treatment()[rows[i]]) {
                    double d = y[i] - meanControl;
                    squares += (w == null ? 1 : w[i]) * d * d;
                }
            }
            // Weighted: sum w (y - ybar_w)^2 / sum w, times n/(n-1); with unit weights the usual n-1 SD.
            double sd = count[0] < 2 ? Double.NaN : Math.sqrt(squares / sumW[0] * count[0] / (count[0] - 1));
            return new ArmMoments(count[1] == 0 ? Double.NaN : sumWy[1] / sumW[1], count[0] == 0 ? Double.NaN : meanControl, sd);
        }
    }

    /**
     * Subgroup effects: within the group's outcome sample (people whose subgroup is known), a
     * regression on the strata, the subgroup's level dummies and treatment x each level, so the
     * coefficient of treatment x level k is the effect in level k. Survey outcomes are weighted.
     * The interaction test is the Wald test that all those effects are equal. The pre-specified
     * covariates are left out here: with the strata they add little precision inside subgroups
     * and would multiply the cost by the number of subgroups.
     */
    private static List<List<SubgroupEstimate>> subgroupEstimates(AnalysisPlan plan, Baseline baseline, String group,
                                                                  List<Outcome> outcomes, List<OutcomeSample> samples,
                                                                  double[] weightsByRow) {
        List<List<SubgroupEstimate>> out = new ArrayList<>();
        for (int k = 0; k < outcomes.size(); k++) out.add(new ArrayList<>());
        int[] sampleRows = samples.get(0).rows();
        String estimatorLabel = outcomes.get(0).survey() ? "weighted_strata_adjusted" : "strata_adjusted";
        for (Subgroup subgroup : plan.subgroups()) {
            int[] levelOf = baseline.subgroupLevels().get(subgroup.name());
            List<String> labels = subgroup.levelLabels();
            int known = 0;
            for (int r : sampleRows) if (levelOf[r] >= 0) known++;
            int missingSubgroup = sampleRows.length - known;
            int[] rows = new int[known];
            double[][] ys = new double[outcomes.size()][known];
            double[] w = weightsByRow == null ? null : new double[known];
            for (int i = 0, j = 0; i < sampleRows.length; i++) {
                int r = sampleRows[i];
                if (levelOf[r] < 0) continue;
                rows[j] = r;
                for (int k = 0; k < outcomes.size(); k++) ys[k][j] = samples.get(k).y()[i];
                if (w != null) w[j] = weightsByRow[r];
                j++;
            }

            DesignMatrix design = DesignMatrix.over(baseline, rows).intercept().strata();
            int levels = labels.size();
            int[][] armLevelCounts = new int[2][levels];
            for (int r : rows) armLevelCounts[baseline.treatment()[r] ? 1 : 0][levelOf[r]]++;
            for (int level = 1; level < levels; level++) {
                double[] c = new double[rows.length];
                for (int i = 0; i < rows.length; i++) c[i] = levelOf[rows[i]] == level ? 1 : 0;
                design.column(subgroup.name() + "[" + labels.get(level) + "]", c);
            }
            List<String> effectTerms = new ArrayList<>();
            for (int level = 0; level < levels; level++) {
                double[] c = new double[rows.length];
                for (int i = 0; i < rows.length; i++) c[i] = levelOf[rows[i]] == level && baseline.treatment()[rows[i]] ? 1 : 0;
                String term = "treatment x " + subgroup.name() + "[" + labels.get(level) + "]";
                effectTerms.add(term);
                design.column(term, c);
            }
            List<RobustFit> fits = rows.length == 0 ? null : RobustRegression.fitColumns(design.columns(), ys, w, design.names());
            for (int k = 0; k < outcomes.size(); k++) {
                RobustFit fit = fits == null ? null : fits.get(k);
                double[] y = ys[k];
                int[][] armLevelEvents = new int[2][levels];
                for (int i = 0; i < rows.length; i++) if (y[i] == 1) armLevelEvents[baseline.treatment()[rows[i]] ? 1 : 0][levelOf[rows[i]]]++;
                List<String> estimable = new ArrayList<>();
                for (int level = 0; level < levels; level++) {
                    if (fit != null && fit.has(effectTerms.get(level))
                            && armLevelCounts[0][level] > 0 && armLevelCounts[1][level] > 0) {
                        estimable.add(effectTerms.get(level));
                    }
                }
                WaldTest interaction = estimable.size() >= 2 && fit.residualDegreesOfFreedom() >= 1
                        ? WaldTest.equalCoefficients(fit, estimable) : null;
                boolean binary = outcomes.get(k).type() == OutcomeType.BINARY;
                for (int level = 0; level < levels; level++) {
                    double effect = Double.NaN;
                    double se = Double.NaN;
                    double lower = Double.NaN;
                    double upper = Double.NaN;
                    double p = Double.NaN;
                    if (estimable.contains(effectTerms.get(level)) && fit.residualDegreesOfFreedom() >= 1) {
                        int df = fit.residualDegreesOfFreedom();
                        effect = fit.coefficient(effectTerms.get(level));
                        se = fit.standardError(effectTerms.get(level));
                        double t = Inference.tCritical(df);
                        lower = effect - t * se;
                        upper = effect + t * se;
                        p = Inference.tPValue(effect, se, df);
                    }
                    out.get(k).add(new SubgroupEstimate(group, outcomes.get(k).name(), subgroup.name(), labels.get(level),
                            estimatorLabel, armLevelCounts[1][level], armLevelCounts[0][level],
                            binary ? armLevelEvents[1][level] : -1, binary ? armLevelEvents[0][level] : -1,
                            effect, se, lower, upper, p, interaction, missingSubgroup));
                }
            }
        }
        return out;
    }

    /** Rows whose trial group is in no analysis group, by trial group (reported, never silently dropped). */
    public static Map<String, Integer> unanalysedTrialGroups(AnalysisPlan plan, Baseline baseline) {
        Set<String> analysed = new HashSet<>();
        plan.groups().forEach(g -> analysed.addAll(g.trialGroups()));
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (String tg : baseline.trialGroups()) if (!analysed.contains(tg)) out.merge(tg, 1, Integer::sum);
        return out;
    }
}
