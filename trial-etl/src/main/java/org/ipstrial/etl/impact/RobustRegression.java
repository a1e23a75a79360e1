package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Ordinary or weighted least squares with the HC2 heteroskedasticity-robust covariance
 * (MacKinnon and White 1985):
 *
 * <pre>
 *   beta = (X'WX)^-1 X'Wy
 *   h_ii = w_i x_i' (X'WX)^-1 x_i
 *   V    = (X'WX)^-1 [ sum_i w_i^2 e_i^2 / (1 - h_ii) x_i x_i' ] (X'WX)^-1
 * </pre>
 *
 * With all weights 1 this is the textbook (X'X)^-1 X' diag(e_i^2/(1-h_ii)) X (X'X)^-1; with weights
 * it is HC2 of the OLS fit of sqrt(w)y on sqrt(w)X, the weights treated as known. An observation with
 * leverage 1 (alone in its stratum) has residual exactly 0 and contributes nothing. The p x p
 * inverse comes from Commons Math's LU decomposition; the n x p products are plain loops, which is
 * where the time goes.
 */
public final class RobustRegression {
    private RobustRegression() {}

    /** Rows of the design (n x p); {@code weights} null means every weight is 1. */
    public static RobustFit fit(double[][] rows, double[] y, double[] weights, List<String> names) {
        double[][] columns = new double[names.size()][rows.length];
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < names.size(); j++) columns[j][i] = rows[i][j];
        return fitColumns(columns, y, weights, names);
    }

    /** Columns of the design (p x n), as {@link DesignMatrix} builds them, so no copy is made. */
    public static RobustFit fitColumns(double[][] x, double[] y, double[] weights, List<String> names) {
        return fitColumns(x, new double[][] {y}, weights, names).get(0);
    }

    /**
     * Several outcomes on the same design, rows and weights: X'WX, its inverse and the leverages
     * are computed once; each outcome gets its own coefficients and HC2 covariance, exactly as if
     * fitted alone (the same sums in the same order).
     */
    public static List<RobustFit> fitColumns(double[][] x, double[][] ys, double[] weights, List<String> names) {
        int p = names.size();
        int outcomes = ys.length;
        int n = ys[0].length;
        for (double[] y : ys) if (y.length != n) throw new IllegalArgumentException("outcomes differ in length");
        if (x.length != p || (p > 0 && x[0].length != n) || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException("design, outcome and weights differ in length");
        }
        double[][] xtx = new double[p][p];
        double[][] xty = new double[outcomes][p];
        // Designs are mostly dummies: work on each row's non-zero entries only (ascending order,
        // so the upper triangle is filled).
        int[] nonZero = new int[p];
        double[] xi = new double[p];
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (w == 0) continue;
            int m = 0;
            for (int j = 0; j < p; j++) {
                xi[j] = x[j][i];
                if (xi[j] != 0) nonZero[m++] = j;
            }
            for (int k = 0; k < outcomes; k++) {
                double wy = w * ys[k][i];
                double[] xtyk = xty[k];
                for (int a = 0; a < m; a++) xtyk[nonZero[a]] += xi[nonZero[a]] * wy;
            }
            for (int a = 0; a < m; a++) {
                int j = nonZero[a];
                double wxj = w * xi[j];
                double[] row = xtx[j];
                for (int b = a; b < m; b++) row[nonZero[b]] += wxj * xi[nonZero[b]];
            }
        }
        for (int j = 0; j < p; j++) for (int k = 0; k < j; k++) xtx[j][k] = xtx[k][j];

        int[] kept = CollinearityScreen.keptColumns(xtx);
        int q = kept.length;
        List<String> keptNames = new ArrayList<>(q);
        List<String> dropped = new ArrayList<>();
        boolean[] isKept = new boolean[p];
        for (int k : kept) {
            isKept[k] = true;
            keptNames.add(names.get(k));
        }
        for (int j = 0; j < p; j++) if (!isKept[j]) dropped.add(names.get(j));

        double[][] reduced = new double[q][q];
        for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) reduced[a][b] = xtx[kept[a]][kept[b]];
        RealMatrix bread = new LUDecomposition(new Array2DRowRealMatrix(reduced, false)).getSolver().getInverse();
        double[][] a = bread.getData();
        double[][] beta = new double[outcomes][q];
        for (int k = 0; k < outcomes; k++) {
            for (int r = 0; r < q; r++) {
                double s = 0;
                for (int c = 0; c < q; c++) s += a[r][c] * xty[k][kept[c]];
                beta[k][r] = s;
            }
        }

        double[][][] meat = new double[outcomes][q][q];
        double[] xr = new double[q];
        int[] nz = new int[q];
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (w == 0) continue;
            int m = 0;
            for (int r = 0; r < q; r++) {
                double v = x[kept[r]][i];
                xr[r] = v;
                if (v != 0) nz[m++] = r;
            }
            double leverage = 0;
            for (int t = 0; t < m; t++) {
                int r = nz[t];
                double[] ar = a[r];
                double s = 0;
                for (int u = 0; u < m; u++) s += ar[nz[u]] * xr[nz[u]];
                leverage += xr[r] * s;
            }
            leverage *= w;
            double oneMinusH = 1 - leverage;
            if (oneMinusH <= 1e-12) continue;
            for (int k = 0; k < outcomes; k++) {
                double fitted = 0;
                for (int t = 0; t < m; t++) fitted += xr[nz[t]] * beta[k][nz[t]];
                double e = ys[k][i] - fitted;
                double scale = w * w * e * e / oneMinusH;
                if (scale == 0) continue;
                double[][] mk = meat[k];
                for (int t = 0; t < m; t++) {
                    int r = nz[t];
                    double sr = scale * xr[r];
                    double[] mr = mk[r];
                    for (int u = t; u < m; u++) mr[nz[u]] += sr * xr[nz[u]];
                }
            }
        }
        List<RobustFit> fits = new ArrayList<>(outcomes);
        for (int k = 0; k < outcomes; k++) {
            double[][] mk = meat[k];
            for (int r = 0; r < q; r++) for (int c = 0; c < r; c++) mk[r][c] = mk[c][r];
            double[][] covariance = bread.multiply(new Array2DRowRealMatrix(mk, false)).multiply(bread).getData();
            // Exact symmetry, so standard errors do not depend on which triangle is read.
            for (int r = 0; r < q; r++) for (int c = 0; c < r; c++) {
                double s = 0.5 * (covariance[r][c] + covariance[c][r]);
                covariance[r][c] = s;
                covariance[c][r] = s;
            }
            fits.add(new RobustFit(keptNames, beta[k], covariance, n, n - q, dropped));
        }
        return fits;
    }
}
