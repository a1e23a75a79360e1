package org.ipstrial.api.core.recruitment;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.core.errors.FieldChecks;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.IdentityRow;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What happens after the first appointment: withdrawal, death, erasure, corrections of identifiers
 * and flags. Recruits stay randomised and are analysed as allocated whatever happens later.
 */
public final class FollowUpService {
    private static final Set<String> STATUS_KINDS = RecruitCodes.STATUS_KINDS;
    private static final Set<String> ERASURE_GROUNDS = RecruitCodes.ERASURE_GROUNDS;
    private static final Set<String> FLAG_KINDS = RecruitCodes.FLAG_KINDS;
    private static final Set<String> CORRECTABLE = Set.of("nationalInsuranceNumber", "nhsNumber", "givenName",
            "familyName", "dateOfBirth", "sex", "postcode");
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final RecruitmentService recruitment;

    public FollowUpService(Jdbi jdbi, TrialContext trial, RecruitmentService recruitment) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.recruitment = recruitment;
    }

    public RecruitViews.Recruit recordStatus(TrialUser user, String participantId, RecruitRequests.StatusChange request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.kind() == null || !STATUS_KINDS.contains(request.kind())) {
            errors.add(new FieldError("kind", "must be withdrawn_service, withdrawn_research or deceased"));
        }
        LocalDate date = FieldChecks.date(request.effectiveDate(), "effectiveDate", trial.today(), errors);
        String reason = reason(request.reason(), errors, "reason");
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        jdbi.useTransaction(h -> {
            RecruitRow recruit = RecruitmentService.lockVisible(h, user, participantId);
            if (date.isBefore(recruit.createdAt().atZone(TrialContext.TRIAL_ZONE).toLocalDate())) {
                throw InvalidRequest.field("effectiveDate", "is before the recruit was first seen");
            }
            RecruitDao dao = h.attach(RecruitDao.class);
            if (dao.statuses(recruit.id()).stream().anyMatch(s -> s.kind().equals("deceased"))) {
                throw new Conflict("already_deceased", "A death is already recorded for this recruit.");
            }
            dao.insertStatus(recruit.id(), request.kind(), date, reason, user.id(), now);
            AuditLog.append(h, now, user.username(), request.kind(), recruit.personKey().toString(),
                    Map.of("effectiveDate", date.toString()));
        });
        return recruitment.view(user, participantId);
    }

    /** Erasure: every personal record goes; the allocation slot and an anonymous count stay. */
    public void erase(TrialUser user, String participantId, RecruitRequests.Erasure request) {
        if (request == null) {
            throw InvalidRequest.field("confirmed", "must be true: erasure removes every personal record and cannot be undone");
        }
        List<FieldError> errors = new ArrayList<>();
        if (!request.confirmed()) {
            errors.add(new FieldError("confirmed", "must be true: erasure removes every personal record and cannot be undone"));
        }
        LocalDate requestedOn = FieldChecks.date(request.requestedOn(), "requestedOn", trial.today(), errors);
        if (request.ground() == null || !ERASURE_GROUNDS.contains(request.ground())) {
            errors.add(new FieldError("ground", "must be participant_request, recorded_in_error or required_by_governance"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        jdbi.useTransaction(h -> {
            RecruitRow recruit = RecruitmentService.lockVisible(h, user, participantId);
            if (requestedOn.isBefore(recruit.createdAt().atZone(TrialContext.TRIAL_ZONE).toLocalDate())) {
                throw InvalidRequest.field("requestedOn", "is before the recruit was first seen");
            }
            boolean randomised = h.attach(AllocationDao.class).byPerson(recruit.personKey()).isPresent();
            h.createUpdate("""
                    INSERT INTO erasure (person_key, site, trial_group, randomised, erased_on, recorded_by, requested_on, ground)
                    VALUES (:personKey, :site, :trialGroup, :randomised, :erasedOn, :by, :requestedOn, :ground)""")
                    .bind("personKey", recruit.personKey()).bind("site", recruit.site())
                    .bind("trialGroup", recruit.trialGroup()).bind("randomised", randomised)
                    .bind("erasedOn", trial.today()).bind("by", user.id())
                    .bind("requestedOn", requestedOn).bind("ground", request.ground()).execute();
            RecruitDao dao = h.attach(RecruitDao.class);
            dao.detachScreenings(recruit.id());
            dao.delete(recruit.id());
            AuditLog.append(h, now, user.username(), "erased", recruit.personKey().toString(), Map.of("randomised", randomised));
        });
    }

    public RecruitViews.Recruit correct(TrialUser user, String participantId, RecruitRequests.Correction request) {
        if (request == null) {
            throw InvalidRequest.field("fields", "name at least one field to correct");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.fields() == null || request.fields().isEmpty()) {
            errors.add(new FieldError("fields", "name at least one field to correct"));
        }
        for (String field : request.fields() == null ? java.util.Set.<String>of() : request.fields().keySet()) {
            if (!CORRECTABLE.contains(field)) {
                errors.add(new FieldError("fields." + field, "cannot be corrected here; correctable fields are " + new java.util.TreeSet<>(CORRECTABLE)));
            }
        }
        String reason = reason(request.reason(), errors, "reason");
        if (!errors.isEmpty() && (request.fields() == null || request.fields().isEmpty())) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        try {
            jdbi.useTransaction(h -> {
                RecruitRow recruit = RecruitmentService.lockVisible(h, user, participantId);
                RecruitDao dao = h.attach(RecruitDao.class);
                IdentityRow old = dao.identity(recruit.id())
                        .orElseThrow(() -> new Conflict("no_identity", "No identifiers are recorded yet: record them, no correction needed."));
                Map<String, String> f = request.fields();
                var merged = new RecruitRequests.Identity(
                        f.getOrDefault("nationalInsuranceNumber", old.nino()), f.getOrDefault("nhsNumber", old.nhsNumber()),
                        f.getOrDefault("givenName", old.givenName()), f.getOrDefault("familyName", old.familyName()),
                        f.getOrDefault("dateOfBirth", old.dateOfBirth().toString()), f.getOrDefault("sex", old.sex()),
                        f.getOrDefault("postcode", old.postcode()), old.phone(), old.email(), old.address(), old.language(),
                        old.communicationNeeds(), old.surveyMode(), old.surveyModeReason());
                IdentityRow corrected;
                try {
                    corrected = IdentityCheck.check(merged, recruit.createdAt().atZone(TrialContext.TRIAL_ZONE).toLocalDate());
                } catch (InvalidRequest valueErrors) {
                    // The values at fault and the request's own faults (fields not correctable here, the reason), at once.
                    List<FieldError> all = new ArrayList<>(errors);
                    all.addAll(valueErrors.fieldErrors());
                    throw InvalidRequest.fields(all);
                }
                if (!errors.isEmpty()) {
                    throw InvalidRequest.fields(errors);
                }
                dao.upsertIdentity(recruit.id(), corrected, user.id(), now);
                boolean randomised = h.attach(AllocationDao.class).byPerson(recruit.personKey()).isPresent();
                if (randomised) {
                    dao.deleteIdentityKeys(recruit.id());
                    for (byte[] key : PersonKeys.of(trial, corrected)) {
                        dao.insertIdentityKey(key, recruit.id());
                    }
                }
                String[] fields = new TreeMap<>(f).keySet().toArray(String[]::new);
                dao.insertCorrection(recruit.id(), fields, reason, user.id(), now);
                AuditLog.append(h, now, user.username(), "identity_corrected", recruit.personKey().toString(),
                        Map.of("fields", List.of(fields)));
            });
        } catch (UnableToExecuteStatementException e) {
            if (UserService.isUniqueViolation(e)) {
                throw new Conflict("duplicate_person", "With this correction the recruit would be the same person as "
                        + "another randomised recruit. Check the values, or speak to the trial manager.");
            }
            throw e;
        }
        return recruitment.view(user, participantId);
    }

    public RecruitViews.Recruit flag(TrialUser user, String participantId, RecruitRequests.Flag request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.kind() == null || !FLAG_KINDS.contains(request.kind())) {
            errors.add(new FieldError("kind", "must be found_ineligible or wrong_stratum"));
        }
        String note = reason(request.note(), errors, "note");
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        Instant now = trial.clock().instant();
        jdbi.useTransaction(h -> {
            RecruitRow recruit = RecruitmentService.lockVisible(h, user, participantId);
            if (h.attach(AllocationDao.class).byPerson(recruit.personKey()).isEmpty()) {
                throw new Conflict("not_randomised", "Only randomised recruits are flagged; screen again instead.");
            }
            h.attach(RecruitDao.class).insertFlag(recruit.id(), request.kind(), note, user.id(), now);
            AuditLog.append(h, now, user.username(), "flagged", recruit.personKey().toString(), Map.of("kind", request.kind()));
        });
        return recruitment.view(user, participantId);
    }

    private static String reason(String text, List<FieldError> errors, String field) {
        if (text == null || text.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (text.length() > 1000) {
            errors.add(new FieldError(field, "is longer than 1000 characters"));
        }
        return text.strip();
    }
}
