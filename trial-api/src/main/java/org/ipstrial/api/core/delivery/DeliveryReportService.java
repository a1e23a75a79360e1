package org.ipstrial.api.core.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.core.reports.CsvTable;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads delivery for the reports and the ETL's delivery file: one row per randomised treatment
 * recruit from current records (corrections and deletions applied), never a name or an employer.
 */
public final class DeliveryReportService {
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final DeliverySettings settings;
    private final FidelityService fidelity;

    public DeliveryReportService(Jdbi jdbi, TrialContext trial, DeliverySettings settings, FidelityService fidelity) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.settings = settings;
        this.fidelity = fidelity;
    }

    /** Per treatment recruit, from current records only. */
    static final String PER_RECRUIT = """
            WITH per AS (
                SELECT r.id, r.participant_id, r.site, r.area, a.allocated_at,
                       count(d.id) FILTER (WHERE d.kind = 'session') AS sessions,
                       count(d.id) FILTER (WHERE d.kind = 'session' AND d.minutes > 15) AS sessions_over_15,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'session') AS first_session,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'vocational_profile') AS vocational_profile,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'employer_contact' AND d.face_to_face) AS first_contact,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'discharge') AS discharged_on,
                       count(d.id) FILTER (WHERE d.kind = 'job_start') AS job_starts,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'job_start') AS first_job_start,
                       (array_agg(d.hours_per_week ORDER BY d.occurred_on, d.id) FILTER (WHERE d.kind = 'job_start'))[1] AS first_job_hours
                FROM recruit r
                JOIN allocation a ON a.person_key = r.person_key AND a.arm = 'treatment'
                LEFT JOIN delivery_record d ON d.recruit_id = r.id AND d.status = 'current'
                GROUP BY r.id, a.allocated_at)
            SELECT per.*,
                   (SELECT min(e.occurred_on) FROM delivery_record e
                    WHERE e.recruit_id = per.id AND e.status = 'current' AND e.kind = 'employer_contact' AND e.face_to_face
                      AND e.occurred_on >= per.vocational_profile) AS contact_after_profile
            FROM per""";

    /** Each job start with its first job end: one pass over the job ends (a subquery per start read them all once per start). */
    static final String JOBS = """
            SELECT r.site, r.area, j.occurred_on, j.hours_per_week, e.ended_on
            FROM delivery_record j JOIN recruit r ON r.id = j.recruit_id
            LEFT JOIN (SELECT job_start_id, min(occurred_on) AS ended_on FROM delivery_record
                       WHERE kind = 'job_end' AND status = 'current' GROUP BY job_start_id) e ON e.job_start_id = j.id
            WHERE j.kind = 'job_start' AND j.status = 'current'""";

    private static LocalDate day(java.time.OffsetDateTime at) {
        return at.atZoneSameInstant(TrialContext.TRIAL_ZONE).toLocalDate();
    }

    public DeliveryReport report(TrialUser user) {
        // One snapshot for every query, so the figures agree with each other.
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> {
            List<DeliveryReport.RecruitFacts> recruits = h.createQuery(PER_RECRUIT)
                    .map((rs, ctx) -> new DeliveryReport.RecruitFacts(rs.getString("site"), rs.getString("area"),
                            day(rs.getObject("allocated_at", java.time.OffsetDateTime.class)), rs.getInt("sessions"),
                            rs.getObject("first_session", LocalDate.class), rs.getObject("vocational_profile", LocalDate.class),
                            rs.getObject("contact_after_profile", LocalDate.class), rs.getObject("discharged_on", LocalDate.class)))
                    .list().stream().filter(r -> DeliveryService.sees(user, r.site())).toList();
            List<DeliveryReport.JobFacts> jobs = h.createQuery(JOBS)
                    .map((rs, ctx) -> new DeliveryReport.JobFacts(rs.getString("site"), rs.getString("area"),
                            rs.getObject("occurred_on", LocalDate.class), rs.getBigDecimal("hours_per_week"),
                            rs.getObject("ended_on", LocalDate.class)))
                    .list().stream().filter(j -> DeliveryService.sees(user, j.site())).toList();
            List<DeliveryReport.FtePeriod> fte = h.createQuery("SELECT site, period_start, period_end, fte FROM specialist_fte")
                    .map((rs, ctx) -> new DeliveryReport.FtePeriod(rs.getString(1), rs.getObject(2, LocalDate.class),
                            rs.getObject(3, LocalDate.class), rs.getBigDecimal(4)))
                    .list().stream().filter(p -> DeliveryService.sees(user, p.site())).toList();
            var sites = trial.definition().sites().stream().filter(s -> DeliveryService.sees(user, s.code())).toList();
            return DeliveryReport.compute(recruits, jobs, fte, settings, sites, trial.today());
        });
    }

    /** Scores by item across services and rounds (a column per review, oldest round first within a service). */
    public record FidelityReport(List<Column> reviews, List<ItemRow> items) {}

    public record Column(String service, int round, LocalDate reviewedOn, boolean remoteAdjusted, int total, String band) {}

    public record ItemRow(int item, String section, String text, List<Integer> scores) {}

    public FidelityReport fidelity(TrialUser user) {
        List<DeliveryViews.Review> reviews = fidelity.reviews(user);
        List<Column> columns = reviews.stream()
                .map(r -> new Column(r.service(), r.round(), r.reviewedOn(), r.remoteAdjusted(), r.total(), r.band())).toList();
        List<ItemRow> items = new ArrayList<>();
        for (var item : settings.fidelityScale().items()) {
            items.add(new ItemRow(item.item(), item.section(), item.text(), reviews.stream()
                    .map(r -> r.items().stream().filter(s -> s.item() == item.item()).findFirst().map(DeliveryViews.ItemScored::score)
                            .orElse(null))
                    .toList()));
        }
        return new FidelityReport(columns, items);
    }

    public CsvTable fidelityCsv(FidelityReport report) {
        List<String> header = new ArrayList<>(List.of("item", "section", "text"));
        report.reviews().forEach(c -> header.add(c.service() + " round " + c.round()));
        List<List<Object>> rows = new ArrayList<>();
        for (ItemRow item : report.items()) {
            List<Object> row = new ArrayList<>(List.of(item.item(), item.section(), item.text()));
            row.addAll(item.scores());
            rows.add(row);
        }
        List<Object> total = new ArrayList<>(List.of("total", "", ""));
        report.reviews().forEach(c -> total.add(c.total()));
        rows.add(total);
        List<Object> band = new ArrayList<>(List.of("band", "", ""));
        report.reviews().forEach(c -> band.add(c.band()));
        rows.add(band);
        return new CsvTable(header, rows);
    }

    /** The ETL's delivery file: its columns exactly (docs/exports.md#delivery); erased people are gone with their records. */
    public static final List<String> EXPORT_HEADER = List.of("participant_id", "sessions", "sessions_over_15_minutes",
            "first_session_date", "engaged", "vocational_profile_date", "first_employer_contact_date", "job_starts",
            "first_job_start_date", "first_job_hours_per_week");

    public void writeExport(TrialUser user, OutputStream out) {
        int rows = jdbi.withHandle(h -> {
            CSVFormat format = CSVFormat.RFC4180.builder().setRecordSeparator("\n").setHeader(EXPORT_HEADER.toArray(String[]::new)).get();
            try (CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), format);
                    var stream = h.createQuery(PER_RECRUIT + " ORDER BY participant_id").mapToMap().stream()) {
                int n = 0;
                for (Map<String, Object> r : (Iterable<Map<String, Object>>) stream::iterator) {
                    long sessions = ((Number) r.get("sessions")).longValue();
                    java.math.BigDecimal hours = (java.math.BigDecimal) r.get("first_job_hours");
                    csv.printRecord(r.get("participant_id"), sessions, ((Number) r.get("sessions_over_15")).longValue(),
                            blank(r.get("first_session")), sessions > 0, blank(r.get("vocational_profile")), blank(r.get("first_contact")),
                            ((Number) r.get("job_starts")).longValue(), blank(r.get("first_job_start")),
                            hours == null ? "" : hours.stripTrailingZeros().toPlainString());
                    n++;
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        jdbi.useTransaction(h -> AuditLog.append(h, trial.clock().instant(), user.username(), "export_delivery", "export", Map.of("rows", rows)));
    }

    private static Object blank(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof java.sql.Date d ? d.toLocalDate().toString() : value.toString();
    }
}
