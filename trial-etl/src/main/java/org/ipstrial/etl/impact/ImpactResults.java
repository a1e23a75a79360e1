package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Everything the analysis computed, before disclosure control and formatting. */
public record ImpactResults(AnalysisPlan plan, String planSha256, List<ImpactEstimate> impacts,
                            List<SubgroupEstimate> subgroups, List<BalanceRow> balance,
                            List<NonResponseWeights.ResponseModel> responseModels) {
    public ImpactResults {
        requireNonNull(plan, "plan");
        requireNonNull(planSha256, "planSha256");
        impacts = List.copyOf(impacts);
        subgroups = List.copyOf(subgroups);
        balance = List.copyOf(balance);
        responseModels = List.copyOf(responseModels);
    }

    /** The estimate for a group, outcome and estimator (for the report and the tests). */
    public ImpactEstimate impact(String group, String outcome, Estimator estimator) {
        return impacts.stream()
                .filter(e -> e.group().equals(group) && e.outcome().name().equals(outcome) && e.estimator() == estimator)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no estimate " + group + " / " + outcome + " / " + estimator));
    }
}
