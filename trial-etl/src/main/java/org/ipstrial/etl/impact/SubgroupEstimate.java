package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

/**
 * The effect within one level of a subgroup, with the test of whether effects differ across the
 * subgroup's levels (the treatment-by-subgroup interaction), repeated on each level's row.
 */
public record SubgroupEstimate(String group, String outcome, String subgroup, String level, String estimator,
                               int nTreatment, int nControl, int eventsTreatment, int eventsControl,
                               double effect, double standardError, double lower, double upper,
                               double pValue, WaldTest interaction, int missingSubgroup) {
    public SubgroupEstimate {
        requireNonNull(group, "group");
        requireNonNull(outcome, "outcome");
        requireNonNull(subgroup, "subgroup");
        requireNonNull(level, "level");
        requireNonNull(estimator, "estimator");
    }
}
