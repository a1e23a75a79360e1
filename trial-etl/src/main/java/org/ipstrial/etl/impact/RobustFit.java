package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A least-squares fit with its robust covariance matrix (HC2 for {@link RobustRegression}, HC1 for
 * {@link TwoStageLeastSquares}).
 *
 * @param names the kept terms, in order (terms dropped as collinear are listed in {@code dropped})
 * @param n number of observations
 * @param residualDegreesOfFreedom n minus the number of kept terms: the t reference's degrees of freedom
 */
public record RobustFit(List<String> names, double[] coefficients, double[][] covariance, int n,
                        int residualDegreesOfFreedom, List<String> dropped) {
    public RobustFit {
        names = List.copyOf(names);
        dropped = List.copyOf(dropped);
        requireNonNull(coefficients, "coefficients");
        requireNonNull(covariance, "covariance");
        if (coefficients.length != names.size() || covariance.length != names.size()) {
            throw new IllegalArgumentException("coefficients, covariance and names differ in size");
        }
    }

    /** Position of a term, or -1 when it was dropped or never in the model. */
    public int indexOf(String term) {
        return names.indexOf(term);
    }

    public boolean has(String term) {
        return indexOf(term) >= 0;
    }

    public double coefficient(String term) {
        return coefficients[require(term)];
    }

    public double standardError(String term) {
        int i = require(term);
        return Math.sqrt(covariance[i][i]);
    }

    private int require(String term) {
        int i = indexOf(term);
        if (i < 0) throw new IllegalArgumentException("term " + term + " is not in the fitted model");
        return i;
    }
}
