package org.ipstrial.api.core.recruitment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.api.api.AuditTrailViews;
import org.ipstrial.api.api.AuditTrailViews.Change;
import org.ipstrial.api.api.AuditTrailViews.ChainStatus;
import org.ipstrial.api.api.AuditTrailViews.Filters;
import org.ipstrial.api.api.AuditTrailViews.RecruitTrail;
import org.ipstrial.api.api.AuditTrailViews.TrailEvent;
import org.ipstrial.api.api.AuditTrailViews.BrokenChain;
import org.ipstrial.api.api.AuditTrailViews.RecruitEvent;
import org.ipstrial.api.api.AuditTrailViews.TrialFilters;
import org.ipstrial.api.api.AuditTrailViews.TrialTrail;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.SubjectChainCheck;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A recruit's audit trail: every event of the recruit's chain, in words, with the values before and
 * after where the events and the records they point at hold them, the reason recorded with it, and
 * the recruit's chain verified at the request (docs/audit-trail.md).
 *
 * <p>Who sees what: a manager sees the recruits of their site (every site when bound to none), with
 * names and free-text reasons as the manager's other pages show them, but not an allocation's
 * sequence number in its stratum (with the arms of earlier recruits it would help guess the next);
 * the statistician sees every recruit, the sequence numbers, and no identifier or free-text reason
 * (masked). National Insurance and NHS numbers, dates of birth and postcodes are masked for both:
 * only the custodian's exports carry them. Events never hold identifiers, so nothing here is read
 * from an event that a role may not see, except the sequence number.
 */
public final class AuditTrailService {
    /** The actions a recruit's chain holds: the action filter's values. */
    public static final Set<String> ACTIONS = Set.of("recruit_created", "screened", "agreement_taken", "agreement_declined",
            "identity_recorded", "baseline_recorded", "randomised", "withdrawn_service", "withdrawn_research", "deceased",
            "identity_corrected", "flagged", "delivery_recorded", "delivery_corrected", "delivery_deleted",
            "followup_attempt", "followup_done");
    static final String NOT_KEPT = "(not kept)";
    private static final Set<String> NAME_FIELDS = Set.of("givenName", "familyName");
    private static final Set<String> IDENTITY_WRITES = Set.of("identity_recorded", "identity_corrected");
    private static final List<String> DELIVERY_FIELDS = List.of("occurred_on", "mode", "minutes", "face_to_face", "job_type",
            "hours_per_week", "at_least_minimum_wage", "permanent", "employer_name", "job_start_id", "note");
    /** Delivery fields that are free text (an employer's name, a note): masked for the statistician. */
    private static final Set<String> DELIVERY_FREE_TEXT = Set.of("employer_name", "note");
    private static final TypeReference<LinkedHashMap<String, Object>> DETAILS = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final TrialContext trial;

    public AuditTrailService(Jdbi jdbi, TrialContext trial) {
        this.jdbi = jdbi;
        this.trial = trial;
    }

