package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/** The complier average causal effect estimator against answers worked out independently. */
class TwoStageLeastSquaresTest {
    private static final List<String> TWO = List.of(DesignMatrix.INTERCEPT, DesignMatrix.TREATMENT);

    /**
     * Ten people. Offered (T = 1): attended 1, 1, 1, 0, 0 with outcomes 5, 7, 6, 2, 3; control: none
     * attended, outcomes 2, 3, 4, 1, 2. ITT on the outcome 4.6 - 2.4 = 2.2, on attendance 0.6 - 0 =
     * 0.6, so the Wald estimate is 2.2 / 0.6 = 11/3. With no covariates the moment conditions make
     * the residuals e = y - 2.4 - (11/3) d sum to zero in each arm, so the robust variance is
     * (sum_T e^2 / n_T^2 + sum_C e^2 / n_C^2) / 0.6^2 (HC0), times n/(n - 2) = 10/8 for HC1:
     * sum_T e^2 = 2.5333..., sum_C e^2 = 5.2, V = (0.101333 + 0.208) / 0.36 x 1.25 = 1.074074.
     */
    @Test
    void withoutCovariatesItIsTheWaldRatioWithTheHandRobustError() {
        double[] t = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
        double[] d = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
        double[] y = {5, 7, 6, 2, 3, 2, 3, 4, 1, 2};
        double[] one = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

        RobustFit fit = TwoStageLeastSquares.fit(new double[][] {one, t}, 1, d, y, null, TWO);

        assertThat(fit.names()).containsExactly(DesignMatrix.INTERCEPT, TwoStageLeastSquares.RECEIVED);
        assertThat(fit.coefficient(TwoStageLeastSquares.RECEIVED)).isCloseTo(11.0 / 3, within(1e-12));
        assertThat(fit.coefficient(DesignMatrix.INTERCEPT)).isCloseTo(2.4, within(1e-12));
        assertThat(fit.standardError(TwoStageLeastSquares.RECEIVED)).isCloseTo(Math.sqrt(1.074074074074074), within(1e-12));
        assertThat(fit.residualDegreesOfFreedom()).isEqualTo(8);

        // The same by the general hand formulas on the data, not the worked numbers.
        double ittY = mean(y, t, 1) - mean(y, t, 0);
        double ittD = mean(d, t, 1) - mean(d, t, 0);
        double wald = ittY / ittD;
        double alpha = mean(y, t, 0) - wald * mean(d, t, 0);
        double[] sumSquares = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < y.length; i++) {
            double e = y[i] - alpha - wald * d[i];
            sumSquares[(int) t[i]] += e * e;
            count[(int) t[i]]++;
        }
        double hc0 = (sumSquares[1] / (count[1] * (double) count[1]) + sumSquares[0] / (count[0] * (double) count[0])) / (ittD * ittD);
        assertThat(fit.coefficient(TwoStageLeastSquares.RECEIVED)).isCloseTo(wald, within(1e-12));
        assertThat(fit.standardError(TwoStageLeastSquares.RECEIVED)).isCloseTo(Math.sqrt(hc0 * 10 / 8), within(1e-12));
    }

    /**
     * With strata dummies and a numeric covariate, the answer is recomputed by the textbook route in
     * two explicit stages (each solved by QR, not the LU solve of Z'X the estimator uses): regress
     * the treatment received on the instruments, replace it by its fitted values, regress the outcome
     * on those; residuals use the treatment actually received, and the robust covariance is
     * n/(n-k) (Xh'Xh)^-1 Xh' diag(e^2) Xh (Xh'Xh)^-1 with Xh the second stage's design.
     */
    @Test
    void withCovariatesItMatchesExplicitTwoStagesAndTheirSandwich() {
        long seed = 20261203L;
        System.out.println("TwoStageLeastSquaresTest seed " + seed);
        Random random = new Random(seed);
        int n = 300;
        double[][] z = new double[5][n];
        double[] d = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int stratum = random.nextInt(3);
            double x = random.nextGaussian();
            double assigned = random.nextBoolean() ? 1 : 0;
            z[0][i] = 1;
            z[1][i] = assigned;
            z[2][i] = stratum == 1 ? 1 : 0;
            z[3][i] = stratum == 2 ? 1 : 0;
            z[4][i] = x;
            boolean complier = random.nextDouble() < 0.4 + 0.2 * (x > 0 ? 1 : 0);
            d[i] = assigned == 1 && complier ? 1 : 0;
            y[i] = 1 + 2.5 * d[i] + 0.7 * x + 0.4 * stratum + (complier ? 0.5 : 0) + random.nextGaussian() * (1 + d[i]);
        }
        List<String> names = List.of(DesignMatrix.INTERCEPT, DesignMatrix.TREATMENT, "s1", "s2", "x");

        RobustFit fit = TwoStageLeastSquares.fit(z, 1, d, y, null, names);

        RealMatrix zm = new Array2DRowRealMatrix(z).transpose();
        RealVector dHat = zm.operate(new QRDecomposition(zm).getSolver().solve(new ArrayRealVector(d)));
        RealMatrix xHat = zm.copy();
        xHat.setColumnVector(1, dHat);
        RealVector beta = new QRDecomposition(xHat).getSolver().solve(new ArrayRealVector(y));
        RealMatrix x = zm.copy();
        x.setColumn(1, d);
        RealVector e = new ArrayRealVector(y).subtract(x.operate(beta));
        RealMatrix scaled = xHat.copy();
        for (int i = 0; i < n; i++) for (int j = 0; j < 5; j++) scaled.multiplyEntry(i, j, e.getEntry(i) * e.getEntry(i));
        RealMatrix bread = new QRDecomposition(xHat.transpose().multiply(xHat)).getSolver().getInverse();
        RealMatrix v = bread.multiply(xHat.transpose().multiply(scaled)).multiply(bread).scalarMultiply(n / (n - 5.0));

        assertThat(fit.names()).containsExactly(DesignMatrix.INTERCEPT, TwoStageLeastSquares.RECEIVED, "s1", "s2", "x");
        for (int j = 0; j < 5; j++) {
            assertThat(fit.coefficients()[j]).as("coefficient %d", j).isCloseTo(beta.getEntry(j), within(1e-9));
            for (int k = 0; k < 5; k++) {
                assertThat(fit.covariance()[j][k]).as("covariance %d,%d", j, k).isCloseTo(v.getEntry(j, k), within(1e-9));
            }
        }
        // The data were built with an effect of 2.5 among those who attend: the estimate is near it.
        assertThat(fit.coefficient(TwoStageLeastSquares.RECEIVED)).isCloseTo(2.5, within(4 * fit.standardError(TwoStageLeastSquares.RECEIVED)));
    }

    /** Weights act as in weighted least squares: the fit equals the unweighted fit of sqrt(w)-scaled data. */
    @Test
    void weightedFitIsTheUnweightedFitOfRescaledData() {
        Random random = new Random(7);
        int n = 120;
        double[][] z = new double[3][n];
        double[][] zScaled = new double[3][n];
        double[] d = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        double[] dScaled = new double[n];
        double[] yScaled = new double[n];
        for (int i = 0; i < n; i++) {
            z[0][i] = 1;
            z[1][i] = i % 2;
            z[2][i] = random.nextGaussian();
            d[i] = z[1][i] == 1 && random.nextDouble() < 0.7 ? 1 : 0;
            y[i] = 2 * d[i] + z[2][i] + random.nextGaussian();
            w[i] = 0.5 + random.nextDouble();
            double s = Math.sqrt(w[i]);
            for (int j = 0; j < 3; j++) zScaled[j][i] = s * z[j][i];
            dScaled[i] = s * d[i];
            yScaled[i] = s * y[i];
        }
        List<String> names = List.of(DesignMatrix.INTERCEPT, DesignMatrix.TREATMENT, "x");

        RobustFit weighted = TwoStageLeastSquares.fit(z, 1, d, y, w, names);
        RobustFit rescaled = TwoStageLeastSquares.fit(zScaled, 1, dScaled, yScaled, null, names);

        for (int j = 0; j < 3; j++) {
            assertThat(weighted.coefficients()[j]).isCloseTo(rescaled.coefficients()[j], within(1e-10));
            assertThat(weighted.covariance()[j][j]).isCloseTo(rescaled.covariance()[j][j], within(1e-10));
        }
    }

    @Test
    void anAliasedColumnIsDroppedAndAnAssignmentThatChangesNothingGivesNoEstimate() {
        double[] one = {1, 1, 1, 1, 1, 1};
        double[] t = {1, 1, 1, 0, 0, 0};
        double[] empty = {0, 0, 0, 0, 0, 0};
        double[] y = {3, 4, 5, 1, 2, 3};
        List<String> names = List.of(DesignMatrix.INTERCEPT, DesignMatrix.TREATMENT, "stratum[B]");

        RobustFit fit = TwoStageLeastSquares.fit(new double[][] {one, t, empty}, 1, new double[] {1, 1, 0, 0, 0, 0}, y, null, names);
        assertThat(fit.dropped()).containsExactly("stratum[B]");
        assertThat(fit.coefficient(TwoStageLeastSquares.RECEIVED)).isCloseTo((4.0 - 2.0) / (2.0 / 3), within(1e-12));

        RobustFit none = TwoStageLeastSquares.fit(new double[][] {one, t, empty}, 1, new double[] {1, 0, 0, 1, 0, 0}, y, null, names);
        assertThat(none.has(TwoStageLeastSquares.RECEIVED)).isFalse();
    }

    private static double mean(double[] v, double[] t, int arm) {
        double s = 0;
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (t[i] == arm) {
                s += v[i];
                k++;
            }
        }
        return s / k;
    }
}
