package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RiskRatioAndInferenceTest {

    /**
     * 30 of 100 treated and 20 of 100 controls employed. By hand: RR = 0.30 / 0.20 = 1.5;
     * SE(log RR) = sqrt(1/30 - 1/100 + 1/20 - 1/100) = sqrt(0.0633333) = 0.25166115;
     * CI = exp(log 1.5 -/+ 1.959964 x 0.25166115) = exp(0.4054651 -/+ 0.4932468) = 0.91596, 2.45644.
     */
    @Test
    void riskRatioWithLogMethodInterval() {
        RiskRatio rr = RiskRatio.of(30, 100, 20, 100);

        assertThat(rr.ratio()).isCloseTo(1.5, within(1e-12));
        assertThat(rr.lower()).isCloseTo(0.91596, within(1e-5));
        assertThat(rr.upper()).isCloseTo(2.45644, within(1e-5));
    }

    @Test
    void riskRatioIsUndefinedWithoutEventsInAnArm() {
        assertThat(RiskRatio.of(0, 50, 5, 50).ratio()).isNaN();
    }

    @Test
    void significanceMarksFollowTheReferenceTrial() {
        assertThat(Inference.stars(0.0099)).isEqualTo("***");
        assertThat(Inference.stars(0.01)).isEqualTo("**");
        assertThat(Inference.stars(0.049)).isEqualTo("**");
        assertThat(Inference.stars(0.05)).isEqualTo("*");
        assertThat(Inference.stars(0.0999)).isEqualTo("*");
        assertThat(Inference.stars(0.10)).isEqualTo("ns");
    }

    /** Published t tables: t(10, 0.975) = 2.228; t(inf) = 1.960. */
    @Test
    void tReferenceMatchesTables() {
        assertThat(Inference.tCritical(10)).isCloseTo(2.228, within(1e-3));
        assertThat(Inference.tCritical(100_000)).isCloseTo(1.960, within(1e-3));
        assertThat(Inference.tPValue(2.228138852, 1, 10)).isCloseTo(0.05, within(1e-6));
    }

    /**
     * A saturated model with two subgroup levels (no strata): the treatment x level coefficients
     * are the within-level differences and their HC2 variances are the within-level Welch variances
     * (each cell's leverage is 1 / cell size), with zero covariance. So the interaction Wald
     * statistic is, by hand, (d_a - d_b)^2 / (v_a + v_b) on (1, n - 4) degrees of freedom.
     * Level a: T 5, 7, 9 (mean 7, s^2 4); C 1, 2, 3, 2 (mean 2, s^2 2/3): d_a = 5, v_a = 4/3 + 1/6 = 1.5.
     * Level b: T 2, 4 (mean 3, s^2 2); C 1, 3, 2 (mean 2, s^2 1): d_b = 1, v_b = 1 + 1/3 = 4/3.
     * F = 16 / (1.5 + 4/3) = 16 / 2.8333 = 5.6470588.
     */
    @Test
    void interactionWaldTestByHand() {
        double[][] cells = {{5, 7, 9}, {1, 2, 3, 2}, {2, 4}, {1, 3, 2}};
        // columns: intercept, level b, T x level a, T x level b
        double[][] design = {{1, 0, 1, 0}, {1, 0, 0, 0}, {1, 1, 0, 1}, {1, 1, 0, 0}};
        int n = 0;
        for (double[] c : cells) n += c.length;
        double[][] x = new double[n][];
        double[] y = new double[n];
        int i = 0;
        for (int c = 0; c < 4; c++) {
            for (double v : cells[c]) {
                x[i] = design[c];
                y[i++] = v;
            }
        }
        RobustFit fit = RobustRegression.fit(x, y, null, List.of("(intercept)", "level b", "T x a", "T x b"));

        WaldTest test = WaldTest.equalCoefficients(fit, List.of("T x a", "T x b"));

        assertThat(fit.coefficient("T x a")).isCloseTo(5, within(1e-12));
        assertThat(fit.coefficient("T x b")).isCloseTo(1, within(1e-12));
        assertThat(test.statistic()).isCloseTo(16 / (1.5 + 4.0 / 3), within(1e-10));
        assertThat(test.numeratorDf()).isEqualTo(1);
        assertThat(test.denominatorDf()).isEqualTo(n - 4);
    }

    /** An outcome constant in every cell leaves nothing to test: NaN, not an exception. */
    @Test
    void interactionTestWithoutVariationIsNotANumber() {
        double[][] design = {{1, 0, 1, 0}, {1, 0, 0, 0}, {1, 1, 0, 1}, {1, 1, 0, 0}};
        double[][] x = new double[12][];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = design[i % 4];
            y[i] = 7;
        }
        RobustFit fit = RobustRegression.fit(x, y, null, List.of("(intercept)", "level b", "T x a", "T x b"));

        WaldTest test = WaldTest.equalCoefficients(fit, List.of("T x a", "T x b"));

        assertThat(test.statistic()).isNaN();
        assertThat(test.pValue()).isNaN();
    }
}
