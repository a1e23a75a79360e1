package org.ipstrial.api.core.delivery;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ipstrial.api.core.reports.CsvTable;

/**
 * The delivery report for managers: per NHS financial-year quarter, for the trial, each site and
 * each service (provider). Each figure belongs to the quarter of the date that defines it: the
 * randomisation (engagement, sessions, first-session lag), the job start (job starts, hours, jobs
 * lasting 13 and 26 weeks), the vocational profile (days to the first face-to-face employer
 * contact), the quarter's last day or today (caseload per FTE). See docs/reports.md.
 */
public record DeliveryReport(LocalDate today, int caseloadLimitPerFte, List<String> quarters, List<DeliveryRow> rows) {
    public DeliveryReport {
        quarters = List.copyOf(quarters);
        rows = List.copyOf(rows);
    }

    /** A treatment recruit's delivery, reduced to what the report counts (current records only). */
    public record RecruitFacts(String site, String area, LocalDate randomisedOn, int sessions, LocalDate firstSession,
            LocalDate vocationalProfile, LocalDate firstFaceToFaceContactAfterProfile, LocalDate dischargedOn) {}

    /** A job start and the first job end recorded for it, if any. */
    public record JobFacts(String site, String area, LocalDate startedOn, BigDecimal hoursPerWeek, LocalDate endedOn) {}

    public record FtePeriod(String site, LocalDate start, LocalDate end, BigDecimal fte) {}

    /** Days from randomisation to the first session, in these bands (upper bounds, inclusive). */
    public static final int[] LAG_BANDS = {7, 14, 28, 56};
    public static final int WEEKS_13 = 91;
    public static final int WEEKS_26 = 182;

    public record DeliveryRow(String level, String unit, String name, String quarter, LocalDate quarterStart, LocalDate quarterEnd,
            int randomised, int engaged, Double engagedShare, int sessions, Double sessionsPerParticipantMean,
            Double sessionsPerParticipantMedian, int firstSessionWithin7Days, int firstSession8To14Days, int firstSession15To28Days,
            int firstSession29To56Days, int firstSessionOver56Days, int noSessionYet, int jobStarts, Double meanHoursPerWeek,
            int jobs13WeeksDue, int jobsLasting13Weeks, int jobs26WeeksDue, int jobsLasting26Weeks, LocalDate caseloadOn,
            int caseload, BigDecimal fte, Double caseloadPerFte, Boolean overCaseloadLimit, int vocationalProfiles,
            int withFaceToFaceEmployerContact, Double meanDaysToEmployerContact, Double medianDaysToEmployerContact) {}

    /** A unit of the report: which recruits, jobs and FTE periods it covers. */
    private record Unit(String level, String code, String name, Predicate<String> site, Predicate<String> area, boolean hasFte) {}

    public static DeliveryReport compute(List<RecruitFacts> recruits, List<JobFacts> jobs, List<FtePeriod> fte,
            DeliverySettings settings, List<org.ipstrial.definition.TrialDefinition.Site> sites, LocalDate today) {
        List<Unit> units = new ArrayList<>();
        units.add(new Unit("trial", "trial", "Whole trial", s -> true, a -> true, true));
        for (var site : sites) {
            units.add(new Unit("site", site.code(), site.name(), site.code()::equals, a -> true, true));
            for (var service : settings.services()) {
                if (service.site().equals(site.code())) {
                    units.add(new Unit("service", service.code(), service.name(), service.site()::equals, service.areas()::contains, false));
                }
            }
        }
        LocalDate first = recruits.stream().map(RecruitFacts::randomisedOn).min(LocalDate::compareTo).orElse(today);
        List<FiscalQuarter> quarters = new ArrayList<>();
        for (FiscalQuarter q = FiscalQuarter.of(first); q.compareTo(FiscalQuarter.of(today)) <= 0; q = q.next()) {
            quarters.add(q);
        }
        List<DeliveryRow> rows = new ArrayList<>();
        for (Unit unit : units) {
            List<RecruitFacts> mine = recruits.stream().filter(r -> unit.site().test(r.site()) && unit.area().test(r.area())).toList();
            List<JobFacts> myJobs = jobs.stream().filter(j -> unit.site().test(j.site()) && unit.area().test(j.area())).toList();
            // Each list sorted into its quarters once, not filtered again for every quarter.
            List<List<RecruitFacts>> cohorts = byQuarter(mine, RecruitFacts::randomisedOn, quarters);
            List<List<RecruitFacts>> profiles = byQuarter(mine, RecruitFacts::vocationalProfile, quarters);
            List<List<JobFacts>> started = byQuarter(myJobs, JobFacts::startedOn, quarters);
            for (int i = 0; i < quarters.size(); i++) {
                rows.add(row(unit, quarters.get(i), cohorts.get(i), started.get(i), profiles.get(i), mine, fte,
                        settings.caseloadLimitPerFte(), today));
            }
        }
        return new DeliveryReport(today, settings.caseloadLimitPerFte(), quarters.stream().map(FiscalQuarter::label).toList(), rows);
    }

