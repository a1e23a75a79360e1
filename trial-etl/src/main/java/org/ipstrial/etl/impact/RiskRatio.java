package org.ipstrial.etl.impact;

/**
 * Risk ratio of a binary outcome, treatment over control, with the log-method (Katz) interval:
 *
 * <pre>
 *   RR = (a / n1) / (c / n0)
 *   SE(log RR) = sqrt(1/a - 1/n1 + 1/c - 1/n0)
 *   CI = exp(log RR -/+ z_0.975 SE)
 * </pre>
 *
 * Undefined (NaN) when either arm has no events.
 */
public record RiskRatio(double ratio, double lower, double upper) {

    public static RiskRatio of(long eventsTreatment, long nTreatment, long eventsControl, long nControl) {
        if (eventsTreatment <= 0 || eventsControl <= 0 || nTreatment <= 0 || nControl <= 0) {
            return new RiskRatio(Double.NaN, Double.NaN, Double.NaN);
        }
        double ratio = ((double) eventsTreatment / nTreatment) / ((double) eventsControl / nControl);
        double se = Math.sqrt(1.0 / eventsTreatment - 1.0 / nTreatment + 1.0 / eventsControl - 1.0 / nControl);
        double z = Inference.normalCritical();
        return new RiskRatio(ratio, Math.exp(Math.log(ratio) - z * se), Math.exp(Math.log(ratio) + z * se));
    }
}
