package org.ipstrial.etl.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The truth an analysis should recover, computed from the generator's own latent values of every
 * randomised, non-erased participant (responding or not, linkable or not):
 * <ul>
 *   <li>{@code planted}: the configured effect (for a pooled group, the members' planted effects
 *       weighted by their numbers);</li>
 *   <li>{@code sampleAte}: the mean over the group of each person's treatment-world outcome minus
 *       their control-world outcome (the calibration makes it close to the planted effect);</li>
 *   <li>{@code realisedDifference}: mean outcome of those assigned to treatment minus that of those
 *       assigned to control, each in their realised world, with its standard error
 *       sqrt(s1^2/n1 + s0^2/n0): what an unbiased analysis with complete data would estimate.</li>
 * </ul>
 */
final class TrueEffects {

    /** An outcome, named as in the analysis dataset, in its own unit. */
    record Outcome(String name, String unit, ToDoubleFunction<Potential> control, ToDoubleFunction<Potential> treatment) {}

    /** A person's two potential values reach the outcome functions through this. */
    record Potential(SimulatedPerson person, PersonOutcomes outcomes) {}

    record Row(String analysisGroup, String outcome, String unit, double planted, double sampleAte, double realisedDifference,
            double standardError, int nTreatment, int nControl, double meanTreatment, double meanControl, double controlSd) {

        /** The sample effect in control-group standard deviations (how health and wellbeing effects are reported). */
        double sampleAteInControlSd() {
            return controlSd > 0 ? sampleAte / controlSd : Double.NaN;
        }
    }

    private TrueEffects() {}

    static List<Outcome> outcomes(SimulationConfig config) {
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(new Outcome("employed_13wk_12m", "proportion", v -> v.outcomes().year0().employed13Weeks() ? 1 : 0,
                v -> v.outcomes().year1().employed13Weeks() ? 1 : 0));
        outcomes.add(new Outcome("earnings_12m", "GBP", v -> v.outcomes().year0().earningsPence() / 100.0,
                v -> v.outcomes().year1().earningsPence() / 100.0));
        for (int w = 0; w < config.waves().size(); w++) {
            int wave = w;
            String prefix = config.waves().get(w).prefix();
            outcomes.add(new Outcome(prefix + "_eq5d_lss", "EQ-5D-5L level sum points (5-25, lower is better)",
                    v -> v.outcomes().waves().get(wave).eq5dLss0(), v -> v.outcomes().waves().get(wave).eq5dLss1()));
            outcomes.add(new Outcome(prefix + "_swemwbs_raw", "SWEMWBS raw points (7-35, higher is better)",
                    v -> v.outcomes().waves().get(wave).swemwbsRaw0(), v -> v.outcomes().waves().get(wave).swemwbsRaw1()));
        }
        return outcomes;
    }

    /** Planted effect of an outcome in a trial group. */
    static double planted(SimulationConfig config, String group, String outcome) {
        SimulationConfig.Effects e = config.groups().get(group).effects();
        return switch (outcome) {
            case "employed_13wk_12m" -> e.employed13wk12m();
            case "earnings_12m" -> e.earnings12m();
            case "m12_eq5d_lss" -> e.m12Eq5dLss();
            case "m12_swemwbs_raw" -> e.m12SwemwbsRaw();
            case "m4_eq5d_lss" -> e.m4Eq5dLss();
            case "m4_swemwbs_raw" -> e.m4SwemwbsRaw();
            default -> 0;
        };
    }

    /** The analysis groups: each trial group, then each pooled group. */
    static Map<String, List<String>> analysisGroups(SimulationConfig config) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        config.groups().keySet().forEach(g -> groups.put(g, List.of(g)));
        groups.putAll(config.pooledGroups());
        return groups;
    }

    static List<Row> compute(SimulatedTrial trial) {
        SimulationConfig config = trial.config();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> group : analysisGroups(config).entrySet()) {
            List<Potential> members = new ArrayList<>();
            for (int i = 0; i < trial.persons().size(); i++) {
                SimulatedPerson p = trial.persons().get(i);
                if (!p.erased() && group.getValue().contains(p.trialGroup())) {
                    members.add(new Potential(p, trial.outcomes().get(i)));
                }
            }
            for (Outcome outcome : outcomes(config)) {
                rows.add(row(config, group.getKey(), group.getValue(), members, outcome));
            }
        }
        return rows;
    }

    private static Row row(SimulationConfig config, String name, List<String> memberGroups, List<Potential> members, Outcome outcome) {
        double planted = 0;
        double ate = 0;
        double[] sum = new double[2];
        double[] squares = new double[2];
        int[] n = new int[2];
        for (Potential v : members) {
            double y0 = outcome.control().applyAsDouble(v);
            double y1 = outcome.treatment().applyAsDouble(v);
            ate += y1 - y0;
            planted += planted(config, v.person().trialGroup(), outcome.name());
            int arm = v.person().treated() ? 1 : 0;
            double y = arm == 1 ? y1 : y0;
            sum[arm] += y;
            squares[arm] += y * y;
            n[arm]++;
        }
        int size = members.size();
        double mean1 = n[1] == 0 ? Double.NaN : sum[1] / n[1];
        double mean0 = n[0] == 0 ? Double.NaN : sum[0] / n[0];
        double var1 = n[1] < 2 ? Double.NaN : (squares[1] - n[1] * mean1 * mean1) / (n[1] - 1);
        double var0 = n[0] < 2 ? Double.NaN : (squares[0] - n[0] * mean0 * mean0) / (n[0] - 1);
        return new Row(name, outcome.name(), outcome.unit(), size == 0 ? 0 : planted / size, size == 0 ? 0 : ate / size,
                mean1 - mean0, Math.sqrt(var1 / n[1] + var0 / n[0]), n[1], n[0], mean1, mean0, Math.sqrt(var0));
    }
}
