package org.ipstrial.api.core.reports;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.ipstrial.definition.TrialDefinition;

/**
 * Randomisations by week (weeks start on Monday, Europe/London) and cumulative, for the whole trial,
 * each site, each trial group and each delivery area, against the targets of the trial definition,
 * with a projection for every unit that has a target. Arm splits are given for the trial, sites and
 * trial groups only, and count only allocations before {@link ArmVisibility#until()}.
 */
public record RecruitmentReport(LocalDate today, Instant armsUntil, boolean armsLive, List<String> arms,
        int windowWeeks, List<LocalDate> weeks, List<Unit> units) {

    public static final String TRIAL = "trial";
    public static final String SITE = "site";
    public static final String TRIAL_GROUP = "trial_group";
    public static final String AREA = "area";

    public RecruitmentReport {
        arms = List.copyOf(arms);
        weeks = List.copyOf(weeks);
        units = List.copyOf(units);
    }

    /**
     * One row of the report: a level (trial, site, trial_group, area) and its code.
     *
     * @param byArm randomised per arm before the arm cut-off (null for areas)
     * @param weeklyByArm per arm and week, before the cut-off (null for areas)
     * @param projection against the target (null for areas, which have none)
     */
    public record Unit(String level, String code, String name, String site, Integer target, LocalDate recruitmentStart,
            LocalDate recruitmentEnd, long randomised, List<Long> weekly, List<Long> cumulative, Map<String, Long> byArm,
            Map<String, List<Long>> weeklyByArm, RecruitmentProjection projection) {}

    /** Randomisations counted by area, arm, week and whether before the arm cut-off (from the allocation log). */
    public record Count(String site, String area, String trialGroup, String arm, LocalDate week, boolean beforeCutoff, long count) {
        public Count {
            Objects.requireNonNull(week, "week");
        }
    }

    public static LocalDate weekOf(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    public static RecruitmentReport build(TrialDefinition definition, List<String> arms, List<Count> counts,
            LocalDate today, ArmVisibility visibility, int windowWeeks) {
        if (windowWeeks < 1 || windowWeeks > 104) {
            throw new IllegalArgumentException("windowWeeks must be 1 to 104");
        }
        LocalDate thisWeek = weekOf(today);
        LocalDate first = counts.stream().map(Count::week).min(Comparator.naturalOrder()).orElse(thisWeek);
        LocalDate last = counts.stream().map(Count::week).max(Comparator.naturalOrder()).orElse(thisWeek);
        first = first.isAfter(thisWeek) ? thisWeek : first;
        last = last.isBefore(thisWeek) ? thisWeek : last;
        List<LocalDate> weeks = new ArrayList<>();
        for (LocalDate w = first; !w.isAfter(last); w = w.plusWeeks(1)) {
            weeks.add(w);
        }
        Map<LocalDate, Integer> weekIndex = new LinkedHashMap<>();
        for (int i = 0; i < weeks.size(); i++) {
            weekIndex.put(weeks.get(i), i);
        }
        Builder b = new Builder(arms, counts, weeks, weekIndex, today, thisWeek, windowWeeks);

        List<Unit> units = new ArrayList<>();
        List<TrialDefinition.TrialGroup> groups = definition.trialGroups();
        units.add(b.unit(TRIAL, "all", definition.name(), null, groups, c -> true, true));
        for (var site : definition.sites()) {
            var siteGroups = groups.stream().filter(g -> g.site().equals(site.code())).toList();
            units.add(b.unit(SITE, site.code(), site.name(), site.code(), siteGroups, c -> c.site().equals(site.code()), true));
        }
        for (var group : groups) {
            units.add(b.unit(TRIAL_GROUP, group.code(), group.name(), group.site(), List.of(group),
                    c -> c.trialGroup().equals(group.code()), true));
        }
        for (var site : definition.sites()) {
            for (var area : site.areas()) {
                units.add(b.unit(AREA, area.code(), area.name(), site.code(), List.of(),
                        c -> c.site().equals(site.code()) && c.area().equals(area.code()), false));
            }
        }
        return new RecruitmentReport(today, visibility.until(), visibility.live(), arms, windowWeeks, weeks, units);
    }

    private record Builder(List<String> arms, List<Count> counts, List<LocalDate> weeks, Map<LocalDate, Integer> weekIndex,
            LocalDate today, LocalDate thisWeek, int windowWeeks) {

        Unit unit(String level, String code, String name, String site, List<TrialDefinition.TrialGroup> groups,
                Predicate<Count> in, boolean withArms) {
            long[] weekly = new long[weeks.size()];
            Map<String, long[]> weeklyByArm = new LinkedHashMap<>();
            arms.forEach(a -> weeklyByArm.put(a, new long[weeks.size()]));
            for (Count c : counts) {
                if (!in.test(c)) {
                    continue;
                }
                int i = weekIndex.get(c.week());
                weekly[i] += c.count();
                if (c.beforeCutoff()) {
                    weeklyByArm.computeIfAbsent(c.arm(), a -> new long[weeks.size()])[i] += c.count();
                }
            }
            List<Long> weeklyList = new ArrayList<>();
            List<Long> cumulative = new ArrayList<>();
            long total = 0;
            for (long n : weekly) {
                weeklyList.add(n);
                total += n;
                cumulative.add(total);
            }
            Integer target = groups.isEmpty() ? null : groups.stream().mapToInt(TrialDefinition.TrialGroup::target).sum();
            LocalDate start = groups.stream().map(TrialDefinition.TrialGroup::recruitmentStart).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            LocalDate end = groups.stream().map(TrialDefinition.TrialGroup::recruitmentEnd).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            RecruitmentProjection projection = null;
            if (target != null) {
                LocalDate windowFrom = thisWeek.minusWeeks(windowWeeks);
                LocalDate exposureFrom = start != null && start.isAfter(windowFrom) ? start : windowFrom;
                double exposureWeeks = Math.max(0, ChronoUnit.DAYS.between(exposureFrom, thisWeek)) / 7.0;
                long inWindow = 0;
                for (int i = 0; i < weeks.size(); i++) {
                    LocalDate w = weeks.get(i);
                    if (!w.isBefore(windowFrom) && w.isBefore(thisWeek)) {
                        inWindow += weekly[i];
                    }
                }
                projection = RecruitmentProjection.of(target, total, inWindow, exposureWeeks, today, end);
            }
            Map<String, Long> byArm = null;
            Map<String, List<Long>> byArmWeekly = null;
            if (withArms) {
                byArm = new LinkedHashMap<>();
                byArmWeekly = new LinkedHashMap<>();
                for (var e : weeklyByArm.entrySet()) {
                    long sum = 0;
                    List<Long> list = new ArrayList<>();
                    for (long n : e.getValue()) {
                        sum += n;
                        list.add(n);
                    }
                    byArm.put(e.getKey(), sum);
                    byArmWeekly.put(e.getKey(), List.copyOf(list));
                }
            }
            return new Unit(level, code, name, site, target, start, end, total, List.copyOf(weeklyList), List.copyOf(cumulative),
                    byArm, byArmWeekly, projection);
        }
    }

    /** The weekly table: one row per unit and week. */
    public CsvTable weeklyCsv() {
        List<String> header = new ArrayList<>(List.of("level", "code", "week_start", "randomised", "cumulative"));
        arms.forEach(a -> header.add("randomised_" + a + "_before_cutoff"));
        List<List<Object>> rows = new ArrayList<>();
        for (Unit u : units) {
            for (int i = 0; i < weeks.size(); i++) {
                List<Object> row = new ArrayList<>(List.of(u.level(), u.code(), weeks.get(i).toString(), u.weekly().get(i), u.cumulative().get(i)));
                for (String a : arms) {
                    row.add(u.weeklyByArm() == null ? null : u.weeklyByArm().get(a).get(i));
                }
                rows.add(row);
            }
        }
        return new CsvTable(header, rows);
    }

    /** The summary table: one row per unit, with targets and projections. */
    public CsvTable summaryCsv() {
        List<String> header = new ArrayList<>(List.of("level", "code", "name", "site", "target", "recruitment_start",
                "recruitment_end", "randomised"));
        arms.forEach(a -> header.add("randomised_" + a + "_before_cutoff"));
        header.addAll(List.of("window_weeks", "randomised_in_window", "rate_per_week", "rate_lower_95", "rate_upper_95",
                "remaining", "projected_date", "earliest_date", "latest_date", "weeks_left", "needed_per_week", "overdue"));
        List<List<Object>> rows = new ArrayList<>();
        for (Unit u : units) {
            List<Object> row = new ArrayList<>(List.of(u.level(), u.code(), u.name()));
            row.add(u.site());
            row.add(u.target());
            row.add(u.recruitmentStart());
            row.add(u.recruitmentEnd());
            row.add(u.randomised());
            for (String a : arms) {
                row.add(u.byArm() == null ? null : u.byArm().get(a));
            }
            RecruitmentProjection p = u.projection();
            if (p == null) {
                for (int i = 0; i < 12; i++) {
                    row.add(null);
                }
            } else {
                row.addAll(java.util.Arrays.asList(p.windowWeeks(), p.randomisedInWindow(), p.ratePerWeek(), p.rateLower(),
                        p.rateUpper(), p.remaining(), p.projectedDate(), p.earliestDate(), p.latestDate(), p.weeksLeft(),
                        p.neededPerWeek(), p.overdue()));
            }
            rows.add(row);
        }
        return new CsvTable(header, rows);
    }
}
