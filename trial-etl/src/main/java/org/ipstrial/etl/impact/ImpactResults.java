package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Everything the analysis computed, before disclosure control and formatting. */
public record ImpactResults(AnalysisPlan plan, String planSha256, List<ImpactEstimate> impacts,
                            List<SubgroupEstimate> subgroups, List<BalanceRow> balance,
                            List<NonResponseWeights.ResponseModel> responseModels,
                            List<ComplierEstimate> complierEffects) {
    /** Results of a plan that asks for no complier average causal effect. */
    public ImpactResults(AnalysisPlan plan, String planSha256, List<ImpactEstimate> impacts, List<SubgroupEstimate> subgroups,
                         List<BalanceRow> balance, List<NonResponseWeights.ResponseModel> responseModels) {
        this(plan, planSha256, impacts, subgroups, balance, responseModels, List.of());
    }

    public ImpactResults {
        complierEffects = List.copyOf(complierEffects);
        requireNonNull(plan, "plan");
        requireNonNull(planSha256, "planSha256");
        impacts = List.copyOf(impacts);
        subgroups = List.copyOf(subgroups);
        balance = List.copyOf(balance);
        responseModels = List.copyOf(responseModels);
    }

    /** The complier average causal effect of an outcome in a group (for the report and the tests). */
    public ComplierEstimate complierEffect(String group, String outcome) {
        return complierEffects.stream().filter(e -> e.group().equals(group) && e.outcome().name().equals(outcome)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no complier effect " + group + " / " + outcome));
    }

    /** The estimate for a group, outcome and estimator (for the report and the tests). */
    public ImpactEstimate impact(String group, String outcome, Estimator estimator) {
        return impacts.stream()
                .filter(e -> e.group().equals(group) && e.outcome().name().equals(outcome) && e.estimator() == estimator)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no estimate " + group + " / " + outcome + " / " + estimator));
    }
}
