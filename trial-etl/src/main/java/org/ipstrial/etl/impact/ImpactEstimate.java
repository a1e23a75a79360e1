package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import org.ipstrial.etl.impact.AnalysisPlan.Outcome;

/**
 * One row of the impact table: one estimator of one outcome's effect in one analysis group.
 * Means are weighted for weighted estimators; counts are always people. NaN = not applicable.
 *
 * @param events people with the binary outcome (-1 for continuous outcomes), for disclosure control
 * @param controlSd control-group SD of the outcome at follow-up (weighted for weighted estimators)
 * @param riskRatio unadjusted binary outcomes only, otherwise null
 */
public record ImpactEstimate(String group, Outcome outcome, Estimator estimator,
                             ArmCounts counts, double meanTreatment, double meanControl,
                             double difference, double standardError, double lower, double upper,
                             int degreesOfFreedom, double pValue,
                             double controlSd, RiskRatio riskRatio, int terms) {
    public ImpactEstimate {
        requireNonNull(group, "group");
        requireNonNull(outcome, "outcome");
        requireNonNull(estimator, "estimator");
        requireNonNull(counts, "counts");
    }

    public String stars() {
        return Inference.stars(pValue);
    }

    public double effectSd() {
        return difference / controlSd;
    }

    public double effectSdLower() {
        return lower / controlSd;
    }

    public double effectSdUpper() {
        return upper / controlSd;
    }

    /**
     * People counted in an estimate, by arm: analysed, missing the outcome, and (binary outcomes)
     * with the outcome; -1 where not applicable.
     */
    public record ArmCounts(int treatment, int control, int missingTreatment, int missingControl,
                            int eventsTreatment, int eventsControl) {}
}
