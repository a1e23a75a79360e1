package org.ipstrial.api.core.recruitment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.api.RecruitViews.AgreementResult;
import org.ipstrial.api.api.RecruitViews.FailedCriterion;
import org.ipstrial.api.api.RecruitViews.ScreeningResult;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinition.AgreementForm;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.IdentityRow;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The first appointment, step by step: a new recruit, screening, agreement, identifiers and
 * baseline. Each step is one transaction with its audit event, and can be repeated until the
 * recruit is randomised (a half-finished recruit is resumed where it stopped).
 */
public final class RecruitmentService {
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final SecureRandom random = new SecureRandom();

    public RecruitmentService(Jdbi jdbi, TrialContext trial) {
        this.jdbi = jdbi;
        this.trial = trial;
    }

    public RecruitViews.Recruit create(TrialUser user, RecruitRequests.NewRecruit request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        TrialDefinition definition = trial.definition();
        List<FieldError> errors = new ArrayList<>();
        var site = Optional.ofNullable(request.site()).flatMap(definition::site);
        if (site.isEmpty()) {
            errors.add(new FieldError("site", "must be one of " + definition.sites().stream().map(TrialDefinition.Site::code).toList()));
        } else if (!user.maySeeSite(site.get().code())) {
            errors.add(new FieldError("site", "you can only recruit at your own site"));
        }
        if (request.area() == null || request.area().isBlank()) {
            errors.add(new FieldError("area", "is required: one of the site's delivery areas"));
        } else if (site.isPresent() && !site.get().hasArea(request.area())) {
            errors.add(new FieldError("area", "must be one of the site's areas " + site.get().areas().stream().map(TrialDefinition.Area::code).toList()));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        for (int attempt = 0; ; attempt++) {
            ParticipantId participantId = ParticipantId.random(random);
            UUID id = UUID.randomUUID();
            UUID personKey = UUID.randomUUID();
            try {
                AuditLog.Event event = AuditLog.event(now, user.username(), "recruit_created", personKey.toString(),
                        Map.of("site", request.site(), "area", request.area()));
                jdbi.useHandle(h -> AuditLog.withEvent(h, RecruitDao.INSERT_RECRUIT, event).bind("id", id)
                        .bind("participantId", participantId.digits()).bind("personKey", personKey).bind("site", request.site())
                        .bind("area", request.area()).bind("createdBy", user.id()).bind("createdAt", now).mapTo(Long.class).one());
                RecruitRow created = new RecruitRow(id, participantId.digits(), personKey, request.site(), request.area(), null, now, false);
                return new RecruitState(created, Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(),
                        List.of(), List.of()).toView(trial);
            } catch (UnableToExecuteStatementException e) {
                if (attempt >= 5 || !org.ipstrial.api.auth.UserService.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    public ScreeningResult screen(TrialUser user, String participantId, RecruitRequests.Screening given) {
        RecruitRequests.Screening request = given == null ? new RecruitRequests.Screening(null, null) : given;
        Instant now = trial.clock().instant();
        return jdbi.inTransaction(h -> {
            RecruitRow recruit = lockVisible(h, user, participantId);
            requireNotRandomised(recruit);
            var group = Optional.ofNullable(request.trialGroup()).flatMap(trial.definition()::trialGroup)
                    .filter(g -> g.site().equals(recruit.site()));
            List<FieldError> errors = new ArrayList<>();
            if (group.isEmpty()) {
                errors.add(new FieldError("trialGroup", "must be one of the trial groups of site " + recruit.site() + ": "
                        + trial.definition().trialGroups().stream().filter(g -> g.site().equals(recruit.site())).map(TrialDefinition.TrialGroup::code).toList()));
            }
            if (request.answers() == null) {
                errors.add(new FieldError("answers", "is required"));
            }
            if (!errors.isEmpty()) {
                throw InvalidRequest.fields(errors);
            }
            var rules = trial.definition().eligibilityOn(trial.today());
            EligibilityDecision decision = EligibilityDecision.decide(rules, group.get().code(), request.answers());
            List<String> failed = decision instanceof EligibilityDecision.Ineligible i
                    ? i.failed().stream().map(TrialDefinition.Criterion::id).toList() : List.of();
            AuditLog.Event event = AuditLog.event(now, user.username(), "screened", recruit.personKey().toString(),
                    Map.of("trialGroup", group.get().code(), "eligible", failed.isEmpty(), "failedCriteria", failed,
                            "rulesVersion", rules.version()));
            AuditLog.withEvent(h, RecruitDao.INSERT_SCREENING, event).bind("recruitId", recruit.id()).bind("site", recruit.site())
                    .bind("area", recruit.area()).bind("trialGroup", group.get().code()).bind("eligible", failed.isEmpty())
                    .bind("failedCriteria", failed.toArray(String[]::new)).bind("rulesVersion", rules.version())
                    .bind("answers", json(new TreeMap<>(request.answers()))).bind("screenedBy", user.id()).bind("screenedAt", now)
                    .mapTo(Long.class).one();
            return screeningResult(decision, group.get().code());
        });
    }

    public AgreementResult agree(TrialUser user, String participantId, RecruitRequests.Agreement given) {
        RecruitRequests.Agreement request = given == null ? new RecruitRequests.Agreement(null, null) : given;
        AgreementForm form = trial.definition().agreementFormOn(trial.today());
        List<FieldError> errors = new ArrayList<>();
        if (!form.version().equals(request.formVersion())) {
            errors.add(new FieldError("formVersion", "the current agreement form is version " + form.version()
                    + ": show that version and ask each statement again"));
        }
        if (request.answers() == null) {
            errors.add(new FieldError("answers", "is required"));
        }
        if (!errors.isEmpty()) {
            // The statements are those of the current form: answers to another version are not checked against it.
            throw InvalidRequest.fields(errors);
        }
        for (var statement : form.statements()) {
            if (request.answers().get(statement.id()) == null) {
                errors.add(new FieldError("answers." + statement.id(), "needs an answer: agreed (true) or not (false)"));
            }
        }
        for (String id : request.answers().keySet()) {
            if (form.statements().stream().noneMatch(s -> s.id().equals(id))) {
                errors.add(new FieldError("answers." + id, "is not a statement of form " + form.version()));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        boolean agreed = form.statements().stream().filter(TrialDefinition.ConsentStatement::required)
                .allMatch(s -> request.answers().get(s.id()));
        Instant now = trial.clock().instant();
        return jdbi.inTransaction(h -> {
            RecruitRow recruit = lockVisible(h, user, participantId);
            requireNotRandomised(recruit);
            List<String> declined = declined(request.answers());
            AuditLog.Event event = AuditLog.event(now, user.username(), agreed ? "agreement_taken" : "agreement_declined",
                    recruit.personKey().toString(), Map.of("formVersion", form.version(), "declined", declined));
            AuditLog.withEvent(h, RecruitDao.INSERT_AGREEMENT, event).bind("recruitId", recruit.id()).bind("formVersion", form.version())
                    .bind("answers", json(new TreeMap<>(request.answers()))).bind("agreed", agreed).bind("takenBy", user.id())
                    .bind("takenAt", now).mapTo(Long.class).one();
            return new AgreementResult(form.version(), agreed, true, declined);
        });
    }

    public RecruitViews.Recruit recordIdentity(TrialUser user, String participantId, RecruitRequests.Identity request) {
        IdentityRow identity = IdentityCheck.check(request, trial.today());
        Instant now = trial.clock().instant();
        return jdbi.inTransaction(h -> {
            RecruitRow recruit = lockVisible(h, user, participantId);
            requireNotRandomised(recruit);
            if (RecruitDao.otherRandomisedWithKeys(h, PersonKeys.of(trial, identity), recruit.id()) > 0) {
                throw new Conflict("already_randomised", "This person has already been randomised in the trial "
                        + "(same National Insurance number, NHS number, or name, date of birth and postcode). "
                        + "Nobody may be randomised twice: speak to the trial manager.");
            }
            AuditLog.Event event = AuditLog.event(now, user.username(), "identity_recorded", recruit.personKey().toString(),
                    Map.of("hasNino", identity.nino() != null, "hasNhsNumber", identity.nhsNumber() != null));
            AuditLog.withEvent(h, RecruitDao.UPSERT_IDENTITY, event).bind("recruitId", recruit.id()).bindMethods("i", identity)
                    .bind("by", user.id()).bind("at", now).mapTo(Long.class).one();
            return RecruitState.load(h, trial, recruit).toView(trial);
        });
    }

    public RecruitViews.Recruit recordBaseline(TrialUser user, String participantId, RecruitRequests.Baseline request) {
        var questionnaire = trial.definition().baseline();
        Map<String, Object> answers = BaselineCheck.check(questionnaire, request == null ? null : request.answers());
        Instant now = trial.clock().instant();
        return jdbi.inTransaction(h -> {
            RecruitRow recruit = lockVisible(h, user, participantId);
            requireNotRandomised(recruit);
            AuditLog.Event event = AuditLog.event(now, user.username(), "baseline_recorded", recruit.personKey().toString(),
                    Map.of("questionnaireVersion", questionnaire.version()));
            AuditLog.withEvent(h, RecruitDao.UPSERT_BASELINE, event).bind("recruitId", recruit.id())
                    .bind("version", questionnaire.version()).bind("answers", json(answers)).bind("by", user.id()).bind("at", now)
                    .mapTo(Long.class).one();
            return RecruitState.load(h, trial, recruit).toView(trial);
        });
    }

    public RecruitViews.Recruit view(TrialUser user, String participantId) {
        return jdbi.inTransaction(h -> RecruitState.load(h, trial, visible(h, user, participantId)).toView(trial));
    }

    public List<RecruitViews.RecruitSummary> search(TrialUser user, String query) {
        String site = user.role() == Role.specialist ? user.site().orElseThrow() : null;
        String q = query == null ? "" : query.strip();
        String participantId = null;
        String nameKey = null;
        if (!q.isEmpty()) {
            if (q.matches("\\d{4}[- ]?\\d{4}")) {
                participantId = q.replaceAll("[- ]", "");
            } else if (q.length() > 100) {
                throw InvalidRequest.field("q", "is longer than 100 characters");
            } else if (q.chars().anyMatch(Character::isISOControl)) {
                // PostgreSQL cannot hold a NUL in text: without this the search failed with a 500.
                throw InvalidRequest.field("q", "contains control characters, which no name has");
            } else {
                nameKey = q.toLowerCase(java.util.Locale.ROOT);
            }
        }
        String pid = participantId;
        String name = nameKey;
        return jdbi.withExtension(RecruitDao.class, dao -> dao.search(site, pid, name, 200)).stream()
                .map(r -> new RecruitViews.RecruitSummary(r.participantId(),
                        r.givenName() == null ? null : r.givenName() + " " + r.familyName(),
                        r.trialGroup(), r.createdAt(), r.randomised(), r.status()))
                .toList();
    }

    /** The questions, statements and items the pages show. */
    public RecruitViews.Forms forms() {
        var rules = trial.definition().eligibilityOn(trial.today());
        var form = trial.definition().agreementFormOn(trial.today());
        var baseline = trial.definition().baseline();
        return new RecruitViews.Forms(
                rules.questions().stream().map(q -> new RecruitViews.Question(q.id(), q.text(),
                        trial.definition().trialGroups().stream().map(TrialDefinition.TrialGroup::code)
                                .filter(g -> rules.questionsFor(g).contains(q)).toList())).toList(),
                rules.version(), form.version(),
                form.statements().stream().map(s -> new RecruitViews.Statement(s.id(), s.text(), s.required())).toList(),
                baseline.version(),
                baseline.items().stream().map(i -> new RecruitViews.Item(i.id(), i.label(), i.type().name(),
                        i.codes().stream().map(c -> new RecruitViews.Code(c.code(), c.label())).toList(), i.min(), i.max())).toList());
    }

    /** The recruit, if this user may see it; 404 otherwise (we do not say whether it exists elsewhere). */
    static RecruitRow visible(Handle h, TrialUser user, String participantId) {
        return find(h, user, participantId, false);
    }

    static RecruitRow lockVisible(Handle h, TrialUser user, String participantId) {
        return find(h, user, participantId, true);
    }

    private static RecruitRow find(Handle h, TrialUser user, String participantId, boolean lock) {
        if (participantId == null || !ParticipantId.isValid(participantId)) {
            throw new NotFound("recruit_not_found", "There is no recruit with this participant identifier: check its 8 digits.");
        }
        String id = ParticipantId.parse(participantId).orElseThrow().digits();
        return h.createQuery(lock ? RecruitDao.LOCK_BY_PARTICIPANT_ID : RecruitDao.BY_PARTICIPANT_ID).bind("participantId", id)
                .map(RecruitDao.RECRUIT_ROW).findOne()
                .filter(r -> user.maySeeSite(r.site()))
                .orElseThrow(() -> new NotFound("recruit_not_found", "There is no recruit with this participant identifier at your site."));
    }

    static void requireNotRandomised(RecruitRow recruit) {
        if (recruit.randomised()) {
            throw new Conflict("already_randomised", "This recruit is already randomised: the first-appointment "
                    + "records can no longer change. Use a correction (with a reason) for a mistyped identifier.");
        }
    }

    static ScreeningResult screeningResult(EligibilityDecision decision, String trialGroup) {
        List<FailedCriterion> failed = decision instanceof EligibilityDecision.Ineligible i
                ? i.failed().stream().map(c -> new FailedCriterion(c.id(), c.text())).toList() : List.of();
        return new ScreeningResult(failed.isEmpty(), trialGroup, decision.rulesVersion(), failed);
    }

    static List<String> declined(Map<String, Boolean> answers) {
        return answers.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable", e);
        }
    }
}
