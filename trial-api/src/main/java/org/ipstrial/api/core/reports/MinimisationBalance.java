package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.core.randomisation.StratumTotals;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.Stratum;

/**
 * Marginal balance under minimisation: for each factor (the stratification factors first, then
 * the minimisation factors) and each of its levels, the recruits allocated to each arm, trial-wide,
 * counted up to {@code armsUntil} (the end of yesterday for managers, every allocation for the
 * statistician: the current totals predict the next arm, so managers never see today's).
 *
 * <p>A level's imbalance is the diagnostics' measure: the sum over arms of |allocated - target|,
 * the target being the level's recruits times the arm's share of the ratio in force now; a
 * factor's is the largest over its levels.
 *
 * @param armsUntil allocations before this moment are counted
 * @param live true for the statistician's view (every allocation on record)
 */
public record MinimisationBalance(String design, Instant armsUntil, boolean live, List<String> arms, Map<String, Integer> ratio,
        long allocations, List<Factor> factors) {
    public MinimisationBalance {
        arms = List.copyOf(arms);
        ratio = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ratio));
        factors = List.copyOf(factors);
    }

    /** One level: its label where the trial definition gives one (a baseline answer's words). */
    public record Level(String level, String label, Map<String, Long> byArm, long recruits, double imbalance) {
        public Level {
            byArm = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byArm));
        }
    }

    /** @param stratification true for a factor the design stratifies by (balanced within strata, not minimised over) */
    public record Factor(String factor, boolean stratification, List<Level> levels, double largestImbalance) {
        public Factor {
            levels = List.copyOf(levels);
        }
    }

    /** Allocations counted per stratum, recorded levels (JSON) and arm. */
    public record Count(String stratumKey, String factorLevels, String arm, long count) {}

    public static MinimisationBalance of(TrialDefinition definition, MinimisationDesign design, AllocationRatio ratio,
            ArmVisibility visibility, List<Count> counts) {
        // factor -> level -> arm -> count, in the design's orders.
        Map<String, Map<String, Map<String, Long>>> tally = new LinkedHashMap<>();
        List<String> stratifyBy = design.stratifyBy();
        for (int i = 0; i < stratifyBy.size(); i++) {
            Map<String, Map<String, Long>> levels = new LinkedHashMap<>();
            for (Stratum s : design.strata()) {
                levels.putIfAbsent(s.levels().get(i), zero(design.arms()));
            }
            tally.put(stratifyBy.get(i), levels);
        }
        for (MinimisationFactor f : design.factors()) {
            Map<String, Map<String, Long>> levels = new LinkedHashMap<>();
            f.levels().forEach(l -> levels.put(l, zero(design.arms())));
            tally.put(f.name(), levels);
        }
        long allocations = 0;
        for (Count c : counts) {
            allocations += c.count();
            Map<String, String> levels = new LinkedHashMap<>();
            List<String> stratumLevels = Stratum.parse(c.stratumKey()).levels();
            for (int i = 0; i < stratifyBy.size() && i < stratumLevels.size(); i++) {
                levels.put(stratifyBy.get(i), stratumLevels.get(i));
            }
            levels.putAll(StratumTotals.levels(design, c.factorLevels()));
            levels.forEach((factor, level) -> {
                Map<String, Map<String, Long>> byLevel = tally.get(factor);
                if (byLevel != null) {
                    byLevel.computeIfAbsent(level, l -> zero(design.arms())).merge(c.arm(), c.count(), Long::sum);
                }
            });
        }
        List<Factor> factors = new ArrayList<>();
        tally.forEach((factor, byLevel) -> {
            List<Level> levels = new ArrayList<>();
            byLevel.forEach((level, byArm) -> {
                long recruits = byArm.values().stream().mapToLong(Long::longValue).sum();
                double imbalance = 0;
                for (String arm : design.arms()) {
                    imbalance += Math.abs(byArm.getOrDefault(arm, 0L) - recruits * (double) ratio.weightOf(arm) / ratio.sum());
                }
                levels.add(new Level(level, label(definition, factor, level), byArm, recruits, round(imbalance)));
            });
            factors.add(new Factor(factor, stratifyBy.contains(factor), levels,
                    levels.stream().mapToDouble(Level::imbalance).max().orElse(0)));
        });
        Map<String, Integer> weights = new LinkedHashMap<>();
        design.arms().forEach(a -> weights.put(a, ratio.weightOf(a)));
        return new MinimisationBalance(design.name(), visibility.until(), visibility.live(), design.arms(), weights, allocations, factors);
    }

    private static Map<String, Long> zero(List<String> arms) {
        Map<String, Long> byArm = new LinkedHashMap<>();
        arms.forEach(a -> byArm.put(a, 0L));
        return byArm;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    /** A baseline answer's words, a site's or a trial group's name; null where the definition has none. */
    private static String label(TrialDefinition definition, String factor, String level) {
        if (factor.equals("site")) {
            return definition.site(level).map(TrialDefinition.Site::name).orElse(null);
        }
        if (factor.equals("trial_group")) {
            return definition.trialGroups().stream().filter(g -> g.code().equals(level)).map(TrialDefinition.TrialGroup::name)
                    .findFirst().orElse(null);
        }
        return definition.baseline().item(factor).flatMap(item -> item.codes().stream()
                .filter(c -> String.valueOf(c.code()).equals(level)).map(TrialDefinition.AnswerCode::label).findFirst()).orElse(null);
    }

    public CsvTable csv() {
        List<String> header = new ArrayList<>(List.of("design", "arms_until", "factor", "stratification", "level", "label"));
        arms.forEach(a -> header.add("n_" + a));
        header.addAll(List.of("recruits", "imbalance"));
        List<List<Object>> rows = new ArrayList<>();
        for (Factor f : factors) {
            for (Level l : f.levels()) {
                List<Object> row = new ArrayList<>(java.util.Arrays.asList(design, live ? "live" : armsUntil.toString(), f.factor(),
                        f.stratification(), l.level(), l.label()));
                arms.forEach(a -> row.add(l.byArm().get(a)));
                row.add(l.recruits());
                row.add(l.imbalance());
                rows.add(row);
            }
        }
        return new CsvTable(header, rows);
    }
}
