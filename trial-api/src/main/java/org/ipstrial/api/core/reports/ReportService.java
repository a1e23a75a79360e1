package org.ipstrial.api.core.reports;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.followup.SurveyWave;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.db.ReportDao;
import org.jdbi.v3.core.Jdbi;

/** The monitoring reports: each one query set, one snapshot (a read-only transaction), one result. */
public final class ReportService {
    public static final int DEFAULT_WINDOW_WEEKS = 8;
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final ReportCache cache = new ReportCache();
    private final BalanceParts balanceParts;
    private final Map<String, String> reasonTexts;
    private final SequenceParts sequenceParts = new SequenceParts();
    private final List<SurveyWave> waves;

    /** {@code waves}: the follow-up survey waves, whose completeness the monitoring pack shows. */
    public ReportService(Jdbi jdbi, TrialContext trial, List<SurveyWave> waves) {
        this(jdbi, trial, waves, BalanceParts.CHUNK);
    }

    /** With parts of {@code balanceChunk} allocations in the balance report (tests use small ones). */
    ReportService(Jdbi jdbi, TrialContext trial, List<SurveyWave> waves, int balanceChunk) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.waves = List.copyOf(waves);
        this.balanceParts = new BalanceParts(balanceChunk);
        this.reasonTexts = reasonTexts(trial.definition());
    }

    public TrialContext trial() {
        return trial;
    }

    public RecruitmentReport recruitment(TrialUser user, Integer windowWeeks) {
        int window = windowWeeks == null ? DEFAULT_WINDOW_WEEKS : windowWeeks;
        if (window < 1 || window > 104) {
            throw InvalidRequest.field("windowWeeks", "must be a whole number of weeks from 1 to 104");
        }
        ArmVisibility visibility = ArmVisibility.of(user.role(), trial.clock());
        RecruitmentReport report = snapshot(h -> recruitment(h, visibility, window, reader(visibility)));
        return visibility.live() ? new RecruitmentReport(report.today(), visibility.until(), true, report.arms(),
                report.windowWeeks(), report.weeks(), report.units()) : report;
    }

    /** The recruitment report for a view of the arms, in the caller's snapshot; {@code reader} names its cache entry. */
    RecruitmentReport recruitment(org.jdbi.v3.core.Handle h, ArmVisibility visibility, int window, String reader) {
        LocalDate today = trial.today();
        return cache.get("recruitment/" + window + "/" + reader,
                ReportCache.stamp(h) + "/" + key(visibility) + "/" + today, () -> RecruitmentReport.build(trial.definition(), trial.arms(),
                        h.attach(ReportDao.class).randomisedByWeek(visibility.countedUntil()), today, visibility, window));
    }

    public ConsortFlow consort(TrialUser user) {
        ArmVisibility visibility = ArmVisibility.of(user.role(), trial.clock());
        ConsortFlow flow = snapshot(h -> consort(h, visibility, reader(visibility), null));
        return visibility.live() ? flow.until(visibility.until(), true) : flow;
    }

    /**
     * The CONSORT flow for a view of the arms, in the caller's snapshot; {@code reader} names its
     * cache entry. {@code recordedUntil}: screening, agreement, withdrawals and deaths as recorded
     * before that moment (the monitoring pack's day), or null for as recorded now. Erasures are
     * always as recorded now: an erased person's rows are gone, so their place on an earlier day
     * cannot be told.
     */
    ConsortFlow consort(org.jdbi.v3.core.Handle h, ArmVisibility visibility, String reader, java.time.Instant recordedUntil) {
        List<String> arms = trial.arms();
        return cache.get("consort/" + reader, ReportCache.stamp(h) + "/" + key(visibility) + "/" + recordedUntil, () -> {
            ReportDao dao = h.attach(ReportDao.class);
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (var group : trial.definition().trialGroups()) {
                cells.put(key(group.site(), group.code()), new Cell(group.site(), group.code(), arms));
            }
            for (var f : recordedUntil == null ? dao.flow() : dao.flowUntil(recordedUntil)) {
                Cell c = cell(cells, f.site(), f.trialGroup(), arms);
                c.screened += f.count();
                if (!f.eligible()) {
                    c.ineligible += f.count();
                    for (String reason : f.failedCriteria()) {
                        c.reasons.merge(reason, f.count(), Long::sum);
                    }
                } else {
                    c.eligible += f.count();
                    if (f.randomised() || Boolean.TRUE.equals(f.agreed())) {
                        c.agreed += f.count();
                    } else if (f.agreed() == null) {
                        c.awaiting += f.count();
                    } else {
                        c.declined += f.count();
                    }
                }
            }
            for (var a : dao.randomisedByArm(visibility.countedUntil())) {
                Cell c = cell(cells, a.site(), a.trialGroup(), arms);
                c.randomised += a.count();
                if (a.beforeCutoff()) {
                    c.byArm.merge(a.arm(), a.count(), Long::sum);
                }
            }
            for (var s : recordedUntil == null ? dao.statuses() : dao.statusesUntil(recordedUntil)) {
                Cell c = cell(cells, s.site(), s.trialGroup(), arms);
                switch (s.kind()) {
                    case "withdrawn_service" -> c.withdrawnService += s.count();
                    case "withdrawn_research" -> c.withdrawnResearch += s.count();
                    case "deceased" -> c.died += s.count();
                    default -> throw new IllegalStateException("status kind " + s.kind() + " is not one the flow knows");
                }
            }
            for (var e : dao.erasures()) {
                Cell c = cell(cells, e.site(), e.trialGroup(), arms);
                c.erased += e.count();
                if (e.trialGroup() != null) {
                    // Screened (the group is set at screening), then erased: counted once, from the erasure log.
                    c.screened += e.count();
                    if (e.randomised()) {
                        c.erasedRandomised += e.count();
                        c.eligible += e.count();
                        c.agreed += e.count();
                    } else {
                        c.erasedBeforeRandomisation += e.count();
                    }
                }
            }
            List<ConsortFlow.Box> rows = cells.values().stream().map(Cell::box).toList();
            List<String> sites = trial.definition().sites().stream().map(TrialDefinition.Site::code).toList();
            return ConsortFlow.of(visibility, arms, rows, sites, reasonTexts);
        });
    }

    /**
     * The CONSORT diagram (SVG) of the whole trial, or of one trial group, from the same figures as
     * {@link #consort(TrialUser)} for the same reader.
     */
    public byte[] consortDiagram(TrialUser user, String trialGroup) {
        var definition = trial.definition();
        String title = "Whole trial";
        if (trialGroup != null) {
            title = definition.trialGroups().stream().filter(g -> g.code().equals(trialGroup)).map(TrialDefinition.TrialGroup::name)
                    .findFirst().orElseThrow(() -> InvalidRequest.field("trialGroup", "must be the code of one of the trial's groups, or left out for the whole trial"));
        }
        ConsortFlow flow = consort(user);
        String level = trialGroup == null ? RecruitmentReport.TRIAL : RecruitmentReport.TRIAL_GROUP;
        ConsortFlow.Box box = flow.rows().stream().filter(b -> b.level().equals(level) && Objects.equals(b.trialGroup(), trialGroup))
                .findFirst().orElseThrow(() -> new IllegalStateException("the CONSORT flow has no row for a unit of the definition"));
        return ConsortDiagram.draw(flow, box, title, definition.arms().labels());
    }

    /** The wording of each eligibility criterion, by id (a later rules version's wording wins). */
    private static Map<String, String> reasonTexts(TrialDefinition definition) {
        Map<String, String> texts = new java.util.TreeMap<>();
        definition.eligibility().forEach(r -> r.criteria().forEach(c -> texts.put(c.id(), c.text())));
        return java.util.Collections.unmodifiableMap(texts);
    }

    /** Every ineligibility reason of the rules in force and any other found in the data, for CSV columns. */
    public List<String> reasons(ConsortFlow flow) {
        TreeSet<String> reasons = new TreeSet<>(flow.reasonTexts().keySet());
        flow.rows().forEach(b -> reasons.addAll(b.ineligibleByReason().keySet()));
        return List.copyOf(reasons);
    }

    /**
     * Marginal balance per minimisation factor and level by arm, with the reader's cut-off (managers
     * to the end of yesterday, the statistician live); a trial under permuted blocks has none (409).
     */
    public MinimisationBalance minimisationBalance(TrialUser user) {
        var design = trial.minimisation().orElseThrow(() -> new org.ipstrial.api.core.errors.Conflict("not_minimisation",
                "The trial's design '" + trial.designName() + "' is permuted blocks, not minimisation: see /reports/balance "
                        + "and, for the statistician, /reports/sequence."));
        ArmVisibility visibility = ArmVisibility.of(user.role(), trial.clock());
        var ratio = design.versionInForceAt(trial.clock().instant()).ratio();
        return snapshot(h -> MinimisationBalance.of(trial.definition(), design, ratio, visibility,
                h.attach(ReportDao.class).minimisedCounts(visibility.countedUntil())));
    }

    public BaselineBalance balance(TrialUser user) {
        ArmVisibility visibility = ArmVisibility.of(user.role(), trial.clock());
        return snapshot(h -> balance(h, visibility));
    }

    /** The baseline balance for a view of the arms, in the caller's snapshot. */
    BaselineBalance balance(org.jdbi.v3.core.Handle h, ArmVisibility visibility) {
        BalanceParts.Tally tally = balanceParts.before(h.attach(ReportDao.class), visibility.countedUntil());
        return BaselineBalance.build(trial.definition(), visibility, trial.arms(), tally.recruitList(), tally.countList());
    }

    /**
     * The monitoring pack's figures: the recruitment, CONSORT and balance reports above, read in one
     * snapshot with the arms counted up to the end of {@code asOf} (Europe/London). The open part
     * pools them; the closed part (statistician only) splits them by arm.
     */
    public MonitoringPack monitoringPack(TrialUser user, String asOf, String part) {
        boolean closed;
        if (part == null || part.equals("open")) {
            closed = false;
        } else if (part.equals("closed")) {
            closed = true;
        } else {
            throw InvalidRequest.field("part", "must be open (pooled across arms) or closed (by arm, statistician only)");
        }
        if (closed && !mayReadClosedPart(user)) {
            throw new IllegalArgumentException("the closed part is the statistician's: the resource refuses it to others");
        }
        LocalDate today = trial.today();
        LocalDate day;
        try {
            day = asOf == null ? today : LocalDate.parse(asOf);
        } catch (java.time.format.DateTimeParseException e) {
            throw InvalidRequest.field("asOf", "must be a date written YYYY-MM-DD");
        }
        LocalDate trialStart = trial.definition().trialGroups().stream().map(TrialDefinition.TrialGroup::recruitmentStart)
                .filter(Objects::nonNull).min(LocalDate::compareTo).orElse(null);
        if (day.isAfter(today)) {
            throw InvalidRequest.field("asOf", "must not be later than today (" + today + ")");
        }
        if (trialStart != null && day.isBefore(trialStart)) {
            throw InvalidRequest.field("asOf", "must not be before the trial's recruitment start (" + trialStart + ")");
        }
        ArmVisibility visibility = new ArmVisibility(day.plusDays(1).atStartOfDay(TrialContext.TRIAL_ZONE).toInstant(), false);
        java.time.Instant madeAt = trial.clock().instant();
        return snapshot(h -> MonitoringPack.of(trial.definition(), trial.arms(), day, visibility.until(), madeAt, closed,
                recruitment(h, visibility, DEFAULT_WINDOW_WEEKS, "monitoring-pack"),
                consort(h, visibility, "monitoring-pack", visibility.until()), balance(h, visibility),
                surveys(h.attach(ReportDao.class), day, visibility.until(), closed),
                closed ? h.attach(ReportDao.class).statusesByArmUntil(visibility.until()) : List.of()));
    }

    /**
     * Each survey wave's completeness per site as of a day (and per arm in the closed part): of the
     * randomised recruits on record whose window had opened by then (or who were interviewed
     * already), how many were interviewed by then, and the same of those whose window had closed.
     * Windows are computed from the randomisation day as the fieldwork list computes them
     * (SurveyWave.windowFor).
     */
    List<MonitoringPack.SurveyCompleteness> surveys(ReportDao dao, LocalDate asOf, java.time.Instant until, boolean byArm) {
        Map<String, Long> done = new java.util.HashMap<>();
        for (ReportDao.WaveDayCount d : dao.interviewedByDay(until, asOf)) {
            done.merge(d.site() + "/" + d.arm() + "/" + d.wave() + "/" + d.day(), d.count(), Long::sum);
        }
        List<ReportDao.DayCount> randomised = dao.randomisedOnRecordByDay(until);
        List<String> arms = new java.util.ArrayList<>();
        arms.add(null);
        if (byArm) {
            arms.addAll(trial.arms());
        }
        List<MonitoringPack.SurveyCompleteness> rows = new java.util.ArrayList<>();
        for (SurveyWave wave : waves) {
            for (TrialDefinition.Site site : trial.definition().sites()) {
                for (String arm : arms) {
                    long opened = 0;
                    long closed = 0;
                    long interviewed = 0;
                    long interviewedOfClosed = 0;
                    for (ReportDao.DayCount r : randomised) {
                        if (!r.site().equals(site.code()) || (arm != null && !arm.equals(r.arm()))) {
                            continue;
                        }
                        org.ipstrial.api.core.followup.DueWindow window = wave.windowFor(r.day());
                        long n = done.getOrDefault(site.code() + "/" + r.arm() + "/" + wave.code() + "/" + r.day(), 0L);
                        // Interviewed before the window opened: counted, and counted as expected too.
                        opened += !window.opens().isAfter(asOf) ? r.count() : n;
                        interviewed += n;
                        if (window.closes().isBefore(asOf)) {
                            closed += r.count();
                            interviewedOfClosed += n;
                        }
                    }
                    rows.add(new MonitoringPack.SurveyCompleteness(wave.code(), site.code(), site.name(), arm, opened, interviewed, closed,
                            interviewedOfClosed));
                }
            }
        }
        return rows;
    }

    /**
     * Whether a reader may have the monitoring pack's closed part (by arm, allocations to the end of
     * the chosen day, today's included): the reader whose arm view is live, the statistician.
     */
    public static boolean mayReadClosedPart(TrialUser user) {
        return user.role() == org.ipstrial.api.auth.Role.statistician;
    }

    /** Computes the kept parts (balance, sequence) as the statistician would read them: see {@link ReportWarmUp}. */
    public void warmUp() {
        snapshot(h -> {
            ReportDao dao = h.attach(ReportDao.class);
            balanceParts.before(dao, ArmVisibility.EVERY_ALLOCATION);
            return trial.minimisation().isPresent() ? null : sequenceParts.check(trial.design(), dao);
        });
    }

    /** Statisticians only (the resource checks the role): live arm counts per stratum. */
    public SequenceIntegrity sequence() {
        if (trial.minimisation().isPresent()) {
            var design = trial.minimisation().get();
            // Every minimised allocation is replayed on each read: the predictability depends on the order of all of them.
            return snapshot(h -> SequenceIntegrity.minimised(design,
                    org.ipstrial.api.core.randomisation.SequenceAudit.recordedMinimisations(h, design)));
        }
        return snapshot(h -> sequenceParts.check(trial.design(), h.attach(ReportDao.class)));
    }

    /** One cache entry per report and kind of reader, so the cache never grows with the days. */
    private static String reader(ArmVisibility visibility) {
        return visibility.live() ? "live" : "cut-off";
    }

    /**
     * The key of a reader's view: a manager's cut-off (the start of today) or "live". The
     * statistician's live view counts every allocation on record, so it changes with the stamp.
     */
    private static String key(ArmVisibility visibility) {
        return visibility.live() ? "live" : visibility.until().toString();
    }

    /** One read-only snapshot: the stamp and the figures are read from the same state of the data. */
    private <T> T snapshot(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> {
            h.execute("SET TRANSACTION READ ONLY");
            return work.withHandle(h);
        });
    }

    private static String key(String site, String group) {
        return site + "\u0000" + group;
    }

    private static Cell cell(Map<String, Cell> cells, String site, String group, List<String> arms) {
        return cells.computeIfAbsent(key(site, group), k -> new Cell(site, group, arms));
    }

    /** Counts of one site and trial group while they are gathered. */
    private static final class Cell {
        final String site;
        final String group;
        long screened;
        long ineligible;
        long awaiting;
        long declined;
        long agreed;
        long randomised;
        long withdrawnService;
        long withdrawnResearch;
        long died;
        long erased;
        long erasedRandomised;
        long eligible;
        long erasedBeforeRandomisation;
        final Map<String, Long> reasons = new LinkedHashMap<>();
        final Map<String, Long> byArm = new LinkedHashMap<>();

        Cell(String site, String group, List<String> arms) {
            this.site = Objects.requireNonNull(site);
            this.group = group;
            arms.forEach(a -> byArm.put(a, 0L));
        }

        ConsortFlow.Box box() {
            return new ConsortFlow.Box(RecruitmentReport.TRIAL_GROUP, site, group, screened, ineligible, reasons,
                    eligible, erasedBeforeRandomisation, awaiting, declined, agreed, randomised, byArm, withdrawnService,
                    withdrawnResearch, died, erased, erasedRandomised);
        }
    }
}
