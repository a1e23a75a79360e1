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
import org.ipstrial.api.core.reports.ReportCache;
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
    private final ReportCache cache = new ReportCache();

    public DeliveryReportService(Jdbi jdbi, TrialContext trial, DeliverySettings settings, FidelityService fidelity) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.settings = settings;
        this.fidelity = fidelity;
    }

    /**
     * Per treatment recruit, from current records only: delivery_summary, which the database keeps
     * from the records (the view delivery_summary_fresh defines each figure; release-0.4.1), so
     * that the ETL's file reads one row per recruit instead of every session.
     */
    static final String PER_RECRUIT = """
            SELECT r.id, r.participant_id, r.site, r.area, a.allocated_at,
                   coalesce(s.sessions, 0) AS sessions, coalesce(s.sessions_over_15, 0) AS sessions_over_15, s.first_session,
                   s.vocational_profile, s.first_contact, s.contact_after_profile, s.discharged_on,
                   coalesce(s.job_starts, 0) AS job_starts, s.first_job_start, s.first_job_hours
            FROM recruit r
            JOIN allocation a ON a.person_key = r.person_key AND a.arm = 'treatment'
            LEFT JOIN delivery_summary s ON s.recruit_id = r.id""";

    /**
     * The report's figures per treatment recruit: treatment_recruit (site, area, day of randomisation,
     * kept by the database at randomisation; release-0.7.0) with delivery_summary, dates as days
     * since 1970-01-01, so that the first report after a change reads two narrow tables and builds
     * no object per recruit (docs/benchmarks.md).
     */
    static final String REPORT_RECRUITS = """
            SELECT t.site, t.area, t.randomised_on - DATE '1970-01-01', coalesce(s.sessions, 0),
                   s.first_session - DATE '1970-01-01', s.vocational_profile - DATE '1970-01-01',
                   s.contact_after_profile - DATE '1970-01-01', s.discharged_on - DATE '1970-01-01'
            FROM treatment_recruit t LEFT JOIN delivery_summary s ON s.recruit_id = t.recruit_id""";

    /**
     * Each job start with its first job end: one pass over the job ends (a subquery per start read
     * them all once per start). A recruit's record carries the recruit's site and area, as written
     * by DeliveryService, so the recruits are not read again.
     */
    static final String JOBS = """
            SELECT j.site, j.area, j.occurred_on - DATE '1970-01-01', j.hours_per_week, e.ended_on - DATE '1970-01-01'
            FROM delivery_record j
            LEFT JOIN (SELECT job_start_id, min(occurred_on) AS ended_on FROM delivery_record
                       WHERE kind = 'job_end' AND status = 'current' GROUP BY job_start_id) e ON e.job_start_id = j.id
            WHERE j.kind = 'job_start' AND j.status = 'current'""";

    /** An integer column, or DeliveryReport.NONE where it is null (a date not recorded). */
    private static int day(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        int day = rs.getInt(column);
        return rs.wasNull() ? DeliveryReport.NONE : day;
    }

    /**
     * What the delivery report also depends on, beyond the recruitment tables of ReportCache: every
     * service write to delivery adds a record or a change (a correction or deletion retires a record
     * by adding its delivery_change), and FTE periods are only added. The highest ids (index look-ups)
     * therefore move with every such write. A change made by hand in the database outside the
     * service shows after the next write or a restart, as for the other reports.
     */
    static final String STAMP = """
            SELECT coalesce((SELECT max(id) FROM delivery_record), 0) || '/' || coalesce((SELECT max(id) FROM delivery_change), 0)
                || '/' || coalesce((SELECT max(id) FROM specialist_fte), 0)""";

    public DeliveryReport report(TrialUser user) {
        // One snapshot for every query, so the figures agree with each other; kept while nothing behind them changed.
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> {
            String stamp = ReportCache.stamp(h) + "/" + h.createQuery(STAMP).mapTo(String.class).one() + "/" + trial.today();
            return cache.get("delivery/" + user.role() + "/" + user.site().orElse("*"), stamp, () -> compute(h, user));
        });
    }

    /**
     * Computes the report as a manager of every site reads it (the usual reader), so that the first
     * call after the service starts finds it kept: see {@link org.ipstrial.api.core.reports.ReportWarmUp}.
     */
    public void warmUp() {
        report(new TrialUser(0, "warm-up", org.ipstrial.api.auth.Role.manager, java.util.Optional.empty()));
    }

    private DeliveryReport compute(org.jdbi.v3.core.Handle h, TrialUser user) {
        DeliveryReport.Recruits recruits = h.createQuery(REPORT_RECRUITS).scanResultSet((rows, ctx) -> {
            DeliveryReport.Recruits columns = new DeliveryReport.Recruits();
            java.sql.ResultSet rs = rows.get();
            while (rs.next()) {
                String site = rs.getString(1);
                if (DeliveryService.sees(user, site)) {
                    columns.add(site, rs.getString(2), rs.getInt(3), rs.getInt(4), day(rs, 5), day(rs, 6), day(rs, 7), day(rs, 8));
                }
            }
            return columns;
        });
        DeliveryReport.Jobs jobs = h.createQuery(JOBS).scanResultSet((rows, ctx) -> {
            DeliveryReport.Jobs columns = new DeliveryReport.Jobs();
            java.sql.ResultSet rs = rows.get();
            while (rs.next()) {
                String site = rs.getString(1);
                if (DeliveryService.sees(user, site)) {
                    columns.add(site, rs.getString(2), rs.getInt(3), rs.getDouble(4), day(rs, 5));
                }
            }
            return columns;
        });
        List<DeliveryReport.FtePeriod> fte = h.createQuery("SELECT site, period_start, period_end, fte FROM specialist_fte")
                .map((rs, ctx) -> new DeliveryReport.FtePeriod(rs.getString(1), rs.getObject(2, LocalDate.class),
                        rs.getObject(3, LocalDate.class), rs.getBigDecimal(4)))
                .list().stream().filter(p -> DeliveryService.sees(user, p.site())).toList();
        var sites = trial.definition().sites().stream().filter(s -> DeliveryService.sees(user, s.code())).toList();
        return DeliveryReport.compute(recruits, jobs, fte, settings, sites, trial.today());
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
