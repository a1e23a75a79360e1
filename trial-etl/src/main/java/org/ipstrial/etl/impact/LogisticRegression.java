package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Maximum-likelihood logistic regression by iteratively reweighted least squares (Newton-Raphson
 * for the canonical link):
 *
 * <pre>
 *   eta = X beta,  mu = 1 / (1 + exp(-eta)),  v_i = mu_i (1 - mu_i)
 *   beta_new = (X'VX)^-1 X'V z,  z_i = eta_i + (y_i - mu_i) / v_i
 * </pre>
 *
 * starting from beta = 0 and stopping when no coefficient moves by more than 1e-10 (absolute) or
 * after 50 iterations. Each step is solved with Commons Math's LU decomposition. Columns aliased in
 * the sample are dropped first (see {@link CollinearityScreen}). Under complete separation the
 * likelihood has no maximum: the fit then reports {@code converged = false} and its fitted
 * probabilities run towards 0 or 1, which is what the data say.
 */
public final class LogisticRegression {
    static final int MAX_ITERATIONS = 50;
    static final double CONVERGENCE = 1e-10;

    private LogisticRegression() {}

    /**
     * @param keptColumns indices into the original design of the kept columns
     * @param covariance inverse of the observed information X'VX at the estimate (model-based)
     */
    public record Fit(List<String> names, int[] keptColumns, double[] coefficients, double[][] covariance,
                      int iterations, boolean converged) {
        public Fit {
            names = List.copyOf(names);
        }

        /** Fitted probability for one row of the original (unreduced) design. */
        public double probability(double[] row) {
            double eta = 0;
            for (int r = 0; r < keptColumns.length; r++) eta += row[keptColumns[r]] * coefficients[r];
            return 1 / (1 + Math.exp(-eta));
        }

        public double coefficient(String term) {
            return coefficients[names.indexOf(term)];
        }

        public double standardError(String term) {
            int i = names.indexOf(term);
            return Math.sqrt(covariance[i][i]);
        }
    }

    public static Fit fit(double[][] x, double[] y, List<String> names) {
        int n = x.length;
        int p = names.size();
        for (int i = 0; i < n; i++) {
            if (y[i] != 0 && y[i] != 1) throw new IllegalArgumentException("logistic outcome must be 0 or 1");
        }
        double[][] xtx = new double[p][p];
        for (double[] xi : x) {
            for (int j = 0; j < p; j++) for (int k = j; k < p; k++) xtx[j][k] += xi[j] * xi[k];
        }
        for (int j = 0; j < p; j++) for (int k = 0; k < j; k++) xtx[j][k] = xtx[k][j];
        int[] kept = CollinearityScreen.keptColumns(xtx);
        int q = kept.length;
        List<String> keptNames = new ArrayList<>();
        for (int k : kept) keptNames.add(names.get(k));

        double[] beta = new double[q];
        double[] xr = new double[q];
        int[] nz = new int[q];
        double[][] information = new double[q][q];
        int iteration = 0;
        boolean converged = false;
        while (iteration < MAX_ITERATIONS && !converged) {
            iteration++;
            information = new double[q][q];
            double[] score = new double[q];
            for (int i = 0; i < n; i++) {
                double eta = 0;
                int m = 0;
                for (int r = 0; r < q; r++) {
                    xr[r] = x[i][kept[r]];
                    if (xr[r] != 0) {
                        nz[m++] = r;
                        eta += xr[r] * beta[r];
                    }
                }
                double mu = 1 / (1 + Math.exp(-eta));
                double v = Math.max(mu * (1 - mu), 1e-300);
                double resid = y[i] - mu;
                for (int t = 0; t < m; t++) {
                    int r = nz[t];
                    score[r] += xr[r] * resid;
                    double vr = v * xr[r];
                    double[] row = information[r];
                    for (int u = t; u < m; u++) row[nz[u]] += vr * xr[nz[u]];
                }
            }
            for (int r = 0; r < q; r++) for (int c = 0; c < r; c++) information[r][c] = information[c][r];
            // Newton step: (X'VX) delta = X'(y - mu), the same as the IRLS working-response update.
            double[] delta;
            try {
                delta = new LUDecomposition(new Array2DRowRealMatrix(information, false))
                        .getSolver().solve(new ArrayRealVector(score, false)).toArray();
            } catch (SingularMatrixException separated) {
                break; // fitted probabilities have reached 0 or 1: separation, reported as not converged
            }
            double largest = 0;
            for (int r = 0; r < q; r++) {
                beta[r] += delta[r];
                largest = Math.max(largest, Math.abs(delta[r]));
            }
            converged = largest < CONVERGENCE;
        }
        double[][] covariance;
        try {
            covariance = new LUDecomposition(new Array2DRowRealMatrix(information, false))
                    .getSolver().getInverse().getData();
        } catch (SingularMatrixException separated) {
            covariance = new double[q][q];
            for (double[] row : covariance) java.util.Arrays.fill(row, Double.NaN);
        }
        return new Fit(keptNames, kept, beta, covariance, iteration, converged);
    }
}
