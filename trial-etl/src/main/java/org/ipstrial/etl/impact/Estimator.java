package org.ipstrial.etl.impact;

/**
 * The four estimates of an outcome's effect. Administrative outcomes get the first two; survey
 * outcomes all four. The report's headline is {@link #ADJUSTED} for administrative outcomes and
 * {@link #WEIGHTED_ADJUSTED} for survey outcomes.
 */
public enum Estimator {
    /** Difference in means; OLS of y on treatment with HC2. */
    UNADJUSTED("unadjusted", false, false),
    /** OLS on treatment, strata dummies and the pre-specified covariates, HC2. */
    ADJUSTED("adjusted", true, false),
    /** Non-response-weighted difference in means: WLS on treatment, HC2-type errors. */
    WEIGHTED_UNADJUSTED("weighted_unadjusted", false, true),
    /** WLS on treatment, strata and covariates, non-response weights, HC2-type errors. */
    WEIGHTED_ADJUSTED("weighted_adjusted", true, true);

    private final String label;
    private final boolean adjusted;
    private final boolean weighted;

    Estimator(String label, boolean adjusted, boolean weighted) {
        this.label = label;
        this.adjusted = adjusted;
        this.weighted = weighted;
    }

    public String label() {
        return label;
    }

    public boolean adjusted() {
        return adjusted;
    }

    public boolean weighted() {
        return weighted;
    }

    public static Estimator headline(AnalysisPlan.Outcome outcome) {
        return outcome.survey() ? WEIGHTED_ADJUSTED : ADJUSTED;
    }
}