    /** The filters of a request, checked: 422 naming each parameter at fault. */
    public static Filters filters(String user, String action, String from, String to) {
        List<FieldError> errors = new ArrayList<>();
        Filters filters = filters(user, action, from, to, errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return filters;
    }

    private static Filters filters(String user, String action, String from, String to, List<FieldError> errors) {
        String u = user == null || user.isBlank() ? null : user.strip();
        if (u != null && (u.length() > 100 || u.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("user", "must be a username (up to 100 characters, no control characters)"));
        }
        String a = action == null || action.isBlank() ? null : action.strip();
        if (a != null && !ACTIONS.contains(a)) {
            errors.add(new FieldError("action", "must be one of " + new TreeSet<>(ACTIONS)));
        }
        LocalDate f = date(from, "from", errors);
        LocalDate t = date(to, "to", errors);
        if (f != null && t != null && t.isBefore(f)) {
            errors.add(new FieldError("to", "is before from"));
        }
        return new Filters(u, a, f, t);
    }

    /**
     * The trial-wide trail's filters and page, checked together: the site must be one of the
     * trial's, and the manager's own when bound to one; {@code limit} 1 to {@code maxLimit}.
     */
    public TrialFilters trialFilters(TrialUser viewer, String site, String user, String action, String from, String to, String before,
            String limit, int defaultLimit, int maxLimit) {
        List<FieldError> errors = new ArrayList<>();
        Filters filters = filters(user, action, from, to, errors);
        String s = site == null || site.isBlank() ? null : site.strip();
        if (s != null && trial.definition().site(s).isEmpty()) {
            errors.add(new FieldError("site", "must be one of " + trial.definition().sites().stream().map(TrialDefinition.Site::code).toList()));
        } else if (s != null && viewer.role() == Role.manager && viewer.site().filter(own -> !own.equals(s)).isPresent()) {
            errors.add(new FieldError("site", "you see site " + viewer.site().get() + " only"));
        }
        Long b = number(before, "before", 1, Long.MAX_VALUE, errors);
        Long l = number(limit, "limit", 1, maxLimit, errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return new TrialFilters(s, filters.user(), filters.action(), filters.from(), filters.to(), b, l == null ? defaultLimit : l.intValue());
    }

    private static Long number(String text, String field, long min, long max, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        errors.add(new FieldError(field, "must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max)));
        return null;
    }

    private static LocalDate date(String text, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date as YYYY-MM-DD"));
            return null;
        }
    }

    /** The trail of one recruit this user may see (404 otherwise, as for the recruit itself). */
    public RecruitTrail trail(TrialUser user, String participantId, Filters filters) {
        Objects.requireNonNull(filters, "filters");
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            RecruitRow recruit = visible(h, user, participantId);
            boolean masked = user.role() != Role.manager;
            ChainStatus chain = chainStatus(h, recruit);
            List<TrailEvent> events = describe(h, recruit, user);
            List<TrailEvent> shown = events.stream().filter(e -> matches(e, filters)).toList();
            String name = h.createQuery("SELECT given_name || ' ' || family_name FROM identity WHERE recruit_id = :id")
                    .bind("id", recruit.id()).mapTo(String.class).findOne().orElse(null);
            return new RecruitTrail(recruit.participantId(), recruit.site(), name == null ? null : masked ? AuditTrailViews.MASKED : name,
                    masked, chain, filters, events.size(), shown);
        });
    }

    private ChainStatus chainStatus(Handle h, RecruitRow recruit) {
        SubjectChainCheck.Result check = SubjectChainCheck.verify(h, recruit.personKey().toString());
        return new ChainStatus(check.intact() ? "ok" : "broken", trial.clock().instant(), check.events(),
                check.sealedThroughPosition(), check.checkpoint(), check.unsealedEvents(), check.brokenAtSequence(),
                check.brokenAtPosition(), check.problem());
    }

    private List<TrailEvent> describe(Handle h, RecruitRow recruit, TrialUser user) {
        return new Describer(h, recruit, user.role() != Role.manager, user.role() == Role.statistician).describe(recruit.personKey().toString());
    }

    /**
     * Every recruit's changes at the sites this user sees, newest first, one page (a recruit's
     * subject is its person key, in every scheme; compared as a uuid, so that the newest events are
     * read backwards by seq, each looked up in recruit's unique index, and the scan stops at the
     * page's end instead of sorting every recruit event; CASE keeps other subjects from the cast):
     * the page's events
     * are chosen in SQL, then each recruit on it is described from its whole history (so from and to
     * are right) and has its chain verified. Erased recruits are not in it (their events name a
     * person key that no longer leads to anyone).
     */
    public TrialTrail trialTrail(TrialUser user, TrialFilters f) {
        String ownSite = user.role() == Role.manager ? user.site().orElse(null) : null;
        String site = f.site() != null ? f.site() : ownSite;
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            List<Map.Entry<Long, UUID>> page = h.createQuery("""
                    SELECT e.seq, r.id FROM audit_event e
                    JOIN recruit r ON r.person_key = CASE WHEN e.subject ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                                          THEN CAST(e.subject AS uuid) END
                    WHERE (CAST(:site AS text) IS NULL OR r.site = :site)
                      AND (CAST(:actor AS text) IS NULL OR e.actor = :actor)
                      AND (CAST(:action AS text) IS NULL OR e.action = :action)
                      AND (CAST(:fromAt AS timestamptz) IS NULL OR e.occurred_at >= :fromAt)
                      AND (CAST(:toAt AS timestamptz) IS NULL OR e.occurred_at < :toAt)
                      AND (CAST(:before AS bigint) IS NULL OR e.seq < :before)
                    ORDER BY e.seq DESC LIMIT :limit""")
                    .bind("site", site).bind("actor", f.user()).bind("action", f.action())
                    .bind("fromAt", f.from() == null ? null : f.from().atStartOfDay(TrialContext.TRIAL_ZONE).toOffsetDateTime())
                    .bind("toAt", f.to() == null ? null : f.to().plusDays(1).atStartOfDay(TrialContext.TRIAL_ZONE).toOffsetDateTime())
                    .bind("before", f.before()).bind("limit", f.limit() + 1)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getObject(2, UUID.class))).list();
            boolean more = page.size() > f.limit();
            List<Map.Entry<Long, UUID>> shown = more ? page.subList(0, f.limit()) : page;
            Map<UUID, RecruitRow> recruits = new LinkedHashMap<>();
            for (var entry : shown) {
                recruits.computeIfAbsent(entry.getValue(), id -> h.createQuery(RecruitDao.RECRUIT + "WHERE id = :id").bind("id", id)
                        .map(RecruitDao.RECRUIT_ROW).one());
            }
            Map<Long, RecruitEvent> bySeq = new HashMap<>();
            List<BrokenChain> broken = new ArrayList<>();
            for (RecruitRow recruit : recruits.values()) {
                ChainStatus chain = chainStatus(h, recruit);
                if (chain.status().equals("broken")) {
                    broken.add(new BrokenChain(recruit.participantId(), recruit.site(), chain.brokenAtSeq(), chain.brokenAtPosition(),
                            chain.problem()));
                }
                for (TrailEvent e : describe(h, recruit, user)) {
                    bySeq.put(e.seq(), new RecruitEvent(recruit.participantId(), recruit.site(), chain.status(), e));
                }
            }
            List<RecruitEvent> events = shown.stream().map(e -> bySeq.get(e.getKey())).toList();
            return new TrialTrail(new TrialFilters(f.site(), f.user(), f.action(), f.from(), f.to(), f.before(), f.limit()),
                    recruits.size(), List.copyOf(broken), events, more ? shown.get(shown.size() - 1).getKey() : null);
        });
    }

    private static boolean matches(TrailEvent e, Filters f) {
        LocalDate day = e.at().atZone(TrialContext.TRIAL_ZONE).toLocalDate();
        return (f.user() == null || f.user().equals(e.user())) && (f.action() == null || f.action().equals(e.action()))
                && (f.from() == null || !day.isBefore(f.from())) && (f.to() == null || !day.isAfter(f.to()));
    }

    /** Managers bound to a site see that site's recruits only; the statistician and unbound managers every site's. */
    private static RecruitRow visible(Handle h, TrialUser user, String participantId) {
        if (participantId == null || !ParticipantId.isValid(participantId)) {
            throw new NotFound("recruit_not_found", "There is no recruit with this participant identifier: check its 8 digits.");
        }
        // Written as 8 digits, or 4 and 4 with a space or a dash (isValid has checked which).
        String digits = participantId.strip().replaceAll("[- ]", "");
        return h.createQuery(RecruitDao.BY_PARTICIPANT_ID).bind("participantId", digits)
                .map(RecruitDao.RECRUIT_ROW).findOne()
                .filter(r -> user.role() != Role.manager || user.site().map(r.site()::equals).orElse(true))
                .orElseThrow(() -> new NotFound("recruit_not_found", "There is no recruit with this participant identifier at your sites."));
    }

    /** The trail as CSV: one row per change (an event without one has one row), the chain's status on every row. */
    public static void writeCsv(RecruitTrail trail, OutputStream out) {
        try {
            CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.RFC4180.builder().setRecordSeparator("\n").setNullString("").get());
            csv.printRecord("participant_id", "seq", "position", "at", "user", "action", "summary", "field", "from", "to", "reason",
                    "chain_status", "chain_verified_at", "chain_broken_at_seq");
            for (TrailEvent e : trail.events()) {
                List<Change> changes = e.changes().isEmpty() ? java.util.Collections.singletonList(null) : e.changes();
                for (Change c : changes) {
                    csv.printRecord(trail.participantId(), e.seq(), e.position(), e.at(), cell(e.user()), e.action(), cell(e.summary()),
                            c == null ? null : c.field(), c == null ? null : cell(c.from()), c == null ? null : cell(c.to()),
                            cell(e.reason()), trail.chain().status(), trail.chain().verifiedAt(), trail.chain().brokenAtSeq());
                }
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trial-wide trail as CSV: the recruit's CSV columns with the site, and each row's recruit's chain status. */
    public static void writeCsv(TrialTrail trail, OutputStream out) {
        try {
            CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.RFC4180.builder().setRecordSeparator("\n").setNullString("").get());
            csv.printRecord("participant_id", "site", "seq", "position", "at", "user", "action", "summary", "field", "from", "to", "reason",
                    "chain_status");
            for (RecruitEvent r : trail.events()) {
                TrailEvent e = r.event();
                List<Change> changes = e.changes().isEmpty() ? java.util.Collections.singletonList(null) : e.changes();
                for (Change c : changes) {
                    csv.printRecord(r.participantId(), r.site(), e.seq(), e.position(), e.at(), cell(e.user()), e.action(), cell(e.summary()),
                            c == null ? null : c.field(), c == null ? null : cell(c.from()), c == null ? null : cell(c.to()),
                            cell(e.reason()), r.chainStatus());
                }
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Free text opened in a spreadsheet must not run as a formula (OWASP's CSV injection advice): a leading quote. */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
    }

    /** Turns the chain's events into words and changes, reading the records they point at. */
    private final class Describer {
        private final Handle h;
        private final RecruitRow recruit;
        private final boolean masked;
        private final boolean seesSequence;
        private final Map<String, Map<String, Object>> previous = new HashMap<>();
        private final Map<String, Integer> counts = new HashMap<>();

        Describer(Handle h, RecruitRow recruit, boolean masked, boolean seesSequence) {
            this.h = h;
            this.recruit = recruit;
            this.masked = masked;
            this.seesSequence = seesSequence;
        }

        private record Raw(long seq, Long position, Instant at, String actor, String action, Map<String, Object> details) {}

        List<TrailEvent> describe(String subject) {
            List<Raw> raws = h.createQuery("""
                    SELECT seq, chain_seq, occurred_at, actor, action, details FROM audit_event
                    WHERE (chain = :subject AND chain_seq IS NOT NULL) OR (scheme = 1 AND subject = :subject) ORDER BY seq""")
                    .bind("subject", subject).map((rs, ctx) -> {
                        long position = rs.getLong("chain_seq");
                        return new Raw(rs.getLong("seq"), rs.wasNull() ? null : position,
                                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"), rs.getString("action"),
                                details(rs.getString("details")));
                    }).list();
            long lastIdentityWrite = raws.stream().filter(r -> IDENTITY_WRITES.contains(r.action())).mapToLong(Raw::seq).max().orElse(-1);
            Map<String, String> names = h.createQuery("SELECT given_name, family_name FROM identity WHERE recruit_id = :id")
                    .bind("id", recruit.id()).map((rs, ctx) -> Map.of("givenName", rs.getString(1), "familyName", rs.getString(2)))
                    .findOne().orElse(Map.of());
            List<String> corrections = texts("SELECT reason FROM correction WHERE recruit_id = :id ORDER BY id");
            List<String> statusReasons = texts("SELECT reason FROM status_event WHERE recruit_id = :id ORDER BY id");
            List<String> flagNotes = texts("SELECT note FROM flag WHERE recruit_id = :id ORDER BY id");
            Map<Long, Map<String, Object>> records = new HashMap<>();
            Map<Long, Long> replacedBy = new HashMap<>();
            h.createQuery("SELECT id, replaces_id, " + String.join(", ", DELIVERY_FIELDS) + " FROM delivery_record WHERE recruit_id = :id")
                    .bind("id", recruit.id()).mapToMap().forEach(row -> {
                        long id = ((Number) row.get("id")).longValue();
                        records.put(id, row);
                        if (row.get("replaces_id") != null) {
                            replacedBy.put(((Number) row.get("replaces_id")).longValue(), id);
                        }
                    });
            Map<Long, String> deliveryReasons = new HashMap<>();
            h.createQuery("""
                    SELECT c.record_id, c.reason FROM delivery_change c JOIN delivery_record r ON r.id = c.record_id
                    WHERE r.recruit_id = :id""").bind("id", recruit.id())
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> deliveryReasons.put(e.getKey(), e.getValue()));

            List<TrailEvent> out = new ArrayList<>();
            String status = "active";
            for (Raw r : raws) {
                Map<String, Object> d = r.details();
                List<Change> changes = new ArrayList<>();
                String summary;
                String reason = null;
                switch (r.action()) {
                    case "recruit_created" -> {
                        summary = "Recruit started at site " + d.get("site") + ", area " + d.get("area");
                        compare("recruit", d, List.of("site", "area"), changes);
                    }
                    case "screened" -> {
                        boolean eligible = Boolean.TRUE.equals(d.get("eligible"));
                        summary = "Screened for trial group " + d.get("trialGroup") + ": " + (eligible ? "eligible"
                                : "not eligible (" + text(d.get("failedCriteria")) + ")");
                        compare("screening", d, List.of("trialGroup", "eligible", "failedCriteria", "rulesVersion"), changes);
                    }
                    case "agreement_taken", "agreement_declined" -> {
                        Map<String, Object> withAnswer = new LinkedHashMap<>(d);
                        withAnswer.put("agreed", r.action().equals("agreement_taken"));
                        summary = r.action().equals("agreement_taken") ? "Agreement taken (form " + d.get("formVersion") + ")"
                                : "Agreement declined (form " + d.get("formVersion") + ")";
                        compare("agreement", withAnswer, List.of("agreed", "formVersion", "declined"), changes);
                    }
                    case "identity_recorded", "identity_corrected" -> {
                        boolean recorded = r.action().equals("identity_recorded");
                        boolean before = counts.getOrDefault("identity", 0) > 0;
                        counts.merge("identity", 1, Integer::sum);
                        List<String> fields = recorded ? List.of("givenName", "familyName", "nationalInsuranceNumber", "nhsNumber")
                                : strings(d.get("fields"));
                        for (String field : fields) {
                            String to;
                            if (recorded && field.equals("nationalInsuranceNumber") && !Boolean.TRUE.equals(d.get("hasNino"))
                                    || recorded && field.equals("nhsNumber") && !Boolean.TRUE.equals(d.get("hasNhsNumber"))) {
                                to = null;
                            } else if (masked || !NAME_FIELDS.contains(field)) {
                                to = AuditTrailViews.MASKED;
                            } else {
                                to = r.seq() == lastIdentityWrite ? names.get(field) : NOT_KEPT;
                            }
                            changes.add(new Change(field, before ? NOT_KEPT : null, to));
                        }
                        if (recorded) {
                            summary = "Identifiers and contact details recorded";
                        } else {
                            summary = "Identifiers corrected: " + String.join(", ", fields);
                            reason = nth(corrections, "correction");
                        }
                    }
                    case "baseline_recorded" -> {
                        summary = "Baseline questionnaire recorded (version " + d.get("questionnaireVersion") + ")";
                        compare("baseline", d, List.of("questionnaireVersion"), changes);
                    }
                    case "randomised" -> {
                        String arm = String.valueOf(d.get("arm"));
                        summary = "Randomised: " + trial.definition().arms().labels().getOrDefault(arm, arm);
                        compare("randomised", d, seesSequence ? List.of("arm", "stratum", "designVersion", "sequence")
                                : List.of("arm", "stratum", "designVersion"), changes);
                    }
                    case "withdrawn_service", "withdrawn_research", "deceased" -> {
                        summary = switch (r.action()) {
                            case "withdrawn_service" -> "Withdrawn from the service";
                            case "withdrawn_research" -> "Withdrawn from the research";
                            default -> "Death recorded";
                        } + " (effective " + d.get("effectiveDate") + ")";
                        changes.add(new Change("status", status, r.action()));
                        changes.add(new Change("effectiveDate", null, text(d.get("effectiveDate"))));
                        status = r.action();
                        reason = nth(statusReasons, "status");
                    }
                    case "flagged" -> {
                        summary = "Flagged: " + text(d.get("kind")).replace('_', ' ');
                        changes.add(new Change("flag", null, text(d.get("kind"))));
                        reason = nth(flagNotes, "flag");
                    }
                    case "delivery_recorded" -> {
                        summary = "Delivery recorded: " + text(d.get("kind")).replace('_', ' ') + " on " + d.get("date");
                        changes.add(new Change("kind", null, text(d.get("kind"))));
                        changes.add(new Change("date", null, text(d.get("date"))));
                    }
                    case "delivery_corrected" -> {
                        long old = record(d);
                        summary = "Delivery record " + old + " corrected (" + text(d.get("kind")).replace('_', ' ') + ")";
                        Map<String, Object> was = records.get(old);
                        Map<String, Object> now = replacedBy.containsKey(old) ? records.get(replacedBy.get(old)) : null;
                        for (String field : DELIVERY_FIELDS) {
                            Object a = was == null ? null : was.get(field);
                            Object b = now == null ? null : now.get(field);
                            if (!Objects.equals(text(a), text(b))) {
                                boolean hide = masked && DELIVERY_FREE_TEXT.contains(field);
                                changes.add(new Change(field, hide && a != null ? AuditTrailViews.MASKED : text(a),
                                        hide && b != null ? AuditTrailViews.MASKED : text(b)));
                            }
                        }
                        reason = deliveryReasons.get(old);
                    }
                    case "delivery_deleted" -> {
                        long old = record(d);
                        summary = "Delivery record " + old + " deleted (" + text(d.get("kind")).replace('_', ' ') + ")";
                        changes.add(new Change("status", "current", "deleted"));
                        reason = deliveryReasons.get(old);
                    }
                    case "followup_attempt" -> {
                        summary = "Survey contact attempt (" + d.get("wave") + "): " + text(d.get("outcome")).replace('_', ' ')
                                + " on " + d.get("date");
                        d.forEach((k, v) -> changes.add(new Change(k, null, text(v))));
                    }
                    case "followup_done" -> {
                        summary = "Survey " + d.get("wave") + " done on " + d.get("completedOn") + " ("
                                + text(d.get("source")).replace('_', ' ') + ")";
                        d.forEach((k, v) -> changes.add(new Change(k, null, text(v))));
                    }
                    default -> {
                        summary = r.action().replace('_', ' ');
                        d.forEach((k, v) -> changes.add(new Change(k, null, text(v))));
                    }
                }
                if (reason != null && masked) {
                    reason = AuditTrailViews.MASKED;
                }
                out.add(new TrailEvent(r.seq(), r.position(), r.at(), r.actor(), r.action(), summary, List.copyOf(changes), reason));
            }
            return out;
        }

        /** Each field against the value the previous event of the same kind gave it: only what changed (all of it the first time). */
        private void compare(String kind, Map<String, Object> details, List<String> fields, List<Change> changes) {
            Map<String, Object> before = previous.get(kind);
            for (String field : fields) {
                String to = text(details.get(field));
                String from = before == null ? null : text(before.get(field));
                if (before == null || !Objects.equals(from, to)) {
                    changes.add(new Change(field, from, to));
                }
            }
            previous.put(kind, details);
        }

        private String nth(List<String> texts, String kind) {
            int n = counts.getOrDefault(kind, 0);
            counts.put(kind, n + 1);
            return n < texts.size() ? texts.get(n) : null;
        }

        private List<String> texts(String sql) {
            return h.createQuery(sql).bind("id", recruit.id()).mapTo(String.class).list();
        }
    }

    private static Map<String, Object> details(String json) {
        try {
            return json == null ? Map.of() : RecruitmentService.JSON.readValue(json, DETAILS);
        } catch (IOException e) {
            // A changed event still shows (the chain's status says it was changed): its details as written.
            return Map.of("details", json);
        }
    }

    /** The delivery record an event names; -1 (no record) when its details were changed and name none. */
    private static long record(Map<String, Object> details) {
        return details.get("record") instanceof Number n ? n.longValue() : -1;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none" : String.join(", ", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        return String.valueOf(value);
    }
}
