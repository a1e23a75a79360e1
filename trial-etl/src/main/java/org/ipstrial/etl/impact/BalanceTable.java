package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Subgroup;

/**
 * Baseline balance by arm within an analysis group: every covariate and every subgroup variable.
 * Standardised differences: for a numeric variable (mean_T - mean_C) / sqrt((sd_T^2 + sd_C^2) / 2);
 * for a level, (p_T - p_C) / sqrt((p_T(1 - p_T) + p_C(1 - p_C)) / 2), p being the share of the arm.
 */
final class BalanceTable {
    private BalanceTable() {}

    static List<BalanceRow> rows(AnalysisPlan plan, Baseline baseline, String group, int[] rows) {
        int[] total = new int[2];
        for (int r : rows) total[arm(baseline, r)]++;
        List<BalanceRow> out = new ArrayList<>();
        out.add(new BalanceRow(group, "participants", "", "participants", total[1], 100, Double.NaN, Double.NaN,
                total[0], 100, Double.NaN, Double.NaN, Double.NaN));
        for (Covariate c : plan.covariates()) {
            if (c.kind() == CovariateKind.NUMERIC) {
                numeric(out, baseline, group, rows, total, c.name(), baseline.numeric().get(c.name()));
            } else {
                categorical(out, baseline, group, rows, total, c.name(), c.labels(), baseline.categorical().get(c.name()));
            }
        }
        for (Subgroup s : plan.subgroups()) {
            categorical(out, baseline, group, rows, total, "subgroup: " + s.name(), s.levelLabels(), baseline.subgroupLevels().get(s.name()));
        }
        return out;
    }

    private static int arm(Baseline baseline, int row) {
        return baseline.treatment()[row] ? 1 : 0;
    }

    private static void numeric(List<BalanceRow> out, Baseline baseline, String group, int[] rows, int[] total,
                                String name, double[] values) {
        int[] n = new int[2];
        double[] sum = new double[2];
        for (int r : rows) {
            if (!Double.isNaN(values[r])) {
                n[arm(baseline, r)]++;
                sum[arm(baseline, r)] += values[r];
            }
        }
        double[] mean = {n[0] == 0 ? Double.NaN : sum[0] / n[0], n[1] == 0 ? Double.NaN : sum[1] / n[1]};
        double[] squares = new double[2];
        for (int r : rows) {
            if (!Double.isNaN(values[r])) {
                double d = values[r] - mean[arm(baseline, r)];
                squares[arm(baseline, r)] += d * d;
            }
        }
        double[] sd = {n[0] < 2 ? Double.NaN : Math.sqrt(squares[0] / (n[0] - 1)), n[1] < 2 ? Double.NaN : Math.sqrt(squares[1] / (n[1] - 1))};
        double smd = (mean[1] - mean[0]) / Math.sqrt((sd[1] * sd[1] + sd[0] * sd[0]) / 2);
        out.add(new BalanceRow(group, name, "", name, n[1], percent(n[1], total[1]), mean[1], sd[1],
                n[0], percent(n[0], total[0]), mean[0], sd[0], smd));
        addLevel(out, group, name, "(missing)", name, total[1] - n[1], total[1], total[0] - n[0], total[0]);
    }

    private static void categorical(List<BalanceRow> out, Baseline baseline, String group, int[] rows, int[] total,
                                    String name, List<String> levels, int[] levelOf) {
        int[][] n = new int[2][levels.size() + 1];
        for (int r : rows) {
            int level = levelOf[r];
            n[arm(baseline, r)][level < 0 ? levels.size() : level]++;
        }
        for (int level = 0; level < levels.size(); level++) {
            addLevel(out, group, name, levels.get(level), name, n[1][level], total[1], n[0][level], total[0]);
        }
        addLevel(out, group, name, "(missing)", name, n[1][levels.size()], total[1], n[0][levels.size()], total[0]);
    }

    private static void addLevel(List<BalanceRow> out, String group, String name, String level, String cellGroup,
                                 int nTreatment, int totalTreatment, int nControl, int totalControl) {
        double pT = (double) nTreatment / totalTreatment;
        double pC = (double) nControl / totalControl;
        double smd = (pT - pC) / Math.sqrt((pT * (1 - pT) + pC * (1 - pC)) / 2);
        out.add(new BalanceRow(group, name, level, cellGroup, nTreatment, percent(nTreatment, totalTreatment),
                Double.NaN, Double.NaN, nControl, percent(nControl, totalControl), Double.NaN, Double.NaN,
                Double.isFinite(smd) ? smd : Double.NaN));
    }

    private static double percent(int count, int total) {
        return total == 0 ? Double.NaN : 100.0 * count / total;
    }
}
