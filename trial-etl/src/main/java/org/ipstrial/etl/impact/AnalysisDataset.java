package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The analysis dataset held by column. Baseline columns are read before the plan is locked;
 * follow-up columns (outcomes and survey response flags) only after.
 */
public record AnalysisDataset(Baseline baseline, FollowUp followUp) {
    public AnalysisDataset {
        requireNonNull(baseline, "baseline");
        requireNonNull(followUp, "followUp");
        followUp.outcomes().values().forEach(v -> checkLength(v.length, baseline.size()));
        followUp.responded().values().forEach(v -> checkLength(v.length, baseline.size()));
        if (followUp.received() != null) checkLength(followUp.received().length, baseline.size());
    }

    private static void checkLength(int length, int size) {
        if (length != size) throw new IllegalArgumentException("follow-up column has " + length + " rows, baseline " + size);
    }

    public int size() {
        return baseline.size();
    }

    /**
     * Everything known at randomisation. Missing numeric values are NaN; missing categorical values
     * and subgroup levels are -1; otherwise a level's index in the plan's list.
     *
     * @param strata each row's randomisation stratum (site x trial group), as one key
     * @param minimisationFactors the plan's minimisation terms ({@link AnalysisPlan#minimisationTerms}) as
     *     categorical covariates whose levels are the values found in the dataset, in sorted order
     *     (numerically when every value is a number); their level indexes are in {@code categorical}
     */
    public record Baseline(int size, String[] pids, String[] trialGroups, String[] strata, boolean[] treatment,
                           Map<String, double[]> numeric, Map<String, int[]> categorical,
                           Map<String, int[]> subgroupLevels, List<AnalysisPlan.Covariate> minimisationFactors) {
        /** Baseline columns of a trial randomised in permuted blocks. */
        public Baseline(int size, String[] pids, String[] trialGroups, String[] strata, boolean[] treatment,
                        Map<String, double[]> numeric, Map<String, int[]> categorical, Map<String, int[]> subgroupLevels) {
            this(size, pids, trialGroups, strata, treatment, numeric, categorical, subgroupLevels, List.of());
        }

        public Baseline {
            minimisationFactors = List.copyOf(minimisationFactors);
            requireNonNull(pids, "pids");
            numeric = Map.copyOf(numeric);
            categorical = Map.copyOf(categorical);
            subgroupLevels = Map.copyOf(subgroupLevels);
            if (pids.length != size || trialGroups.length != size || strata.length != size || treatment.length != size) {
                throw new IllegalArgumentException("baseline columns differ in length");
            }
        }
    }

    /**
     * Outcomes (NaN = missing) and, per survey wave, whether the participant responded (0/1).
     *
     * @param received the treatment received (0/1, NaN = missing) when the plan asks for the complier
     *     average causal effect, otherwise null: it happens after randomisation, so it is read with the outcomes
     */
    public record FollowUp(Map<String, double[]> outcomes, Map<String, double[]> responded, double[] received) {
        public FollowUp(Map<String, double[]> outcomes, Map<String, double[]> responded) {
            this(outcomes, responded, null);
        }

        public FollowUp {
            outcomes = Map.copyOf(outcomes);
            responded = Map.copyOf(responded);
        }
    }
}
