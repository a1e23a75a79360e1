package org.ipstrial.api.core.delivery;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.core.errors.FieldChecks;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * What the treatment group receives after randomisation: delivery records (written by the
 * specialists of the recruit's site, corrected or deleted by a manager with a reason, never
 * overwritten), general employer contacts, specialists' FTE, and the caseload. Every write is one
 * statement with its audit event ({@link AuditLog#APPEND_CTES}); a recruit's writes are serialised
 * by the recruit row, as the first appointment's are.
 */
public final class DeliveryService {
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final DeliverySettings settings;

    public DeliveryService(Jdbi jdbi, TrialContext trial, DeliverySettings settings) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.settings = settings;
    }

    public DeliverySettings settings() {
        return settings;
    }

    public TrialContext trial() {
        return trial;
    }

    /** Whether a user sees a site's delivery: specialists their own, managers theirs (all when not bound to one). */
    public static boolean sees(TrialUser user, String site) {
        return switch (user.role()) {
            case specialist -> user.site().map(site::equals).orElse(false);
            case manager -> user.site().map(site::equals).orElse(true);
            default -> false;
        };
    }

    /** A randomised recruit as delivery needs it, its row locked or not. */
    record Target(UUID id, UUID personKey, String participantId, String site, String area, String arm, LocalDate randomisedOn) {}

    private static final String TARGET = """
            SELECT r.id, r.person_key, r.participant_id, r.site, r.area, a.arm, a.allocated_at
            FROM recruit r LEFT JOIN allocation a ON a.person_key = r.person_key
            WHERE\s""";

    private static Target target(ResultSet rs) throws SQLException {
        var at = rs.getObject("allocated_at", java.time.OffsetDateTime.class);
        return new Target(rs.getObject("id", UUID.class), rs.getObject("person_key", UUID.class), rs.getString("participant_id"),
                rs.getString("site"), rs.getString("area"), rs.getString("arm"),
                at == null ? null : at.atZoneSameInstant(TrialContext.TRIAL_ZONE).toLocalDate());
    }

    /** The recruit, if the user sees its site (404 otherwise, as for the first appointment); the row locked when asked. */
    private Target find(Handle h, TrialUser user, String participantId, boolean lock) {
        if (participantId == null || !ParticipantId.isValid(participantId)) {
            throw new NotFound("recruit_not_found", "There is no recruit with this participant identifier: check its 8 digits.");
        }
        String id = ParticipantId.parse(participantId).orElseThrow().digits();
        return h.createQuery(TARGET + "r.participant_id = :pid" + (lock ? " FOR UPDATE OF r" : "")).bind("pid", id)
                .map((rs, ctx) -> target(rs)).findOne()
                .filter(t -> sees(user, t.site()))
                .orElseThrow(() -> new NotFound("recruit_not_found", "There is no recruit with this participant identifier at your site."));
    }

    /** Delivery is recorded for randomised treatment recruits only: a 422 naming the reason otherwise. */
    private static void requireTreatment(Target t) {
        if (t.arm() == null) {
            throw new InvalidRequest("not_randomised", "Delivery is recorded after randomisation, for the treatment group only.",
                    List.of(new FieldError("participantId", "is not randomised yet: randomise the recruit first")));
        }
        if (!t.arm().equals("treatment")) {
            throw new InvalidRequest("control_group", "This recruit is in the control group, which receives business as usual: "
                    + "the service records no delivery for it.",
                    List.of(new FieldError("participantId", "is in the control group (business as usual): no delivery records are kept")));
        }
    }

    /** The checks that need the recruit: dates on or after randomisation, a job end's job start. */
    private void checkAgainstRecruit(Handle h, Target t, DeliveryCheck.Entry e, String prefix, List<FieldError> errors) {
        if (e.date() != null && e.date().isBefore(t.randomisedOn())) {
            errors.add(new FieldError(prefix + "date", "is before the recruit was randomised (" + t.randomisedOn() + ")"));
        }
        if (e.jobStartId() != null) {
            Optional<LocalDate> started = h.createQuery("""
                    SELECT occurred_on FROM delivery_record
                    WHERE id = :id AND recruit_id = :recruit AND kind = 'job_start' AND status = 'current'""")
                    .bind("id", e.jobStartId()).bind("recruit", t.id()).mapTo(LocalDate.class).findOne();
            if (started.isEmpty()) {
                errors.add(new FieldError(prefix + "jobStartId", "is not a current job start of this recruit"));
            } else if (e.date() != null && e.date().isBefore(started.get())) {
                errors.add(new FieldError(prefix + "date", "is before the job started (" + started.get() + ")"));
            }
        }
    }

    private static final String COLUMNS = "recruit_id, site, area, kind, occurred_on, mode, minutes, face_to_face, job_type, "
            + "hours_per_week, at_least_minimum_wage, permanent, employer_name, job_start_id, note, replaces_id, recorded_by, recorded_at";
    /** The values of an entry, typed (the same fragment serves VALUES and INSERT ... SELECT). */
    private static final String VALUES = "CAST(:kind AS text), CAST(:date AS date), CAST(:mode AS text), CAST(:minutes AS integer), "
            + "CAST(:faceToFace AS boolean), CAST(:jobType AS text), CAST(:hours AS numeric), CAST(:minimumWage AS boolean), "
            + "CAST(:permanent AS boolean), CAST(:employer AS text), CAST(:jobStartId AS bigint), CAST(:note AS text)";

    private static Query bindEntry(Query q, DeliveryCheck.Entry e) {
        return q.bind("kind", e.kind()).bind("date", e.date()).bind("mode", e.mode()).bind("minutes", e.minutes())
                .bind("faceToFace", e.faceToFace()).bind("jobType", e.jobType()).bind("hours", e.hoursPerWeek())
                .bind("minimumWage", e.atLeastMinimumWage()).bind("permanent", e.permanent()).bind("employer", e.employerName())
                .bind("jobStartId", e.jobStartId()).bind("note", e.note());
    }

    private static Map<String, Object> details(DeliveryCheck.Entry e) {
        return Map.of("kind", e.kind(), "date", e.date().toString());
    }

    /** A specialist of the recruit's site records something delivered. */
    public DeliveryViews.DeliveryRecorded record(TrialUser user, String participantId, DeliveryRequests.DeliveryRecord request) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate today = trial.today();
        DeliveryCheck.Entry entry = DeliveryCheck.check(request, "", today, errors);
        Instant now = trial.clock().instant();
        long id = jdbi.inTransaction(h -> {
            Target t = find(h, user, participantId, true);
            requireTreatment(t);
            if (entry != null) {
                checkAgainstRecruit(h, t, entry, "", errors);
            }
            if (!errors.isEmpty()) {
                throw InvalidRequest.fields(errors);
            }
            AuditLog.Event event = AuditLog.event(now, user.username(), "delivery_recorded", t.personKey().toString(), details(entry));
            Query q = h.createQuery("WITH change AS (INSERT INTO delivery_record (" + COLUMNS + ") VALUES (CAST(:recruit AS uuid), "
                    + ":site, :area, " + VALUES + ", NULL, :by, :at) RETURNING id), " + AuditLog.APPEND_CTES
                    + " SELECT (SELECT id FROM change) FROM audit_row");
            return AuditLog.bind(bindEntry(q, entry), event).bind("recruit", t.id()).bind("site", t.site()).bind("area", t.area())
                    .bind("by", user.id()).bind("at", now).mapTo(Long.class).one();
        });
        return recorded(id);
    }

    /** An employer contact for no one client, at the specialist's own site. */
    public DeliveryViews.DeliveryRecorded recordGeneralContact(TrialUser user, DeliveryRequests.GeneralEmployerContact request) {
        if (user.site().isEmpty()) {
            throw InvalidRequest.field("site", "you have no site: ask the administrator to assign one");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        LocalDate date = FieldChecks.date(request.date(), "date", trial.today(), errors);
        if (request.faceToFace() == null) {
            errors.add(new FieldError("faceToFace", "is required: face to face (true) or not (false)"));
        }
        String note = DeliveryCheck.text(request.note(), "note", 1000, false, errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        var entry = new DeliveryCheck.Entry("employer_contact", date, null, null, request.faceToFace(), null, null, null, null, null,
                null, note);
        Instant now = trial.clock().instant();
        String site = user.site().get();
        long id = jdbi.inTransaction(h -> {
            AuditLog.Event event = AuditLog.event(now, user.username(), "employer_contact_recorded", "delivery-site:" + site, details(entry));
            Query q = h.createQuery("WITH change AS (INSERT INTO delivery_record (" + COLUMNS + ") VALUES (NULL, :site, NULL, "
                    + VALUES + ", NULL, :by, :at) RETURNING id), " + AuditLog.APPEND_CTES + " SELECT (SELECT id FROM change) FROM audit_row");
            return AuditLog.bind(bindEntry(q, entry), event).bind("site", site).bind("by", user.id()).bind("at", now)
                    .mapTo(Long.class).one();
        });
        return recorded(id);
    }

    /** A stored record with the recruit it names (null for a general contact). */
    private record Stored(long id, UUID recruitId, String site, String kind, String status) {}

    private Stored stored(Handle h, TrialUser user, long recordId) {
        return h.createQuery("SELECT id, recruit_id, site, kind, status FROM delivery_record WHERE id = :id")
                .bind("id", recordId)
                .map((rs, ctx) -> new Stored(rs.getLong("id"), rs.getObject("recruit_id", UUID.class), rs.getString("site"),
                        rs.getString("kind"), rs.getString("status")))
                .findOne().filter(s -> sees(user, s.site()))
                .orElseThrow(() -> new NotFound("delivery_record_not_found", "There is no delivery record with this id at your sites."));
    }

    private Optional<Target> lockRecruit(Handle h, UUID recruitId) {
        if (recruitId == null) {
            return Optional.empty();
        }
        return h.createQuery(TARGET + "r.id = :id FOR UPDATE OF r").bind("id", recruitId).map((rs, ctx) -> target(rs)).findOne();
    }

    private static String reason(String text, List<FieldError> errors) {
        return DeliveryCheck.text(text, "reason", 1000, true, errors);
    }

    /** A manager's correction: the record is retired (kept, status corrected) and its replacement stored, in one statement. */
    public DeliveryViews.DeliveryRecorded correct(TrialUser user, long recordId, DeliveryRequests.DeliveryCorrection request) {
        if (request == null) {
            throw InvalidRequest.field("reason", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String reason = reason(request.reason(), errors);
        DeliveryCheck.Entry entry = DeliveryCheck.check(request.record(), "record.", trial.today(), errors);
        Instant now = trial.clock().instant();
        long id = jdbi.inTransaction(h -> {
            Stored old = stored(h, user, recordId);
            Optional<Target> t = lockRecruit(h, old.recruitId());
            if (entry != null && !entry.kind().equals(old.kind())) {
                errors.add(new FieldError("record.kind", "must stay " + old.kind() + ": delete this record and record the right one instead"));
            }
            if (entry != null && t.isPresent()) {
                checkAgainstRecruit(h, t.get(), entry, "record.", errors);
            }
            if (!errors.isEmpty()) {
                throw InvalidRequest.fields(errors);
            }
            requireCurrent(old);
            String subject = t.map(x -> x.personKey().toString()).orElse("delivery-site:" + old.site());
            AuditLog.Event event = AuditLog.event(now, user.username(), "delivery_corrected", subject,
                    Map.of("kind", entry.kind(), "date", entry.date().toString(), "record", recordId));
            Query q = h.createQuery("""
                    WITH old AS (UPDATE delivery_record SET status = 'corrected' WHERE id = :old AND status = 'current'
                                 RETURNING id, recruit_id, site, area),
                    new AS (INSERT INTO delivery_record (%s)
                            SELECT old.recruit_id, old.site, old.area, %s, old.id, :by, :at FROM old RETURNING id),
                    relinked AS (UPDATE delivery_record SET job_start_id = (SELECT id FROM new)
                                 WHERE job_start_id = :old AND status = 'current' AND EXISTS (SELECT 1 FROM new)),
                    logged AS (INSERT INTO delivery_change (record_id, kind, replaced_by, reason, recorded_by, recorded_at)
                               SELECT :old, 'corrected', new.id, :reason, :by, :at FROM new),
                    """.formatted(COLUMNS, VALUES) + AuditLog.APPEND_CTES + " SELECT (SELECT id FROM new) FROM audit_row");
            return AuditLog.bind(bindEntry(q, entry), event).bind("old", recordId).bind("reason", reason).bind("by", user.id())
                    .bind("at", now).mapTo(Long.class).one();
        });
        return recorded(id);
    }

    /** A manager's deletion: the record is retired (kept, status deleted), with the reason. */
    public DeliveryViews.DeliveryRecorded delete(TrialUser user, long recordId, DeliveryRequests.DeliveryDeletion request) {
        List<FieldError> errors = new ArrayList<>();
        String reason = reason(request == null ? null : request.reason(), errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        jdbi.useTransaction(h -> {
            Stored old = stored(h, user, recordId);
            Optional<Target> t = lockRecruit(h, old.recruitId());
            requireCurrent(old);
            boolean hasEnds = h.createQuery("SELECT EXISTS (SELECT 1 FROM delivery_record WHERE job_start_id = :id AND status = 'current')")
                    .bind("id", recordId).mapTo(Boolean.class).one();
            if (hasEnds) {
                throw new Conflict("has_linked_records", "A job end or in-work support belongs to this job start: delete or correct it first.");
            }
            String subject = t.map(x -> x.personKey().toString()).orElse("delivery-site:" + old.site());
            AuditLog.Event event = AuditLog.event(now, user.username(), "delivery_deleted", subject,
                    Map.of("kind", old.kind(), "record", recordId));
            AuditLog.bind(h.createQuery("""
                    WITH old AS (UPDATE delivery_record SET status = 'deleted' WHERE id = :old AND status = 'current' RETURNING id),
                    logged AS (INSERT INTO delivery_change (record_id, kind, replaced_by, reason, recorded_by, recorded_at)
                               SELECT id, 'deleted', NULL, :reason, :by, :at FROM old),
                    """ + AuditLog.APPEND_CTES + " SELECT seq FROM audit_row"), event)
                    .bind("old", recordId).bind("reason", reason).bind("by", user.id()).bind("at", now).mapTo(Long.class).one();
        });
        return recorded(recordId);
    }

    private static void requireCurrent(Stored old) {
        if (!old.status().equals("current")) {
            throw new Conflict("already_changed", "This record was already " + old.status() + ": correct or delete its current version.");
        }
    }

    private static final String RECORDED = """
            SELECT id, kind, occurred_on, mode, minutes, face_to_face, job_type, hours_per_week, at_least_minimum_wage, permanent,
                   employer_name, job_start_id, note, status, replaces_id, recorded_at
            FROM delivery_record""";

    private static DeliveryViews.DeliveryRecorded recorded(ResultSet rs) throws SQLException {
        return new DeliveryViews.DeliveryRecorded(rs.getLong("id"), rs.getString("kind"), rs.getObject("occurred_on", LocalDate.class),
                rs.getString("mode"), (Integer) rs.getObject("minutes"), (Boolean) rs.getObject("face_to_face"), rs.getString("job_type"),
                rs.getBigDecimal("hours_per_week") == null ? null : rs.getBigDecimal("hours_per_week").stripTrailingZeros(),
                (Boolean) rs.getObject("at_least_minimum_wage"), (Boolean) rs.getObject("permanent"), rs.getString("employer_name"),
                (Long) rs.getObject("job_start_id"), rs.getString("note"), rs.getString("status"), (Long) rs.getObject("replaces_id"),
                rs.getObject("recorded_at", java.time.OffsetDateTime.class).toInstant());
    }

    private DeliveryViews.DeliveryRecorded recorded(long id) {
        return jdbi.withHandle(h -> h.createQuery(RECORDED + " WHERE id = :id").bind("id", id).map((rs, ctx) -> recorded(rs)).one());
    }

    /** A treatment recruit's records, current and retired. */
    public DeliveryViews.RecruitDelivery recruitDelivery(TrialUser user, String participantId) {
        return jdbi.inTransaction(h -> {
            Target t = find(h, user, participantId, false);
            requireTreatment(t);
            List<DeliveryViews.DeliveryRecorded> all = h.createQuery(RECORDED + " WHERE recruit_id = :id ORDER BY occurred_on DESC, id DESC")
                    .bind("id", t.id()).map((rs, ctx) -> recorded(rs)).list();
            return new DeliveryViews.RecruitDelivery(t.participantId(), t.randomisedOn(),
                    all.stream().filter(r -> r.status().equals("current")).toList(),
                    all.stream().filter(r -> !r.status().equals("current")).toList());
        });
    }

    /** Specialists' FTE at a site over a period; periods of a site never overlap. */
    public DeliveryViews.FtePeriod recordFte(TrialUser user, DeliveryRequests.SpecialistFte request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate far = trial.today().plusYears(2);
        if (request.site() == null || trial.definition().site(request.site()).isEmpty()) {
            errors.add(new FieldError("site", "must be one of " + trial.definition().sites().stream().map(s -> s.code()).toList()));
        } else if (!sees(user, request.site())) {
            errors.add(new FieldError("site", "is not one of your sites"));
        }
        LocalDate start = FieldChecks.date(request.periodStart(), "periodStart", far, errors);
        LocalDate end = FieldChecks.date(request.periodEnd(), "periodEnd", far, errors);
        if (start != null && end != null && end.isBefore(start)) {
            errors.add(new FieldError("periodEnd", "is before periodStart"));
        }
        BigDecimal fte = request.fte();
        if (fte == null || fte.signum() <= 0 || fte.compareTo(new BigDecimal(1000)) > 0) {
            errors.add(new FieldError("fte", "must be more than 0 and at most 1000 full-time equivalents"));
        } else if (fte.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("fte", "takes at most two decimals"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        long id = jdbi.inTransaction(h -> {
            // One writer per site at a time, so two overlapping periods cannot both pass the check.
            h.createQuery("SELECT pg_advisory_xact_lock(hashtext('specialist_fte:' || :site))").bind("site", request.site())
                    .mapTo(String.class).one();
            Optional<String> overlap = h.createQuery("""
                    SELECT period_start || ' to ' || period_end FROM specialist_fte
                    WHERE site = :site AND period_start <= :end AND period_end >= :start LIMIT 1""")
                    .bind("site", request.site()).bind("start", start).bind("end", end).mapTo(String.class).findOne();
            if (overlap.isPresent()) {
                throw InvalidRequest.field("periodStart", "overlaps the period " + overlap.get() + " already recorded for site " + request.site());
            }
            AuditLog.Event event = AuditLog.event(now, user.username(), "specialist_fte_recorded", "staffing:" + request.site(),
                    Map.of("periodStart", start.toString(), "periodEnd", end.toString(), "fte", fte.toPlainString()));
            return AuditLog.bind(h.createQuery("""
                    WITH change AS (INSERT INTO specialist_fte (site, period_start, period_end, fte, recorded_by, recorded_at)
                                    VALUES (:site, :start, :end, :fte, :by, :at) RETURNING id),
                    """ + AuditLog.APPEND_CTES + " SELECT (SELECT id FROM change) FROM audit_row"), event)
                    .bind("site", request.site()).bind("start", start).bind("end", end).bind("fte", fte).bind("by", user.id())
                    .bind("at", now).mapTo(Long.class).one();
        });
        return new DeliveryViews.FtePeriod(id, request.site(), start, end, fte.stripTrailingZeros());
    }

    public List<DeliveryViews.FtePeriod> ftePeriods(TrialUser user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, site, period_start, period_end, fte FROM specialist_fte ORDER BY site, period_start")
                .map((rs, ctx) -> new DeliveryViews.FtePeriod(rs.getLong("id"), rs.getString("site"),
                        rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class),
                        rs.getBigDecimal("fte").stripTrailingZeros()))
                .list()).stream().filter(p -> sees(user, p.site())).toList();
    }

    /**
     * The caseload: a specialist's own treatment recruits (those they recruited), or every treatment
     * recruit of a manager's sites, each with the last contact and the next step.
     */
    public DeliveryViews.Caseload caseload(TrialUser user) {
        LocalDate today = trial.today();
        List<DeliveryViews.CaseloadEntry> entries = jdbi.withHandle(h -> h.createQuery("""
                SELECT r.participant_id, i.given_name, i.family_name, r.site, r.area, a.allocated_at, r.created_by,
                       count(d.id) FILTER (WHERE d.kind = 'session') AS sessions,
                       max(d.occurred_on) FILTER (WHERE d.kind IN ('session', 'in_work_support')) AS last_contact,
                       min(d.occurred_on) FILTER (WHERE d.kind = 'vocational_profile') AS vocational_profile,
                       count(d.id) FILTER (WHERE d.kind = 'employer_contact') AS employer_contacts,
                       count(d.id) FILTER (WHERE d.kind = 'job_start') AS job_starts,
                       count(d.id) FILTER (WHERE d.kind = 'job_end') AS job_ends,
                       count(d.id) FILTER (WHERE d.kind = 'in_work_support') AS in_work_support,
                       bool_or(d.kind = 'discharge') AS discharged
                FROM recruit r
                JOIN allocation a ON a.person_key = r.person_key AND a.arm = 'treatment'
                LEFT JOIN identity i ON i.recruit_id = r.id
                LEFT JOIN delivery_record d ON d.recruit_id = r.id AND d.status = 'current'
                WHERE (CAST(:createdBy AS bigint) IS NULL OR r.created_by = :createdBy)
                GROUP BY r.id, i.given_name, i.family_name, a.allocated_at
                ORDER BY a.allocated_at DESC""")
                .bind("createdBy", user.role() == Role.specialist ? (Long) user.id() : null)
                .map((rs, ctx) -> {
                    String site = rs.getString("site");
                    if (!sees(user, site)) {
                        return null;
                    }
                    LocalDate randomisedOn = rs.getObject("allocated_at", java.time.OffsetDateTime.class)
                            .atZoneSameInstant(TrialContext.TRIAL_ZONE).toLocalDate();
                    int sessions = rs.getInt("sessions");
                    LocalDate last = rs.getObject("last_contact", LocalDate.class);
                    LocalDate profile = rs.getObject("vocational_profile", LocalDate.class);
                    int contacts = rs.getInt("employer_contacts");
                    int starts = rs.getInt("job_starts");
                    boolean inWork = starts > rs.getInt("job_ends");
                    boolean discharged = Boolean.TRUE.equals(rs.getObject("discharged"));
                    List<String> missing = new ArrayList<>();
                    String next;
                    if (discharged) {
                        next = "discharged: nothing more to record";
                    } else if (sessions == 0) {
                        next = "first meeting: book it (randomised " + ChronoUnit.DAYS.between(randomisedOn, today) + " days ago)";
                        missing.add("no session recorded yet");
                    } else if (profile == null) {
                        next = "start the vocational profile";
                        missing.add("no vocational profile recorded");
                    } else if (starts == 0) {
                        next = contacts == 0 ? "job search: a first employer contact for this client" : "job search: keep up employer contacts";
                        if (contacts == 0) {
                            missing.add("no employer contact recorded for this client");
                        }
                    } else if (inWork) {
                        next = "in-work support";
                        if (rs.getInt("in_work_support") == 0) {
                            missing.add("no in-work support recorded");
                        }
                    } else {
                        next = "job search after a job ended";
                    }
                    String name = rs.getString("given_name") == null ? null : rs.getString("given_name") + " " + rs.getString("family_name");
                    return new DeliveryViews.CaseloadEntry(rs.getString("participant_id"), name, site, rs.getString("area"),
                            settings.serviceOfArea(rs.getString("area")).code(), randomisedOn, sessions, last, profile, starts, inWork,
                            discharged, next, List.copyOf(missing));
                }).list()).stream().filter(java.util.Objects::nonNull).toList();
        return new DeliveryViews.Caseload(today, entries);
    }
}
