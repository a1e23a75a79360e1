package org.ipstrial.api.core.followup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.core.errors.FieldChecks;
import org.ipstrial.api.api.FollowUpRequests;
import org.ipstrial.api.api.FollowUpViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.ipstrial.identifiers.ParticipantId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The follow-up survey schedule: for each randomised recruit still in research follow-up, each
 * wave's due window (computed from the randomisation date, never stored), where they stand today,
 * and the contact attempts fieldwork has logged. Contact details go to the fieldwork role only, and
 * only for the rows it must act on now (due or overdue). The arm is never read.
 */
public final class FollowUpSchedule {
    public static final List<String> OUTCOMES = List.of("no_answer", "left_message", "refused", "interview_booked",
            "wrong_number", "completed");
    public static final List<String> DONE_SOURCES = List.of("manual", "agency_return");
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    /**
     * Randomised recruits who may be contacted for surveys: agreed to survey contact (latest
     * agreement), not withdrawn from research, not dead. Erased recruits have no rows left at all.
     * Contact details are those recorded at baseline (baseline_contact), as the sample frame's.
     */
    private static final String IN_FOLLOW_UP = """
            SELECT r.id AS recruit_id, r.participant_id, r.site, a.allocated_at,
                   c.given_name, c.family_name, c.phone, c.email, c.address, c.postcode, c.language, c.survey_mode
            FROM recruit r
            JOIN allocation a ON a.person_key = r.person_key
            JOIN baseline_contact c ON c.recruit_id = r.id
            WHERE (CAST(:site AS text) IS NULL OR r.site = CAST(:site AS text))
              AND (SELECT (ag.answers ->> 'survey_contact')::boolean FROM agreement ag
                   WHERE ag.recruit_id = r.id ORDER BY ag.id DESC LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM status_event s WHERE s.recruit_id = r.id
                              AND s.kind IN ('withdrawn_research', 'deceased'))
            ORDER BY r.participant_id""";

    private final Jdbi jdbi;
    private final TrialContext trial;
    private final FollowUpSettings settings;