    /** The items whose date falls in each of these consecutive quarters (an item without the date, or outside them, in none). */
    static <T> List<List<T>> byQuarter(List<T> items, Function<T, LocalDate> date, List<FiscalQuarter> quarters) {
        List<List<T>> buckets = new ArrayList<>();
        quarters.forEach(q -> buckets.add(new ArrayList<>()));
        if (quarters.isEmpty()) {
            return buckets;
        }
        FiscalQuarter first = quarters.get(0);
        for (T item : items) {
            LocalDate d = date.apply(item);
            if (d != null) {
                int i = FiscalQuarter.of(d).quartersSince(first);
                if (i >= 0 && i < buckets.size()) {
                    buckets.get(i).add(item);
                }
            }
        }
        return buckets;
    }

    /**
     * One row: {@code cohort} randomised in the quarter, {@code started} jobs started in it,
     * {@code profiles} vocational profiles started in it, {@code recruits} all of the unit's (for the caseload).
     */
    private static DeliveryRow row(Unit unit, FiscalQuarter q, List<RecruitFacts> cohort, List<JobFacts> started,
            List<RecruitFacts> profiles, List<RecruitFacts> recruits, List<FtePeriod> fte, int limit, LocalDate today) {
        List<RecruitFacts> engaged = cohort.stream().filter(r -> r.sessions() > 0).toList();
        int[] lags = new int[LAG_BANDS.length + 1];
        for (RecruitFacts r : engaged) {
            long days = ChronoUnit.DAYS.between(r.randomisedOn(), r.firstSession());
            int band = 0;
            while (band < LAG_BANDS.length && days > LAG_BANDS[band]) {
                band++;
            }
            lags[band]++;
        }
        double[] sessions = engaged.stream().mapToDouble(RecruitFacts::sessions).toArray();

        List<JobFacts> due13 = started.stream().filter(j -> !j.startedOn().plusDays(WEEKS_13).isAfter(today)).toList();
        List<JobFacts> due26 = started.stream().filter(j -> !j.startedOn().plusDays(WEEKS_26).isAfter(today)).toList();
        long lasting13 = due13.stream().filter(j -> lasted(j, WEEKS_13)).count();
        long lasting26 = due26.stream().filter(j -> lasted(j, WEEKS_26)).count();
        Double hours = started.isEmpty() ? null : started.stream().mapToDouble(j -> j.hoursPerWeek().doubleValue()).average().orElseThrow();

        LocalDate on = q.end().isAfter(today) ? today : q.end();
        int caseload = 0;
        for (RecruitFacts r : recruits) {
            if (!r.randomisedOn().isAfter(on) && (r.dischargedOn() == null || r.dischargedOn().isAfter(on))) {
                caseload++;
            }
        }
        BigDecimal ftes = null;
        if (unit.hasFte()) {
            ftes = fte.stream().filter(p -> unit.site().test(p.site()) && !p.start().isAfter(on) && !p.end().isBefore(on))
                    .map(FtePeriod::fte).reduce(BigDecimal::add).orElse(null);
        }
        Double perFte = ftes == null ? null : caseload / ftes.doubleValue();

        double[] days = profiles.stream().filter(r -> r.firstFaceToFaceContactAfterProfile() != null)
                .mapToDouble(r -> ChronoUnit.DAYS.between(r.vocationalProfile(), r.firstFaceToFaceContactAfterProfile())).toArray();

        return new DeliveryRow(unit.level(), unit.code(), unit.name(), q.label(), q.start(), q.end(), cohort.size(), engaged.size(),
                cohort.isEmpty() ? null : (double) engaged.size() / cohort.size(), (int) Arrays.stream(sessions).sum(), mean(sessions),
                median(sessions), lags[0], lags[1], lags[2], lags[3], lags[4], cohort.size() - engaged.size(), started.size(), hours,
                due13.size(), (int) lasting13, due26.size(), (int) lasting26, on, caseload, ftes == null ? null : ftes.stripTrailingZeros(),
                perFte, perFte == null ? null : perFte > limit, profiles.size(), days.length, mean(days), median(days));
    }

