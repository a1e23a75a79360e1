package org.ipstrial.randomiser.diagnostics;

/**
 * A mean over replications with its standard error and a normal 95% confidence interval.
 *
 * @param mean the mean over replications
 * @param standardError the standard deviation over replications divided by the square root of their number
 * @param lower95 mean - 1.96 standard errors
 * @param upper95 mean + 1.96 standard errors
 */
public record Estimate(double mean, double standardError, double lower95, double upper95) {

    public boolean contains(double value) {
        return lower95 <= value && value <= upper95;
    }
}
