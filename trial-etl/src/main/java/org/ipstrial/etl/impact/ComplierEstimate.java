package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import org.ipstrial.etl.impact.AnalysisPlan.Outcome;

/**
 * The complier average causal effect of one outcome in one analysis group, beside the intention-to-
 * treat estimate it rescales. Randomisation is the instrument for the treatment received (attended
 * at least one session); the estimate is just-identified 2SLS with the same strata, covariates and
 * (for survey outcomes) non-response weights as the headline intention-to-treat estimate, HC1 errors.
 * NaN = not estimable (see {@link TwoStageLeastSquares}).
 *
 * @param estimator the intention-to-treat estimator whose adjustment and weights it shares (the headline)
 * @param nTreatment people in the sample: the outcome and the treatment received known
 * @param missingReceived people with the outcome but not the treatment received, left out (both arms)
 * @param receivedTreatment people in the treatment arm who received the treatment
 * @param receivedControl people in the control arm who received it (0 when the control arm cannot)
 * @param eventsTreatment people with the binary outcome (-1 for continuous), for disclosure control
 * @param compliance first-stage effect of assignment on the treatment received (share of compliers)
 * @param complianceSe its HC2 standard error (the first stage is an ordinary least-squares fit)
 * @param firstStageF the first stage's robust F statistic for the instrument, (compliance / se)^2
 * @param itt the headline intention-to-treat difference on the full outcome sample
 * @param ittStandardError its HC2 standard error
 */
public record ComplierEstimate(String group, Outcome outcome, Estimator estimator, int nTreatment, int nControl,
                               int missingReceived, int receivedTreatment, int receivedControl,
                               int eventsTreatment, int eventsControl,
                               double compliance, double complianceSe, double firstStageF,
                               double itt, double ittStandardError,
                               double effect, double standardError, double lower, double upper,
                               int degreesOfFreedom, double pValue, int terms) {
    public ComplierEstimate {
        requireNonNull(group, "group");
        requireNonNull(outcome, "outcome");
        requireNonNull(estimator, "estimator");
    }

    public String stars() {
        return Inference.stars(pValue);
    }
}
