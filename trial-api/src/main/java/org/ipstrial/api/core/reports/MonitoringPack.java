package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ipstrial.definition.TrialDefinition;

/**
 * The figures of the monitoring pack for a steering or data monitoring committee: the recruitment,
 * CONSORT and baseline balance reports as the report endpoints compute them, read in one snapshot
 * with allocations counted up to {@code countedUntil} (the end of {@code asOf}), plus the baseline's
 * completeness per site worked out from the balance report's own counts. {@code closed}: the part
 * split by arm (statistician only); otherwise every figure is pooled across arms.
 */
public record MonitoringPack(String trial, LocalDate asOf, Instant countedUntil, Instant madeAt, boolean closed,
        List<String> arms, Map<String, String> armLabels, List<Target> recruitment, ConsortFlow consort,
        BaselineBalance balance, List<Completeness> completeness, List<ItemCompleteness> itemCompleteness,
        List<SurveyCompleteness> surveys, List<StatusByArm> statusesByArm) {
    public MonitoringPack {
        Objects.requireNonNull(asOf, "asOf");
        arms = List.copyOf(arms);
        armLabels = Map.copyOf(armLabels);
        recruitment = List.copyOf(recruitment);
        completeness = List.copyOf(completeness);
        itemCompleteness = List.copyOf(itemCompleteness);
        surveys = List.copyOf(surveys);
        statusesByArm = List.copyOf(statusesByArm);
    }

    /**
     * Withdrawals and deaths of a unit (the whole trial, {@code site} null, or a site) by arm, as
     * recorded by the end of the day; {@code arm} null: not randomised by then. Closed part only.
     */
    public record StatusByArm(String site, String arm, long withdrawnService, long withdrawnResearch, long died) {}

    /**
     * A follow-up survey wave at a site as of the day: {@code opened} randomised recruits on record
     * whose window had opened, {@code interviewed} of them done by then; {@code closed} those whose
     * window had closed, {@code interviewedOfClosed} of them done. {@code arm}: null pooled, else that
     * arm's recruits only (closed part).
     */
    public record SurveyCompleteness(String wave, String site, String name, String arm, long opened, long interviewed, long closed,
            long interviewedOfClosed) {
        public Double percentOfOpened() {
            return opened == 0 ? null : 100.0 * interviewed / opened;
        }

        public Double percentOfClosed() {
            return closed == 0 ? null : 100.0 * interviewedOfClosed / closed;
        }
    }

    /**
     * Recruitment of one unit (trial, site, trial group) against its target: {@code randomised} is
     * the recruitment report's {@code byArm} summed, so allocations up to the end of asOf.
     */
    public record Target(String level, String code, String name, Integer target, LocalDate recruitmentStart,
            LocalDate recruitmentEnd, long randomised, Map<String, Long> byArm) {
        public Target {
            byArm = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byArm));
        }

        /** Percent of the target reached, or null without a target. */
        public Double percentOfTarget() {
            return target == null || target == 0 ? null : 100.0 * randomised / target;
        }
    }

    /**
     * How complete the baseline questionnaire is at a site: of {@code expected} answers (recruits
     * with a baseline times the questionnaire's items), {@code answered} were not a missing code.
     */
    public record Completeness(String site, String name, long recruits, int items, long expected, long answered) {
        public Double percent() {
            return expected == 0 ? null : 100.0 * answered / expected;
        }
    }

    /** One baseline item's answered share per site (site code to answered, recruits with a baseline). */
    public record ItemCompleteness(String item, String label, Map<String, Long> answered, Map<String, Long> recruits) {
        public ItemCompleteness {
            answered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answered));
            recruits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recruits));
        }

        public Double percent(String site) {
            long n = recruits.getOrDefault(site, 0L);
            return n == 0 ? null : 100.0 * answered.getOrDefault(site, 0L) / n;
        }
    }

    static MonitoringPack of(TrialDefinition definition, List<String> arms, LocalDate asOf, Instant countedUntil, Instant madeAt,
            boolean closed, RecruitmentReport recruitment, ConsortFlow consort, BaselineBalance balance, List<SurveyCompleteness> surveys,
            List<org.ipstrial.api.db.ReportDao.ArmStatusCount> statusCounts) {
        List<Target> targets = new ArrayList<>();
        for (RecruitmentReport.Unit u : recruitment.units()) {
            if (u.level().equals(RecruitmentReport.AREA) || u.byArm() == null) {
                continue;
            }
            long randomised = u.byArm().values().stream().mapToLong(Long::longValue).sum();
            targets.add(new Target(u.level(), u.code(), u.name(), u.target(), u.recruitmentStart(), u.recruitmentEnd(), randomised, u.byArm()));
        }
        Map<String, String> siteOfGroup = new LinkedHashMap<>();
        definition.trialGroups().forEach(g -> siteOfGroup.put(g.code(), g.site()));
        List<TrialDefinition.BaselineItem> items = definition.baseline().items();
        Map<String, Long> recruitsBySite = new LinkedHashMap<>();
        Map<String, Map<String, Long>> answeredBySiteItem = new LinkedHashMap<>();
        definition.sites().forEach(s -> {
            recruitsBySite.put(s.code(), 0L);
            answeredBySiteItem.put(s.code(), new LinkedHashMap<>());
        });
        for (BaselineBalance.Group g : balance.groups()) {
            String site = siteOfGroup.get(g.trialGroup());
            long n = g.recruits().values().stream().mapToLong(Long::longValue).sum();
            recruitsBySite.merge(site, n, Long::sum);
            for (TrialDefinition.BaselineItem item : items) {
                answeredBySiteItem.get(site).merge(item.id(), answered(g, item, n), Long::sum);
            }
        }
        List<Completeness> completeness = new ArrayList<>();
        for (var s : definition.sites()) {
            long n = recruitsBySite.get(s.code());
            long answered = answeredBySiteItem.get(s.code()).values().stream().mapToLong(Long::longValue).sum();
            completeness.add(new Completeness(s.code(), s.name(), n, items.size(), n * items.size(), answered));
        }
        List<ItemCompleteness> perItem = new ArrayList<>();
        for (TrialDefinition.BaselineItem item : items) {
            Map<String, Long> answered = new LinkedHashMap<>();
            definition.sites().forEach(s -> answered.put(s.code(), answeredBySiteItem.get(s.code()).getOrDefault(item.id(), 0L)));
            perItem.add(new ItemCompleteness(item.id(), item.label(), answered, recruitsBySite));
        }
        return new MonitoringPack(definition.name(), asOf, countedUntil, madeAt, closed, arms, definition.arms().labels(), targets,
                consort, balance, completeness, perItem, surveys, statusesByArm(definition, arms, closed, statusCounts));
    }

    /** The whole trial's and each site's withdrawals and deaths per arm, and not randomised, from the counts per site. */
    static List<StatusByArm> statusesByArm(TrialDefinition definition, List<String> arms, boolean closed,
            List<org.ipstrial.api.db.ReportDao.ArmStatusCount> counts) {
        if (!closed) {
            return List.of();
        }
        List<String> units = new ArrayList<>();
        units.add(null);
        definition.sites().forEach(s -> units.add(s.code()));
        List<String> columns = new ArrayList<>(arms);
        columns.add(null);
        List<StatusByArm> rows = new ArrayList<>();
        for (String unit : units) {
            for (String arm : columns) {
                long service = 0;
                long research = 0;
                long died = 0;
                for (var c : counts) {
                    if ((unit == null || unit.equals(c.site())) && Objects.equals(arm, c.arm())) {
                        switch (c.kind()) {
                            case "withdrawn_service" -> service += c.count();
                            case "withdrawn_research" -> research += c.count();
                            default -> died += c.count();
                        }
                    }
                }
                rows.add(new StatusByArm(unit, arm, service, research, died));
            }
        }
        return rows;
    }

    /**
     * Recruits of a group (all arms) who answered an item with a code that is not missing: for a
     * single-choice item the sum of its categories, for a whole number those with a value (the mean
     * row's count), for a several-choice item (where categories overlap) the recruits less the
     * missing row.
     */
    static long answered(BaselineBalance.Group g, TrialDefinition.BaselineItem item, long recruits) {
        long answered = 0;
        long missing = 0;
        for (BaselineBalance.Row r : g.rows()) {
            if (!r.item().equals(item.id())) {
                continue;
            }
            long all = r.count().values().stream().mapToLong(Long::longValue).sum();
            switch (r.kind()) {
                case BaselineBalance.MISSING -> missing += all;
                default -> answered += all;
            }
        }
        return item.type() == TrialDefinition.ItemType.multi ? recruits - missing : answered;
    }
}