    public FollowUpSchedule(Jdbi jdbi, TrialContext trial, FollowUpSettings settings) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.settings = settings;
    }

    /** The filters of a list request, checked: every bad value is named, at once. */
    public record Filters(Optional<SurveyWave> wave, Optional<FollowUpState> state, Optional<String> site) {}

    public Filters filters(String wave, String state, String site) {
        List<FieldError> errors = new ArrayList<>();
        Optional<SurveyWave> w = Optional.empty();
        if (wave != null && !wave.isBlank()) {
            w = settings.wave(wave.strip());
            if (w.isEmpty()) {
                errors.add(new FieldError("wave", "must be one of " + waveCodes()));
            }
        }
        Optional<FollowUpState> s = Optional.empty();
        if (state != null && !state.isBlank()) {
            s = Arrays.stream(FollowUpState.values()).filter(v -> v.name().equals(state.strip())).findFirst();
            if (s.isEmpty()) {
                errors.add(new FieldError("state", "must be one of upcoming, due, overdue, done"));
            }
        }
        Optional<String> site0 = Optional.empty();
        if (site != null && !site.isBlank()) {
            site0 = Optional.of(site.strip());
            if (trial.definition().site(site0.get()).isEmpty()) {
                errors.add(new FieldError("site", "is not a site of this trial"));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return new Filters(w, s, site0);
    }

    /** The list as of today. A manager bound to a site sees that site alone; nobody sees contact details but fieldwork. */
    public FollowUpViews.FollowUpList list(TrialUser user, Filters filters) {
        LocalDate today = trial.today();
        List<FollowUpViews.FollowUpRow> rows = rows(user, filters, today);
        return new FollowUpViews.FollowUpList(today, filters.wave().map(SurveyWave::code).orElse(null),
                filters.state().map(Enum::name).orElse(null), filters.site().orElse(null), rows.size(), rows);
    }

    /** The same list as CSV; contact columns only in the fieldwork role's file. A fieldwork download is audited, as exports are. */
    public void writeCsv(TrialUser user, Filters filters, OutputStream out) {
        boolean contacts = user.role() == Role.fieldwork;
        List<String> header = new ArrayList<>(List.of("participant_id", "site", "wave", "randomised_on", "window_opens",
                "target_date", "window_closes", "state", "attempts", "last_attempt_date", "last_outcome", "completed_on"));
        if (contacts) {
            header.addAll(List.of("given_name", "family_name", "phone", "email", "address", "postcode", "language", "survey_mode"));
        }
        List<FollowUpViews.FollowUpRow> rows = rows(user, filters, trial.today());
        try {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSV.builder().setHeader(header.toArray(String[]::new)).get());
            for (FollowUpViews.FollowUpRow r : rows) {
                List<Object> record = new ArrayList<>(List.of(r.participantId(), r.site(), r.wave(), r.randomisedOn(),
                        r.window().opens(), r.window().target(), r.window().closes(), r.state(), r.attempts(),
                        r.lastAttempt() == null ? "" : r.lastAttempt().date(), r.lastAttempt() == null ? "" : r.lastAttempt().outcome(),
                        blank(r.completedOn())));
                if (contacts) {
                    FollowUpViews.SurveyContact c = r.contact();
                    record.addAll(c == null ? List.of("", "", "", "", "", "", "", "")
                            : List.of(c.givenName(), c.familyName(), blank(c.phone()), blank(c.email()), blank(c.address()),
                                    c.postcode(), blank(c.language()), c.surveyMode()));
                }
                csv.printRecord(record);
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (contacts) {
            jdbi.useTransaction(h -> AuditLog.append(h, trial.clock().instant(), user.username(), "export_followup_list", "export",
                    Map.of("rows", rows.size())));
        }
    }

    private record Key(UUID recruit, String wave) {}

    private record AttemptSummary(int count, LocalDate lastDate, String lastOutcome) {}

    private List<FollowUpViews.FollowUpRow> rows(TrialUser user, Filters filters, LocalDate today) {
        Optional<String> site = filters.site();
        if (user.role() != Role.fieldwork && user.site().isPresent()) {
            if (site.isPresent() && !site.get().equals(user.site().get())) {
                return List.of();
            }
            site = user.site();
        }
        String siteFilter = site.orElse(null);
        List<SurveyWave> waves = filters.wave().map(List::of).orElse(settings.getWaves());
        boolean contacts = user.role() == Role.fieldwork;
        return jdbi.withHandle(h -> {
            Map<Key, AttemptSummary> attempts = new HashMap<>();
            h.createQuery("""
                    SELECT recruit_id, wave, count(*) AS n,
                           (array_agg(attempted_on ORDER BY attempted_on DESC, id DESC))[1] AS last_date,
                           (array_agg(outcome ORDER BY attempted_on DESC, id DESC))[1] AS last_outcome
                    FROM followup_attempt GROUP BY recruit_id, wave""")
                    .map((rs, ctx) -> Map.entry(new Key(rs.getObject("recruit_id", UUID.class), rs.getString("wave")),
                            new AttemptSummary(rs.getInt("n"), rs.getObject("last_date", LocalDate.class), rs.getString("last_outcome"))))
                    .forEach(e -> attempts.put(e.getKey(), e.getValue()));
            Map<Key, LocalDate> done = new HashMap<>();
            h.createQuery("SELECT recruit_id, wave, completed_on FROM followup_done")
                    .map((rs, ctx) -> Map.entry(new Key(rs.getObject("recruit_id", UUID.class), rs.getString("wave")),
                            rs.getObject("completed_on", LocalDate.class)))
                    .forEach(e -> done.put(e.getKey(), e.getValue()));
            List<FollowUpViews.FollowUpRow> rows = new ArrayList<>();
            h.createQuery(IN_FOLLOW_UP).bind("site", siteFilter).mapToMap().forEach(r -> {
                UUID recruit = (UUID) r.get("recruit_id");
                LocalDate randomisedOn = randomisedOn(r.get("allocated_at"));
                for (SurveyWave wave : waves) {
                    Key key = new Key(recruit, wave.code());
                    DueWindow window = wave.windowFor(randomisedOn);
                    LocalDate completedOn = done.get(key);
                    FollowUpState state = window.stateOn(today, completedOn != null);
                    if (filters.state().isPresent() && filters.state().get() != state) {
                        continue;
                    }
                    AttemptSummary a = attempts.get(key);
                    boolean actNow = state == FollowUpState.due || state == FollowUpState.overdue;
                    FollowUpViews.SurveyContact contact = contacts && actNow
                            ? new FollowUpViews.SurveyContact((String) r.get("given_name"), (String) r.get("family_name"),
                                    (String) r.get("phone"), (String) r.get("email"), (String) r.get("address"),
                                    (String) r.get("postcode"), (String) r.get("language"), (String) r.get("survey_mode"))
                            : null;
                    rows.add(new FollowUpViews.FollowUpRow((String) r.get("participant_id"), (String) r.get("site"), wave.code(), randomisedOn,
                            new FollowUpViews.SurveyWindow(window.opens(), window.target(), window.closes()), state.name(),
                            a == null ? 0 : a.count(), a == null ? null : new FollowUpViews.LastAttempt(a.lastDate(), a.lastOutcome()),
                            completedOn, contact));
                }
            });
            return rows;
        });
    }

    /** Logs one contact attempt (audited, one transaction). A completed interview marks the wave done. */
    public FollowUpViews.AttemptRecorded recordAttempt(TrialUser user, String participantId, String waveCode,
            FollowUpRequests.ContactAttempt request) {
        SurveyWave wave = wave(waveCode);
        if (request == null) {
            throw InvalidRequest.fields(List.of(new FieldError("date", "is required (YYYY-MM-DD)"),
                    new FieldError("outcome", "must be one of " + String.join(", ", OUTCOMES))));
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate date = FieldChecks.date(request.date(), "date", trial.today(), errors);
        if (request.outcome() == null || !OUTCOMES.contains(request.outcome())) {
            errors.add(new FieldError("outcome", "must be one of " + String.join(", ", OUTCOMES)));
        }
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        if (note != null && note.length() > 500) {
            errors.add(new FieldError("note", "is longer than 500 characters"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        return jdbi.inTransaction(h -> {
            Contactable recruit = lockContactable(h, participantId);
            recruit.requireOnOrAfterRandomisation(date, "date");
            h.createUpdate("""
                    INSERT INTO followup_attempt (recruit_id, wave, attempted_on, outcome, note, recorded_by, recorded_at)
                    VALUES (:recruit, :wave, :date, :outcome, :note, :by, :at)""")
                    .bind("recruit", recruit.row().id()).bind("wave", wave.code()).bind("date", date)
                    .bind("outcome", request.outcome()).bind("note", note).bind("by", user.id()).bind("at", now).execute();
            if (request.outcome().equals("completed")) {
                h.createUpdate("""
                        INSERT INTO followup_done (recruit_id, wave, completed_on, source, recorded_by, recorded_at)
                        VALUES (:recruit, :wave, :date, 'contact_attempt', :by, :at) ON CONFLICT (recruit_id, wave) DO NOTHING""")
                        .bind("recruit", recruit.row().id()).bind("wave", wave.code()).bind("date", date)
                        .bind("by", user.id()).bind("at", now).execute();
            }
            AuditLog.append(h, now, user.username(), "followup_attempt", recruit.row().personKey().toString(),
                    Map.of("wave", wave.code(), "date", date.toString(), "outcome", request.outcome()));
            int count = h.createQuery("SELECT count(*) FROM followup_attempt WHERE recruit_id = :recruit AND wave = :wave")
                    .bind("recruit", recruit.row().id()).bind("wave", wave.code()).mapTo(Integer.class).one();
            boolean isDone = h.createQuery("SELECT count(*) FROM followup_done WHERE recruit_id = :recruit AND wave = :wave")
                    .bind("recruit", recruit.row().id()).bind("wave", wave.code()).mapTo(Integer.class).one() > 0;
            FollowUpState state = wave.windowFor(recruit.randomisedOn()).stateOn(trial.today(), isDone);
            return new FollowUpViews.AttemptRecorded(recruit.row().participantId(), wave.code(), date, request.outcome(), count,
                    state.name());
        });
    }

    /** Marks a wave done by hand or from the survey agency's return (audited, one transaction). */
    public FollowUpViews.FollowUpRow recordDone(TrialUser user, String participantId, String waveCode, FollowUpRequests.WaveDone request) {
        SurveyWave wave = wave(waveCode);
        if (request == null) {
            throw InvalidRequest.fields(List.of(new FieldError("completedOn", "is required (YYYY-MM-DD)"),
                    new FieldError("source", "must be manual or agency_return")));
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate completedOn = FieldChecks.date(request.completedOn(), "completedOn", trial.today(), errors);
        if (request.source() == null || !DONE_SOURCES.contains(request.source())) {
            errors.add(new FieldError("source", "must be manual or agency_return"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        String pid = jdbi.inTransaction(h -> {
            Contactable recruit = lockContactable(h, participantId);
            recruit.requireOnOrAfterRandomisation(completedOn, "completedOn");
            int inserted = h.createUpdate("""
                    INSERT INTO followup_done (recruit_id, wave, completed_on, source, recorded_by, recorded_at)
                    VALUES (:recruit, :wave, :date, :source, :by, :at) ON CONFLICT (recruit_id, wave) DO NOTHING""")
                    .bind("recruit", recruit.row().id()).bind("wave", wave.code()).bind("date", completedOn)
                    .bind("source", request.source()).bind("by", user.id()).bind("at", now).execute();
            if (inserted == 0) {
                throw new Conflict("already_done", "This wave is already recorded as done for this recruit.");
            }
            AuditLog.append(h, now, user.username(), "followup_done", recruit.row().personKey().toString(),
                    Map.of("wave", wave.code(), "completedOn", completedOn.toString(), "source", request.source()));
            return recruit.row().participantId();
        });
        return rows(user, new Filters(Optional.of(wave), Optional.empty(), Optional.empty()), trial.today()).stream()
                .filter(r -> r.participantId().equals(pid)).findFirst().orElseThrow();
    }

    private record Contactable(RecruitRow row, LocalDate randomisedOn) {
        void requireOnOrAfterRandomisation(LocalDate date, String field) {
            if (date.isBefore(randomisedOn)) {
                throw InvalidRequest.field(field, "is before the recruit was randomised");
            }
        }
    }

    /** The recruit, locked, if they are in research follow-up; else why not. */
    private Contactable lockContactable(Handle h, String participantId) {
        if (participantId == null || !ParticipantId.isValid(participantId)) {
            throw new NotFound("recruit_not_found", "There is no recruit with this participant identifier: check its 8 digits.");
        }
        String id = ParticipantId.parse(participantId).orElseThrow().digits();
        RecruitRow recruit = h.createQuery(RecruitDao.LOCK_BY_PARTICIPANT_ID).bind("participantId", id)
                .map(RecruitDao.RECRUIT_ROW).findOne()
                .orElseThrow(() -> new NotFound("recruit_not_found", "There is no recruit with this participant identifier."));
        Optional<OffsetDateTime> allocatedAt = h.createQuery("SELECT allocated_at FROM allocation WHERE person_key = :key")
                .bind("key", recruit.personKey()).mapTo(OffsetDateTime.class).findOne();
        if (allocatedAt.isEmpty()) {
            throw new Conflict("not_randomised", "This recruit is not randomised: there is no follow-up survey for them.");
        }
        Map<String, Object> status = h.createQuery("""
                SELECT EXISTS (SELECT 1 FROM status_event s WHERE s.recruit_id = :id
                               AND s.kind IN ('withdrawn_research', 'deceased')) AS left_research,
                       COALESCE((SELECT (ag.answers ->> 'survey_contact')::boolean FROM agreement ag
                                 WHERE ag.recruit_id = :id ORDER BY ag.id DESC LIMIT 1), false) AS survey_contact""")
                .bind("id", recruit.id()).mapToMap().one();
        if (Boolean.TRUE.equals(status.get("left_research"))) {
            throw new Conflict("not_in_follow_up", "This recruit has withdrawn from research contact or died: no survey contact.");
        }
        if (!Boolean.TRUE.equals(status.get("survey_contact"))) {
            throw new Conflict("not_in_follow_up", "This recruit did not agree to be contacted for surveys.");
        }
        return new Contactable(recruit, randomisedOn(allocatedAt.get()));
    }

    private SurveyWave wave(String code) {
        return settings.wave(code == null ? "" : code.strip())
                .orElseThrow(() -> InvalidRequest.field("wave", "must be one of " + waveCodes()));
    }

    private String waveCodes() {
        return settings.getWaves().stream().map(SurveyWave::code).collect(Collectors.joining(", "));
    }

    private static LocalDate randomisedOn(Object allocatedAt) {
        Instant at = allocatedAt instanceof java.sql.Timestamp t ? t.toInstant()
                : allocatedAt instanceof OffsetDateTime o ? o.toInstant() : null;
        if (at == null) {
            throw new IllegalStateException("unexpected timestamp type " + allocatedAt.getClass());
        }
        return at.atZone(TrialContext.TRIAL_ZONE).toLocalDate();
    }

    private static Object blank(Object value) {
        return value == null ? "" : value;
    }
}
