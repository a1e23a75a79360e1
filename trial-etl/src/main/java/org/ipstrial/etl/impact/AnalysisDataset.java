package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

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
     */
    public record Baseline(int size, String[] pids, String[] trialGroups, String[] strata, boolean[] treatment,
                           Map<String, double[]> numeric, Map<String, int[]> categorical,
                           Map<String, int[]> subgroupLevels) {
        public Baseline {
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
