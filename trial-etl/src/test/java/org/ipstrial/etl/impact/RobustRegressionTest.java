package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobustRegressionTest {

    private static final List<String> INTERCEPT_AND_TREATMENT = List.of("(intercept)", "treatment");

    /**
     * Unequal variances and unequal arms. Worked by hand:
     * treatment y = 3.1, 4.7, 5.2, 9.8, 1.4 (n1 = 5): mean 4.84, s1^2 = 9.833 (sum of squares 39.332 / 4)
     * control y = 2.0, 2.2, 2.1, 2.5, 1.9, 2.4, 2.3, 2.05 (n0 = 8): mean 2.18125, s0^2 = 0.04138...
     * difference 2.65875; sqrt(s1^2/5 + s0^2/8) = 1.40923793679...
     * In the regression on [1, T] each arm's leverage is 1/n_arm, so e^2/(1-h) summed and divided by
     * n_arm^2 is s^2/n exactly: HC2 reproduces the unequal-variance (Welch) standard error.
     */
    @Test
    void unadjustedHc2EqualsTheWelchStandardErrorExactly() {
        double[] treated = {3.1, 4.7, 5.2, 9.8, 1.4};
        double[] control = {2.0, 2.2, 2.1, 2.5, 1.9, 2.4, 2.3, 2.05};
        double[][] x = new double[13][];
        double[] y = new double[13];
        for (int i = 0; i < 5; i++) {
            x[i] = new double[] {1, 1};
            y[i] = treated[i];
        }
        for (int i = 0; i < 8; i++) {
            x[5 + i] = new double[] {1, 0};
            y[5 + i] = control[i];
        }

        RobustFit fit = RobustRegression.fit(x, y, null, INTERCEPT_AND_TREATMENT);

        double expected = Math.sqrt(sampleVariance(treated) / 5 + sampleVariance(control) / 8);
        assertThat(fit.coefficient("treatment")).isCloseTo(2.65875, within(1e-12));
        assertThat(fit.standardError("treatment")).isCloseTo(expected, within(1e-12));
        assertThat(fit.standardError("treatment")).isCloseTo(1.4092379367942, within(1e-12));
        assertThat(fit.residualDegreesOfFreedom()).isEqualTo(11);
    }

    /**
     * y = a + b x on x = 1, 2, 3, 4 and y = 2, 3, 5, 4, solved by hand:
     * xbar 2.5, ybar 3.5, Sxy = 2.25 + 0.25 + 0.75 + 0.75 = 4, Sxx = 5, so b = 0.8, a = 3.5 - 2 = 1.5.
     * Residuals -0.3, -0.1, 1.1, -0.7; leverages 1/4 + (x - xbar)^2 / 5 = 0.7, 0.3, 0.3, 0.7.
     * HC2 Var(b) = sum (x - xbar)^2 e^2 / (1 - h) / Sxx^2
     *            = (0.2025/0.3 + 0.0025/0.7 + 0.3025/0.7 + 1.1025/0.3) / 25 = (67/14) / 25 = 67/350.
     */
    @Test
    void olsCoefficientsAndHc2MatchAHandSolvedLine() {
        double[][] x = {{1, 1}, {1, 2}, {1, 3}, {1, 4}};
        double[] y = {2, 3, 5, 4};

        RobustFit fit = RobustRegression.fit(x, y, null, List.of("(intercept)", "x"));

        assertThat(fit.coefficient("(intercept)")).isCloseTo(1.5, within(1e-12));
        assertThat(fit.coefficient("x")).isCloseTo(0.8, within(1e-12));
        assertThat(fit.standardError("x") * fit.standardError("x")).isCloseTo(67.0 / 350.0, within(1e-12));
    }

    /** y = 1 + 2 x1 - 3 x2 exactly on five points: the fit must recover the coefficients. */
    @Test
    void threeTermSystemIsSolvedExactly() {
        double[][] x = {{1, 0, 1}, {1, 1, 0}, {1, 2, 5}, {1, 3, 1}, {1, 4, 2}};
        double[] y = new double[5];
        for (int i = 0; i < 5; i++) y[i] = 1 + 2 * x[i][1] - 3 * x[i][2];

        RobustFit fit = RobustRegression.fit(x, y, null, List.of("(intercept)", "x1", "x2"));

        assertThat(fit.coefficients()).containsExactly(new double[] {1, 2, -3}, within(1e-12));
    }

    /**
     * Weighted difference in means. With design [1, T] and weights w, WLS gives the weighted means;
     * each arm's leverage is w_i / W_arm (W_arm = sum of weights in the arm), so the HC2-type variance
     * is, by hand, sum over arms of sum_i w_i^2 e_i^2 / (1 - w_i / W_arm) / W_arm^2.
     * Treatment y = 1, 2, 6 with w = 1, 2, 1 (W = 4): weighted mean (1 + 4 + 6) / 4 = 2.75.
     * Control y = 0, 1 with w = 3, 1 (W = 4): weighted mean 0.25. Difference 2.5.
     */
    @Test
    void weightedDifferenceAndItsStandardErrorMatchTheClosedForm() {
        double[][] x = {{1, 1}, {1, 1}, {1, 1}, {1, 0}, {1, 0}};
        double[] y = {1, 2, 6, 0, 1};
        double[] w = {1, 2, 1, 3, 1};

        RobustFit fit = RobustRegression.fit(x, y, w, INTERCEPT_AND_TREATMENT);

        double treatedPart = (sq(1 * (1 - 2.75)) / (1 - 1 / 4.0) + sq(2 * (2 - 2.75)) / (1 - 2 / 4.0)
                + sq(1 * (6 - 2.75)) / (1 - 1 / 4.0)) / 16;
        double controlPart = (sq(3 * (0 - 0.25)) / (1 - 3 / 4.0) + sq(1 * (1 - 0.25)) / (1 - 1 / 4.0)) / 16;
        assertThat(fit.coefficient("treatment")).isCloseTo(2.5, within(1e-12));
        assertThat(fit.standardError("treatment")).isCloseTo(Math.sqrt(treatedPart + controlPart), within(1e-12));
    }

    @Test
    void anAliasedColumnIsDroppedAndTreatmentKept() {
        double[][] x = {{1, 1, 2, 0}, {1, 0, 0, 0}, {1, 1, 2, 0}, {1, 0, 0, 0}, {1, 1, 2, 0}};
        double[] y = {3, 1, 4, 1, 5};

        RobustFit fit = RobustRegression.fit(x, y, null, List.of("(intercept)", "treatment", "twice treatment", "empty level"));

        assertThat(fit.names()).containsExactly("(intercept)", "treatment");
        assertThat(fit.dropped()).containsExactly("twice treatment", "empty level");
        assertThat(fit.coefficient("treatment")).isCloseTo(3.0, within(1e-12));
    }

    /** Outcomes fitted together give exactly what each gives alone (same sums, same order). */
    @Test
    void outcomesFittedTogetherEqualOutcomesFittedAlone() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int n = 200;
        double[][] columns = new double[4][n];
        double[][] ys = new double[3][n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = 1;
            columns[1][i] = i % 2;
            columns[2][i] = random.nextInt(3) == 0 ? 1 : 0;
            columns[3][i] = random.nextGaussian();
            w[i] = 0.5 + random.nextDouble();
            for (int k = 0; k < 3; k++) ys[k][i] = k * columns[1][i] + columns[3][i] + random.nextGaussian() * (1 + k);
        }
        List<String> names = List.of("(intercept)", "treatment", "stratum", "x");

        List<RobustFit> together = RobustRegression.fitColumns(columns, ys, w, names);

        for (int k = 0; k < 3; k++) {
            RobustFit alone = RobustRegression.fitColumns(columns, ys[k], w, names);
            assertThat(together.get(k).coefficients()).as("outcome " + k).containsExactly(alone.coefficients());
            for (int r = 0; r < 4; r++) {
                assertThat(together.get(k).covariance()[r]).as("outcome " + k).containsExactly(alone.covariance()[r]);
            }
        }
        assertThat(together.get(2).coefficient("treatment")).isNotEqualTo(together.get(0).coefficient("treatment"));
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double sampleVariance(double[] v) {
        double mean = 0;
        for (double d : v) mean += d / v.length;
        double s = 0;
        for (double d : v) s += (d - mean) * (d - mean);
        return s / (v.length - 1);
    }
}
