package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Just-identified two-stage least squares with the HC1 heteroskedasticity-robust covariance: the
 * instrument (random assignment) replaces the treatment received in exactly one column, every other
 * column (intercept, strata, covariates) instruments itself.
 *
 * <pre>
 *   Z = [1, assigned, W],  X = [1, received, W]
 *   beta = (Z'WX)^-1 Z'Wy
 *   e_i  = y_i - x_i' beta           (residuals with the received treatment, not its first-stage fit)
 *   V    = n/(n-k) (Z'WX)^-1 [ sum_i w_i^2 e_i^2 z_i z_i' ] (X'WZ)^-1
 * </pre>
 *
 * This is what Stata's {@code ivregress 2sls ..., vce(robust) small} reports. HC1 rather than the
 * HC2 of the intention-to-treat fits because leverage has no single definition for an instrumental
 * variables fit (the hat matrix of 2SLS is not symmetric); HC1's n/(n-k) is the usual small-sample
 * factor; at the trial's sample sizes both it and HC2's 1/(1-h_ii) are about 1 + k/n, so they differ
 * by a fraction of a percent.
 * Columns of W that are empty or aliased in a sample are dropped from both Z and X by the same
 * {@link CollinearityScreen} the other fits use, applied to Z'WZ. The p x p solve and inverse are
 * Commons Math's LU decomposition; the n x p sums are plain loops over each row.
 */
public final class TwoStageLeastSquares {
    /** Name of the received-treatment term in the fit. */
    public static final String RECEIVED = "received";

    private TwoStageLeastSquares() {}

    /**
     * @param instruments design columns (p x n) holding the assignment in column {@code assignedColumn}
     * @param received the treatment received (0/1), one per row
     * @param weights null means every weight is 1
     * @return the fit with {@link #RECEIVED} in place of the assignment column; without that term
     *     (and with NaN nowhere) when assignment is aliased or does not move the treatment received
     */
    public static RobustFit fit(double[][] instruments, int assignedColumn, double[] received, double[] y,
                                double[] weights, List<String> names) {
        int p = names.size();
        int n = y.length;
        if (instruments.length != p || (p > 0 && instruments[0].length != n) || received.length != n
                || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException("instruments, received, outcome and weights differ in length");
        }
        double[][] ztz = new double[p][p];
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            for (int a = 0; a < p; a++) {
                double za = w * instruments[a][i];
                if (za == 0) continue;
                for (int b = 0; b < p; b++) ztz[a][b] += za * instruments[b][i];
            }
        }
        int[] kept = CollinearityScreen.keptColumns(ztz);
        int q = kept.length;
        List<String> keptNames = new ArrayList<>(q);
        List<String> dropped = new ArrayList<>();
        boolean[] isKept = new boolean[p];
        int endogenous = -1;
        for (int r = 0; r < q; r++) {
            isKept[kept[r]] = true;
            if (kept[r] == assignedColumn) {
                endogenous = r;
                keptNames.add(RECEIVED);
            } else {
                keptNames.add(names.get(kept[r]));
            }
        }
        for (int j = 0; j < p; j++) if (!isKept[j]) dropped.add(names.get(j));
        if (endogenous < 0) return new RobustFit(List.of(), new double[0], new double[0][0], n, n, names);

        double[][] zx = new double[q][q];
        double[] zy = new double[q];
        double[] z = new double[q];
        double[] x = new double[q];
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (w == 0) continue;
            row(instruments, kept, endogenous, received, i, z, x);
            for (int a = 0; a < q; a++) {
                double za = w * z[a];
                if (za == 0) continue;
                zy[a] += za * y[i];
                for (int b = 0; b < q; b++) zx[a][b] += za * x[b];
            }
        }
        DecompositionSolver solver = new LUDecomposition(new Array2DRowRealMatrix(zx, false)).getSolver();
        if (!solver.isNonSingular()) {
            // Assignment does not move the treatment received once the other terms are in: no estimate.
            return new RobustFit(List.of(), new double[0], new double[0][0], n, n, names);
        }
        double[] beta = solver.solve(new ArrayRealVector(zy, false)).toArray();
        RealMatrix inverse = solver.getInverse();

        double[][] meat = new double[q][q];
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (w == 0) continue;
            row(instruments, kept, endogenous, received, i, z, x);
            double fitted = 0;
            for (int a = 0; a < q; a++) fitted += x[a] * beta[a];
            double e = y[i] - fitted;
            double scale = w * w * e * e;
            if (scale == 0) continue;
            for (int a = 0; a < q; a++) {
                double sa = scale * z[a];
                if (sa == 0) continue;
                for (int b = 0; b < q; b++) meat[a][b] += sa * z[b];
            }
        }
        int df = n - q;
        double factor = df > 0 ? (double) n / df : Double.NaN;
        double[][] covariance = inverse.multiply(new Array2DRowRealMatrix(meat, false)).multiply(inverse.transpose())
                .scalarMultiply(factor).getData();
        for (int r = 0; r < q; r++) for (int c = 0; c < r; c++) {
            double s = 0.5 * (covariance[r][c] + covariance[c][r]);
            covariance[r][c] = s;
            covariance[c][r] = s;
        }
        return new RobustFit(keptNames, beta, covariance, n, df, dropped);
    }

    private static void row(double[][] instruments, int[] kept, int endogenous, double[] received, int i, double[] z, double[] x) {
        for (int a = 0; a < kept.length; a++) {
            z[a] = instruments[kept[a]][i];
            x[a] = a == endogenous ? received[i] : z[a];
        }
    }
}
