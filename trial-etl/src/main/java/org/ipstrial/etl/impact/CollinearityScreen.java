package org.ipstrial.etl.impact;

/**
 * Chooses which columns of a design to keep so that the cross-product matrix is invertible: columns
 * are taken in order and one is dropped when it is (numerically) a combination of those already
 * kept. Putting the intercept and the treatment first guarantees they are never the ones dropped; a
 * stratum or covariate level that is empty, or aliased, in a particular sample is.
 *
 * <p>Works on X'WX by a Cholesky factorisation that skips a column whose remaining pivot is below
 * {@code tolerance} times its diagonal: the pivot is the squared length of the column after
 * projecting out the kept ones, so this is Gram-Schmidt done on the cross products.
 */
final class CollinearityScreen {
    static final double TOLERANCE = 1e-9;

    private CollinearityScreen() {}

    /** Indices of the columns to keep, in order. */
    static int[] keptColumns(double[][] crossProducts) {
        int p = crossProducts.length;
        double[][] l = new double[p][];
        int[] kept = new int[p];
        int k = 0;
        for (int j = 0; j < p; j++) {
            double diagonal = crossProducts[j][j];
            if (!(diagonal > 0)) continue;
            double[] row = new double[k + 1];
            double pivot = diagonal;
            for (int a = 0; a < k; a++) {
                double s = crossProducts[kept[a]][j];
                double[] la = l[a];
                for (int b = 0; b < a; b++) s -= la[b] * row[b];
                row[a] = s / la[a];
                pivot -= row[a] * row[a];
            }
            if (pivot <= TOLERANCE * diagonal) continue;
            row[k] = Math.sqrt(pivot);
            l[k] = row;
            kept[k++] = j;
        }
        return java.util.Arrays.copyOf(kept, k);
    }
}
