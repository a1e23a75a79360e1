package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.List;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;

/**
 * Inverse-probability weights for survey non-response. Within each analysis group and arm, a
 * logistic regression of {@code <wave>_responded} on the strata and the wave's non-response
 * covariates (missing-indicator coded) gives each participant's probability of responding p_i; a
 * respondent's weight is 1/p_i, scaled so that respondents' weights in that arm and group average
 * 1 (they sum to the number of respondents). Non-respondents weigh 0.
 */
final class NonResponseWeights {
    private NonResponseWeights() {}

    /** One fitted response model, for the diagnostics table. */
    record ResponseModel(String group, String wave, String arm, int participants, int respondents,
                         int iterations, boolean converged, double smallestWeight, double largestWeight) {}

    /** Weights indexed by dataset row (0 outside the group and for non-respondents). */
    record Weights(double[] byRow, List<ResponseModel> models) {}

    static Weights estimate(Baseline baseline, double[] responded, int[] groupRows, String groupName,
                            String wave, List<Covariate> covariates) {
        double[] weights = new double[baseline.size()];
        List<ResponseModel> models = new ArrayList<>();
        for (boolean treatmentArm : new boolean[] {true, false}) {
            int[] rows = java.util.Arrays.stream(groupRows).filter(r -> baseline.treatment()[r] == treatmentArm).toArray();
            String arm = treatmentArm ? "treatment" : "control";
            if (rows.length == 0) continue;
            DesignMatrix design = DesignMatrix.over(baseline, rows).intercept().strata().covariates(covariates);
            double[][] x = design.rowMajor();
            double[] y = new double[rows.length];
            int respondents = 0;
            for (int i = 0; i < rows.length; i++) {
                y[i] = responded[rows[i]];
                respondents += (int) y[i];
            }
            if (respondents == 0) {
                models.add(new ResponseModel(groupName, wave, arm, rows.length, 0, 0, true, Double.NaN, Double.NaN));
                continue;
            }
            LogisticRegression.Fit fit = LogisticRegression.fit(x, y, design.names());
            double total = 0;
            for (int i = 0; i < rows.length; i++) {
                if (y[i] == 1) {
                    weights[rows[i]] = 1 / fit.probability(x[i]);
                    total += weights[rows[i]];
                }
            }
            double scale = respondents / total;
            double smallest = Double.POSITIVE_INFINITY;
            double largest = 0;
            for (int i = 0; i < rows.length; i++) {
                if (y[i] == 1) {
                    weights[rows[i]] *= scale;
                    smallest = Math.min(smallest, weights[rows[i]]);
                    largest = Math.max(largest, weights[rows[i]]);
                }
            }
            models.add(new ResponseModel(groupName, wave, arm, rows.length, respondents, fit.iterations(),
                    fit.converged(), smallest, largest));
        }
        return new Weights(weights, models);
    }
}
