package org.ipstrial.randomiser;

import java.util.Locale;

/**
 * How minimisation measures the imbalance of one factor level's arm totals (each total divided by
 * its arm's ratio weight, so that "balanced" means "in the ratio"). Both are computed in whole
 * numbers, so ties are exact.
 */
public enum ImbalanceMeasure {
    /** The largest adjusted total minus the smallest. */
    RANGE,
    /** The variance of the adjusted totals (computed as A x sum of squares - square of the sum, A the number of arms). */
    VARIANCE;

    /** The code in a design file and in the commitment: {@code range} or {@code variance}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImbalanceMeasure ofCode(String code) {
        for (ImbalanceMeasure measure : values()) {
            if (measure.code().equals(code)) {
                return measure;
            }
        }
        throw new IllegalArgumentException("imbalance measure '" + code + "' is not one of range, variance");
    }
}
