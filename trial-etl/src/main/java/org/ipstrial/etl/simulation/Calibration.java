package org.ipstrial.etl.simulation;

import java.util.function.DoubleUnaryOperator;

/**
 * Finds the value of a model parameter (an intercept, a treatment shift) at which a monotone
 * function of the simulated people reaches its target, by bisection: the planted effects and
 * rates then hold on average over the very people simulated, not just in a large-sample limit.
 */
final class Calibration {
    private Calibration() {}

    /**
     * The x in [low, high] where f(x) = target, for f monotone (either way).
     *
     * @param what names the configuration field, for the error when the target is out of reach
     */
    static double solve(DoubleUnaryOperator f, double target, double low, double high, String what) {
        double fLow = f.applyAsDouble(low);
        double fHigh = f.applyAsDouble(high);
        boolean increasing = fHigh >= fLow;
        double min = Math.min(fLow, fHigh);
        double max = Math.max(fLow, fHigh);
        if (target < min || target > max) {
            throw new SimulationConfigException(what + ": " + target + " cannot be reached by this model (reachable: "
                    + round(min) + " to " + round(max) + ")");
        }
        for (int i = 0; i < 60; i++) {
            double middle = (low + high) / 2;
            double value = f.applyAsDouble(middle);
            if ((value < target) == increasing) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
