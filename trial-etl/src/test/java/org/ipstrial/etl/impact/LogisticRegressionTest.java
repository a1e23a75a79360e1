package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /**
     * The textbook example of hours studied and passing an exam (20 students), as given in the
     * Wikipedia article "Logistic regression": intercept -4.0777 (SE 1.7610), hours 1.5046 (SE 0.6287).
     */
    @Test
    void reproducesThePublishedExamPassingExample() {
        double[] hours = {0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50,
            4.00, 4.25, 4.50, 4.75, 5.00, 5.50};
        double[] pass = {0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1};
        double[][] x = new double[20][];
        for (int i = 0; i < 20; i++) x[i] = new double[] {1, hours[i]};

        LogisticRegression.Fit fit = LogisticRegression.fit(x, pass, List.of("(intercept)", "hours"));

        assertThat(fit.converged()).isTrue();
        assertThat(fit.coefficient("(intercept)")).isCloseTo(-4.0777, within(1e-4));
        assertThat(fit.coefficient("hours")).isCloseTo(1.5046, within(1e-4));
        assertThat(fit.standardError("(intercept)")).isCloseTo(1.7610, within(1e-4));
        assertThat(fit.standardError("hours")).isCloseTo(0.6287, within(1e-4));
    }

    /**
     * One binary covariate: the MLE reproduces the 2x2 table exactly, worked by hand.
     * Group 0: 3 of 10 respond, log odds log(3/7) = -0.84729786.
     * Group 1: 6 of 8 respond, log odds ratio log((6/2) / (3/7)) = log 7 = 1.94591015.
     * SE of the log odds ratio (Woolf) sqrt(1/3 + 1/7 + 1/6 + 1/2) = 1.06904497.
     * Fitted probabilities are the observed proportions 0.3 and 0.75.
     */
    @Test
    void reproducesATwoByTwoTableExactly() {
        double[][] x = new double[18][];
        double[] y = new double[18];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {1, 0};
            y[i] = i < 3 ? 1 : 0;
        }
        for (int i = 0; i < 8; i++) {
            x[10 + i] = new double[] {1, 1};
            y[10 + i] = i < 6 ? 1 : 0;
        }

        LogisticRegression.Fit fit = LogisticRegression.fit(x, y, List.of("(intercept)", "group"));

        assertThat(fit.coefficient("(intercept)")).isCloseTo(Math.log(3.0 / 7.0), within(1e-9));
        assertThat(fit.coefficient("group")).isCloseTo(Math.log(7.0), within(1e-9));
        assertThat(fit.standardError("group")).isCloseTo(Math.sqrt(1.0 / 3 + 1.0 / 7 + 1.0 / 6 + 1.0 / 2), within(1e-9));
        assertThat(fit.probability(new double[] {1, 0})).isCloseTo(0.3, within(1e-9));
        assertThat(fit.probability(new double[] {1, 1})).isCloseTo(0.75, within(1e-9));
    }

    /** Everyone in group 1 responds: no finite maximum; reported, not thrown. */
    @Test
    void completeSeparationIsReportedAsNotConverged() {
        double[][] x = {{1, 0}, {1, 0}, {1, 0}, {1, 1}, {1, 1}};
        double[] y = {0, 1, 0, 1, 1};

        LogisticRegression.Fit fit = LogisticRegression.fit(x, y, List.of("(intercept)", "group"));

        assertThat(fit.converged()).isFalse();
        assertThat(fit.probability(new double[] {1, 1})).isGreaterThan(0.999);
        assertThat(fit.probability(new double[] {1, 0})).isCloseTo(1.0 / 3, within(1e-6));
    }
}
