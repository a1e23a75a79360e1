package org.ipstrial.api.core.delivery;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** No such date (a day number never used). */
    public static final int NONE = Integer.MIN_VALUE;

    /**
     * Treatment recruits as columns, dates as days since 1970-01-01 ({@link #NONE} for none): the
     * form the report is computed from, filled straight from the database's rows without an object
     * per recruit (docs/benchmarks.md). A recruit's site and area are one index into {@code places}.
     */
    public static final class Recruits {
        final Places places = new Places();
        int size;
        int[] place = new int[1024];
        int[] randomised = new int[1024];
        int[] sessions = new int[1024];
        int[] firstSession = new int[1024];
        int[] profile = new int[1024];
        int[] contactAfterProfile = new int[1024];
        int[] discharged = new int[1024];

        public void add(String site, String area, int randomisedOn, int sessionCount, int firstSessionOn, int vocationalProfileOn,
                int firstFaceToFaceContactAfterProfileOn, int dischargedOn) {
            if (size == place.length) {
                int n = size * 2;
                place = Arrays.copyOf(place, n);
                randomised = Arrays.copyOf(randomised, n);
                sessions = Arrays.copyOf(sessions, n);
                firstSession = Arrays.copyOf(firstSession, n);
                profile = Arrays.copyOf(profile, n);
                contactAfterProfile = Arrays.copyOf(contactAfterProfile, n);
                discharged = Arrays.copyOf(discharged, n);
            }
            place[size] = places.of(site, area);
            randomised[size] = randomisedOn;
            sessions[size] = sessionCount;
            firstSession[size] = firstSessionOn;
            profile[size] = vocationalProfileOn;
            contactAfterProfile[size] = firstFaceToFaceContactAfterProfileOn;
            discharged[size] = dischargedOn;
            size++;
        }

        public int size() {
            return size;
        }
    }

    /** Job starts as columns, as {@link Recruits}. */
    public static final class Jobs {
        final Places places = new Places();
        int size;
        int[] place = new int[256];
        int[] started = new int[256];
        double[] hours = new double[256];
        int[] ended = new int[256];

        public void add(String site, String area, int startedOn, double hoursPerWeek, int endedOn) {
            if (size == place.length) {
                int n = size * 2;
                place = Arrays.copyOf(place, n);
                started = Arrays.copyOf(started, n);
                hours = Arrays.copyOf(hours, n);
                ended = Arrays.copyOf(ended, n);
            }
            place[size] = places.of(site, area);
            started[size] = startedOn;
            hours[size] = hoursPerWeek;
            ended[size] = endedOn;
            size++;
        }
    }

    /** The distinct (site, area) pairs met, numbered in order. */
    static final class Places {
        final List<String> sites = new ArrayList<>();
        final List<String> areas = new ArrayList<>();
        private final java.util.Map<List<String>, Integer> index = new java.util.HashMap<>();

        int of(String site, String area) {
            return index.computeIfAbsent(List.of(site, area), k -> {
                sites.add(site);
                areas.add(area);
                return sites.size() - 1;
            });
        }

        /** Which places a unit covers. */
        boolean[] in(Unit unit) {
            boolean[] in = new boolean[sites.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = unit.site().test(sites.get(i)) && unit.area().test(areas.get(i));
            }
            return in;
        }
    }

    static int day(LocalDate date) {
        return date == null ? NONE : (int) date.toEpochDay();
    }

    /** A unit of the report: which recruits, jobs and FTE periods it covers. */
    private record Unit(String level, String code, String name, Predicate<String> site, Predicate<String> area, boolean hasFte) {}

    /** The report from recruits and jobs as records (a small report, a test's). */
    public static DeliveryReport compute(List<RecruitFacts> recruits, List<JobFacts> jobs, List<FtePeriod> fte,
            DeliverySettings settings, List<org.ipstrial.definition.TrialDefinition.Site> sites, LocalDate today) {
        Recruits columns = new Recruits();
        for (RecruitFacts r : recruits) {
            columns.add(r.site(), r.area(), day(r.randomisedOn()), r.sessions(), day(r.firstSession()), day(r.vocationalProfile()),
                    day(r.firstFaceToFaceContactAfterProfile()), day(r.dischargedOn()));
        }
        Jobs jobColumns = new Jobs();
        for (JobFacts j : jobs) {
            jobColumns.add(j.site(), j.area(), day(j.startedOn()), j.hoursPerWeek().doubleValue(), day(j.endedOn()));
        }
        return compute(columns, jobColumns, fte, settings, sites, today);
    }

    /**
     * The report: for each unit one pass over its recruits and one over its jobs, each counted into
     * the quarter of its date; the caseload on each quarter's day counted in the same pass.
     */
    public static DeliveryReport compute(Recruits recruits, Jobs jobs, List<FtePeriod> fte, DeliverySettings settings,
            List<org.ipstrial.definition.TrialDefinition.Site> sites, LocalDate today) {
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
        int todayDay = day(today);
        int first = todayDay;
        for (int i = 0; i < recruits.size; i++) {
            first = Math.min(first, recruits.randomised[i]);
        }
        List<FiscalQuarter> quarters = new ArrayList<>();
        for (FiscalQuarter q = FiscalQuarter.of(LocalDate.ofEpochDay(first)); q.compareTo(FiscalQuarter.of(today)) <= 0; q = q.next()) {
            quarters.add(q);
        }
        Quarters days = new Quarters(quarters, today);
        // Each recruit's and job's quarters found once, for every unit.
        int[] cohortOf = new int[recruits.size];
        int[] profileOf = new int[recruits.size];
        for (int i = 0; i < recruits.size; i++) {
            cohortOf[i] = days.of(recruits.randomised[i]);
            profileOf[i] = days.of(recruits.profile[i]);
        }
        int[] jobOf = new int[jobs.size];
        for (int i = 0; i < jobs.size; i++) {
            jobOf[i] = days.of(jobs.started[i]);
        }
        List<DeliveryRow> rows = new ArrayList<>();
        for (Unit unit : units) {
            Tally[] tally = new Tally[quarters.size()];
            Arrays.setAll(tally, i -> new Tally());
            boolean[] in = recruits.places.in(unit);
            for (int i = 0; i < recruits.size; i++) {
                if (!in[recruits.place[i]]) {
                    continue;
                }
                if (cohortOf[i] >= 0) {
                    tally[cohortOf[i]].randomised(recruits.sessions[i], recruits.firstSession[i] - recruits.randomised[i]);
                }
                if (profileOf[i] >= 0) {
                    tally[profileOf[i]].profile(recruits.contactAfterProfile[i] == NONE ? NONE
                            : recruits.contactAfterProfile[i] - recruits.profile[i]);
                }
                for (int q = 0; q < tally.length; q++) {
                    int on = days.caseloadOn[q];
                    if (recruits.randomised[i] <= on && (recruits.discharged[i] == NONE || recruits.discharged[i] > on)) {
                        tally[q].caseload++;
                    }
                }
            }
            boolean[] jobIn = jobs.places.in(unit);
            for (int i = 0; i < jobs.size; i++) {
                if (jobIn[jobs.place[i]] && jobOf[i] >= 0) {
                    tally[jobOf[i]].job(jobs.started[i], jobs.hours[i], jobs.ended[i], todayDay);
                }
            }
            for (int q = 0; q < tally.length; q++) {
                rows.add(row(unit, quarters.get(q), LocalDate.ofEpochDay(days.caseloadOn[q]), tally[q], fte, settings.caseloadLimitPerFte()));
            }
        }
        return new DeliveryReport(today, settings.caseloadLimitPerFte(), quarters.stream().map(FiscalQuarter::label).toList(), rows);
    }

    /** Consecutive quarters as day numbers: where each starts, and the day its caseload is counted (its last day, or today). */
    static final class Quarters {
        final int[] start;
        final int[] caseloadOn;

        Quarters(List<FiscalQuarter> quarters, LocalDate today) {
            start = new int[quarters.size() + 1];
            caseloadOn = new int[quarters.size()];
            for (int i = 0; i < quarters.size(); i++) {
                FiscalQuarter q = quarters.get(i);
                start[i] = day(q.start());
                caseloadOn[i] = day(q.end().isAfter(today) ? today : q.end());
                start[i + 1] = day(q.next().start());
            }
        }

        /** The index of the quarter of a day, or -1 (no day, or outside them all). */
        int of(int day) {
            if (day == NONE || start.length == 1 || day < start[0] || day >= start[start.length - 1]) {
                return -1;
            }
            int i = Arrays.binarySearch(start, day);
            return i >= 0 ? i : -i - 2;
        }
    }

    /** What one unit's quarter counts, added up recruit by recruit and job by job. */
    static final class Tally {
        int randomised;
        final Values sessions = new Values();
        final int[] lags = new int[LAG_BANDS.length + 1];
        int caseload;
        int profiles;
        final Values daysToContact = new Values();
        final Values hours = new Values();
        int due13;
        int lasting13;
        int due26;
        int lasting26;

        /** A recruit randomised in the quarter: their sessions, and the days to the first if any. */
        void randomised(int sessionCount, int lag) {
            randomised++;
            if (sessionCount > 0) {
                sessions.add(sessionCount);
                int band = 0;
                while (band < LAG_BANDS.length && lag > LAG_BANDS[band]) {
                    band++;
                }
                lags[band]++;
            }
        }

        /** A vocational profile started in the quarter, and the days to the first face-to-face employer contact on or after it. */
        void profile(int days) {
            profiles++;
            if (days != NONE) {
                daysToContact.add(days);
            }
        }

        void job(int started, double hoursPerWeek, int ended, int today) {
            hours.add(hoursPerWeek);
            if (started + WEEKS_13 <= today) {
                due13++;
                lasting13 += lasted(started, ended, WEEKS_13) ? 1 : 0;
            }
            if (started + WEEKS_26 <= today) {
                due26++;
                lasting26 += lasted(started, ended, WEEKS_26) ? 1 : 0;
            }
        }
    }

    /** A growing list of doubles. */
    static final class Values {
        private double[] values = new double[16];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static DeliveryRow row(Unit unit, FiscalQuarter q, LocalDate on, Tally t, List<FtePeriod> fte, int limit) {
        double[] sessions = t.sessions.toArray();
        int engaged = sessions.length;
        double[] hours = t.hours.toArray();
        BigDecimal ftes = null;
        if (unit.hasFte()) {
            ftes = fte.stream().filter(p -> unit.site().test(p.site()) && !p.start().isAfter(on) && !p.end().isBefore(on))
                    .map(FtePeriod::fte).reduce(BigDecimal::add).orElse(null);
        }
        Double perFte = ftes == null ? null : t.caseload / ftes.doubleValue();
        double[] days = t.daysToContact.toArray();
        int[] lags = t.lags;
        return new DeliveryRow(unit.level(), unit.code(), unit.name(), q.label(), q.start(), q.end(), t.randomised, engaged,
                t.randomised == 0 ? null : (double) engaged / t.randomised, (int) Arrays.stream(sessions).sum(), mean(sessions),
                median(sessions), lags[0], lags[1], lags[2], lags[3], lags[4], t.randomised - engaged, hours.length, mean(hours),
                t.due13, t.lasting13, t.due26, t.lasting26, on, t.caseload, ftes == null ? null : ftes.stripTrailingZeros(),
                perFte, perFte == null ? null : perFte > limit, t.profiles, days.length, mean(days), median(days));
    }

    /** Held for the whole span: no job end recorded, or the first one at least that many days after the start. */
    static boolean lasted(int started, int ended, int days) {
        return ended == NONE || ended >= started + days;
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