    /** Held for the whole span: no job end recorded, or the first one at least that many days after the start. */
    static boolean lasted(JobFacts job, int days) {
        return job.endedOn() == null || !job.endedOn().isBefore(job.startedOn().plusDays(days));
    }

    static Double mean(double[] values) {
        return values.length == 0 ? null : Arrays.stream(values).average().orElseThrow();
    }

    static Double median(double[] values) {
        if (values.length == 0) {
            return null;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static final String[] HEADER = {"level", "unit", "name", "quarter", "quarter_start", "quarter_end", "randomised_treatment",
            "engaged", "engaged_share", "sessions", "sessions_per_participant_mean", "sessions_per_participant_median",
            "first_session_within_7_days", "first_session_8_to_14_days", "first_session_15_to_28_days", "first_session_29_to_56_days",
            "first_session_over_56_days", "no_session_yet", "job_starts", "mean_hours_per_week", "jobs_13_weeks_due",
            "jobs_lasting_13_weeks", "jobs_26_weeks_due", "jobs_lasting_26_weeks", "caseload_on", "caseload", "fte", "caseload_per_fte",
            "over_caseload_limit", "vocational_profiles", "with_face_to_face_employer_contact", "mean_days_to_employer_contact",
            "median_days_to_employer_contact"};

    /** Every figure as computed (for managers). */
    public CsvTable csv() {
        CsvTable.Builder table = CsvTable.builder(HEADER);
        for (DeliveryRow r : rows) {
            table.row(r.level(), r.unit(), r.name(), r.quarter(), r.quarterStart(), r.quarterEnd(), r.randomised(), r.engaged(),
                    r.engagedShare(), r.sessions(), r.sessionsPerParticipantMean(), r.sessionsPerParticipantMedian(),
                    r.firstSessionWithin7Days(), r.firstSession8To14Days(), r.firstSession15To28Days(), r.firstSession29To56Days(),
                    r.firstSessionOver56Days(), r.noSessionYet(), r.jobStarts(), r.meanHoursPerWeek(), r.jobs13WeeksDue(),
                    r.jobsLasting13Weeks(), r.jobs26WeeksDue(), r.jobsLasting26Weeks(), r.caseloadOn(), r.caseload(),
                    r.fte() == null ? null : r.fte().toPlainString(), r.caseloadPerFte(), r.overCaseloadLimit(), r.vocationalProfiles(),
                    r.withFaceToFaceEmployerContact(), r.meanDaysToEmployerContact(), r.medianDaysToEmployerContact());
        }
        return table.build();
    }

    /** What publication may show: a count from 1 to 9 reads "suppressed", and so does a figure computed over fewer than 10 people. */
    public static final String SUPPRESSED = "suppressed";
    public static final int SMALLEST_SHOWN = 10;

    static Object count(int n) {
        return n > 0 && n < SMALLEST_SHOWN ? SUPPRESSED : n;
    }

    static Object over(int denominator, Object figure) {
        return denominator > 0 && denominator < SMALLEST_SHOWN ? SUPPRESSED : figure;
    }

    public CsvTable publicationCsv() {
        CsvTable.Builder table = CsvTable.builder(HEADER);
        for (DeliveryRow r : rows) {
            table.row(r.level(), r.unit(), r.name(), r.quarter(), r.quarterStart(), r.quarterEnd(), count(r.randomised()), count(r.engaged()),
                    over(r.randomised(), over(r.engaged(), r.engagedShare())), count(r.sessions()),
                    over(r.engaged(), r.sessionsPerParticipantMean()), over(r.engaged(), r.sessionsPerParticipantMedian()),
                    count(r.firstSessionWithin7Days()), count(r.firstSession8To14Days()), count(r.firstSession15To28Days()),
                    count(r.firstSession29To56Days()), count(r.firstSessionOver56Days()), count(r.noSessionYet()), count(r.jobStarts()),
                    over(r.jobStarts(), r.meanHoursPerWeek()), count(r.jobs13WeeksDue()), count(r.jobsLasting13Weeks()),
                    count(r.jobs26WeeksDue()), count(r.jobsLasting26Weeks()), r.caseloadOn(), count(r.caseload()),
                    r.fte() == null ? null : r.fte().toPlainString(), over(r.caseload(), r.caseloadPerFte()),
                    r.caseload() > 0 && r.caseload() < SMALLEST_SHOWN ? SUPPRESSED : r.overCaseloadLimit(), count(r.vocationalProfiles()),
                    count(r.withFaceToFaceEmployerContact()), over(r.withFaceToFaceEmployerContact(), r.meanDaysToEmployerContact()),
                    over(r.withFaceToFaceEmployerContact(), r.medianDaysToEmployerContact()));
        }
        return table.build();
    }
}
