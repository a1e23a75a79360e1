package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;

/**
 * Builds a regression design over a sample of rows, term by term, with the trial's coding rules:
 * strata as dummies against the first stratum present (in sorted order); categorical covariates as
 * dummies against their first listed level, plus a dummy for "missing"; numeric covariates with
 * missing values replaced by the sample mean of the observed values plus a missing indicator (the
 * missing-indicator method, unbiased for the treatment effect in a randomised trial because
 * baseline values cannot depend on the arm). Columns that turn out empty or aliased in a sample
 * are dropped later by the fit, never the intercept or treatment, which come first.
 */
final class DesignMatrix {
    static final String INTERCEPT = "(intercept)";
    static final String TREATMENT = "treatment";

    private final Baseline baseline;
    private final int[] rows;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> columns = new ArrayList<>();

    private DesignMatrix(Baseline baseline, int[] rows) {
        this.baseline = baseline;
        this.rows = rows;
    }

    static DesignMatrix over(Baseline baseline, int[] rows) {
        return new DesignMatrix(baseline, rows);
    }

    DesignMatrix intercept() {
        double[] c = new double[rows.length];
        java.util.Arrays.fill(c, 1.0);
        return column(INTERCEPT, c);
    }

    DesignMatrix treatment() {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) c[i] = baseline.treatment()[rows[i]] ? 1 : 0;
        return column(TREATMENT, c);
    }

    DesignMatrix strata() {
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (int r : rows) seen.add(baseline.strata()[r]);
        List<String> present = seen.stream().sorted().toList();
        boolean reference = true;
        for (String stratum : present) {
            if (reference) {
                reference = false;
                continue;
            }
            double[] c = new double[rows.length];
            for (int i = 0; i < rows.length; i++) c[i] = baseline.strata()[rows[i]].equals(stratum) ? 1 : 0;
            column("stratum[" + stratum + "]", c);
        }
        return this;
    }

    /**
     * The adjustment of every adjusted model: the strata, the plan's covariates and, for a minimised
     * trial, the minimisation factors (as guidance recommends: the allocation depended on them).
     */
    DesignMatrix adjustment(AnalysisPlan plan) {
        return strata().covariates(plan.covariates()).minimisationFactors();
    }

    /**
     * The minimisation factors that are neither strata nor covariates, dummy-coded against their
     * first level in sorted order (levels as found in the dataset), plus a dummy for missing.
     */
    DesignMatrix minimisationFactors() {
        return covariates(baseline.minimisationFactors());
    }

    DesignMatrix covariates(List<Covariate> covariates) {
        for (Covariate cov : covariates) {
            if (cov.kind() == CovariateKind.NUMERIC) {
                double[] values = baseline.numeric().get(cov.name());
                double sum = 0;
                int observed = 0;
                for (int r : rows) {
                    if (!Double.isNaN(values[r])) {
                        sum += values[r];
                        observed++;
                    }
                }
                double mean = observed == 0 ? 0 : sum / observed;
                double[] c = new double[rows.length];
                double[] missing = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    double v = values[rows[i]];
                    if (Double.isNaN(v)) {
                        c[i] = mean;
                        missing[i] = 1;
                    } else {
                        c[i] = v;
                    }
                }
                column(cov.name(), c);
                if (observed < rows.length) column(cov.name() + "[missing]", missing);
            } else {
                int[] levels = baseline.categorical().get(cov.name());
                for (int level = 1; level < cov.levels().size(); level++) {
                    column(cov.name() + "[" + cov.levels().get(level) + "]", indicator(levels, level));
                }
                double[] missing = indicator(levels, -1);
                boolean any = false;
                for (double m : missing) any |= m == 1;
                if (any) column(cov.name() + "[missing]", missing);
            }
        }
        return this;
    }

    private double[] indicator(int[] levels, int level) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) c[i] = levels[rows[i]] == level ? 1 : 0;
        return c;
    }

    DesignMatrix column(String name, double[] values) {
        if (values.length != rows.length) throw new IllegalArgumentException("column " + name + " has the wrong length");
        names.add(name);
        columns.add(values);
        return this;
    }

    List<String> names() {
        return List.copyOf(names);
    }

    /** The columns (p x n), shared, not copied: the fit only reads them. */
    double[][] columns() {
        return columns.toArray(double[][]::new);
    }

    double[][] rowMajor() {
        int p = columns.size();
        double[][] x = new double[rows.length][p];
        for (int j = 0; j < p; j++) {
            double[] c = columns.get(j);
            for (int i = 0; i < rows.length; i++) x[i][j] = c[i];
        }
        return x;
    }
}
