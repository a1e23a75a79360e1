package org.ipstrial.api.core.recruitment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.api.db.AllocationDao.AllocationRow;
import org.ipstrial.api.db.AllocationDao.StratumState;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.ipstrial.api.core.randomisation.StratumTotals;
import org.ipstrial.randomiser.Allocation;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.Stratum;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Randomisation at the first appointment. One transaction: lock the recruit (its row says whether
 * it is randomised already: a retry returns the same allocation), check readiness, claim the person's identity keys
 * (never twice); only then lock the stratum, whose row carries its last allocation, take the next
 * slot from the randomiser, and write the allocation, the stratum's new state and the audit event
 * in one statement before the commit. The stratum's lock is held for one statement and the commit.
 */
public final class RandomisationService {
    /**
     * Slots prepared for each randomisation: more than the randomisations that can be in flight in
     * one stratum at once (every connection of every instance), so the one that follows the locked
     * state is among them; if not, the statement stops and the randomisation runs again.
     */
    static final int PREPARED_SLOTS = 64;
    /** Runs of a randomisation whose stratum moved past every prepared slot, before giving up. */
    private static final int ATTEMPTS = 5;
    private final Jdbi jdbi;
    private final TrialContext trial;

    public RandomisationService(Jdbi jdbi, TrialContext trial) {
        this.jdbi = jdbi;
        this.trial = trial;
    }

    public RecruitViews.Allocated randomise(TrialUser user, String participantIdText, Optional<String> idempotencyKey) {
        if (participantIdText == null || !ParticipantId.isValid(participantIdText)) {
            throw InvalidRequest.field("participantId", "must be the recruit's 8-digit participant identifier");
        }
        String participantId = ParticipantId.parse(participantIdText).orElseThrow().digits();
        if (idempotencyKey.isPresent() && (idempotencyKey.get().isBlank() || idempotencyKey.get().length() > 200)) {
            throw InvalidRequest.field("Idempotency-Key", "must be 1 to 200 characters");
        }
        String requestHash = Sha256.hex(participantId);
        // Only a hash of the key is kept: a client might put something personal in it, and the
        // allocation table is append-only.
        Optional<String> keyHash = idempotencyKey.map(RandomisationService::idempotencyKeyHash);
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    // Everything that can be read, checked or claimed happens before the stratum's lock.
                    RecruitRow recruit = RecruitmentService.lockVisible(h, user, participantId);
                    if (recruit.randomised()) {
                        // A retry, or a second request for the same recruit: the allocation made before.
                        AllocationRow earlier = null;
                        for (AllocationRow row : h.attach(AllocationDao.class).byPersonOrKey(recruit.personKey(), keyHash.orElse(null))) {
                            if (keyHash.isPresent() && keyHash.get().equals(row.idempotencyKey()) && !row.requestHash().equals(requestHash)) {
                                throw keyReused();
                            }
                            if (row.personKey().equals(recruit.personKey())) {
                                earlier = row;
                            }
                        }
                        return RecruitState.allocated(trial, participantId, java.util.Objects.requireNonNull(earlier, "randomised without an allocation"));
                    }
                    // Not randomised yet. A key already used for another recruit is refused by the
                    // allocation's unique key when it is written (below, and mapped to 422 there).
                    RecruitState state = RecruitState.load(h, trial, recruit);
                    List<String> steps = state.stepsRemaining(trial);
                    if (!steps.isEmpty()) {
                        throw new Conflict("not_ready", "The recruit cannot be randomised yet.",
                                steps.stream().map(s -> new FieldError(s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 2))).toList());
                    }
                    String trialGroup = state.screening().orElseThrow().trialGroup();
                    Stratum stratum = trial.stratumOf(recruit.site(), recruit.area(), trialGroup);
                    // Under minimisation the recruit's levels are read and checked before anything is claimed or locked.
                    Optional<Map<String, String>> levels = trial.minimisation().isPresent()
                            ? Optional.of(minimisationLevels(h, recruit, trialGroup)) : Optional.empty();
                    // Claims the person's identity keys (a second randomisation of the same person fails
                    // here, or waits here for the first to commit) and freezes the baseline contact details.
                    RecruitDao.claimIdentity(h, PersonKeys.of(trial, state.identity().orElseThrow()), recruit.id());
                    if (levels.isPresent()) {
                        return RecruitState.allocated(trial, participantId,
                                minimise(h, user, recruit, trialGroup, stratum, levels.get(), keyHash, requestHash));
                    }

                    // The stratum's next slots, prepared from its state read without a lock.
                    StratumState stratumState = AllocationDao.readStratum(h, stratum.key()).orElseGet(() -> {
                        h.attach(AllocationDao.class).ensureStratum(stratum.key());
                        return AllocationDao.readStratum(h, stratum.key()).orElseThrow();
                    });
                    Instant now = trial.clock().instant().truncatedTo(ChronoUnit.MICROS);
                    List<Allocation> slots = new ArrayList<>(PREPARED_SLOTS);
                    Optional<Allocation> previous = previous(stratum, stratumState);
                    for (int i = 0; i < PREPARED_SLOTS; i++) {
                        Allocation next = trial.randomiser().nextAllocation(trial.design(), stratum, previous, now);
                        slots.add(next);
                        previous = Optional.of(next);
                    }
                    String subject = recruit.personKey().toString();
                    List<AuditLog.Event> events = slots.stream().map(a -> AuditLog.event(now, user.username(), "randomised", subject,
                            Map.of("stratum", stratum.key(), "sequence", a.sequence(), "designVersion", a.designVersion(), "arm", a.arm())))
                            .toList();

                    // The stratum's critical section: one statement that locks, takes the slot, writes and commits.
                    long sequence = AuditLog.bindEnvelope(h.createQuery(AllocationDao.TAKE_SLOT_AND_COMMIT), events.get(0))
                            .bind("stratumKey", stratum.key()).bind("firstSequence", slots.get(0).sequence()).bind("slots", PREPARED_SLOTS)
                            .bind("blockIndexes", texts(slots, a -> a.blockIndex())).bind("blockSizes", texts(slots, a -> a.blockSize()))
                            .bind("positions", texts(slots, a -> a.positionInBlock())).bind("designVersions", texts(slots, a -> a.designVersion()))
                            .bind("arms", texts(slots, Allocation::arm))
                            .bind("details", events.stream().map(AuditLog.Event::details).toArray(String[]::new))
                            .bind("contentHashes", events.stream().map(AuditLog.Event::contentHash).toArray(String[]::new))
                            .bind("personKey", recruit.personKey()).bind("site", recruit.site()).bind("area", recruit.area())
                            .bind("trialGroup", trialGroup).bind("allocatedBy", user.id()).bind("allocatedAt", now)
                            .bind("idempotencyKey", keyHash.orElse(null)).bind("requestHash", requestHash)
                            .map((rs, ctx) -> rs.getLong("sequence")).one();
                    Allocation next = slots.get((int) (sequence - slots.get(0).sequence()));
                    AllocationRow row = new AllocationRow(stratum.key(), next.sequence(), next.blockIndex(), next.blockSize(),
                            next.positionInBlock(), next.designVersion(), next.arm(), recruit.personKey(), recruit.site(),
                            recruit.area(), trialGroup, user.id(), now, keyHash.orElse(null), requestHash);
                    return RecruitState.allocated(trial, participantId, row);
                });
            } catch (UnableToExecuteStatementException e) {
                if (stratumMovedOn(e) && attempt < ATTEMPTS) {
                    continue;
                }
                if (UserService.isUniqueViolation(e)) {
                    String constraint = constraintOf(e);
                    if (constraint.contains("idempotency")) {
                        throw keyReused();
                    }
                    if (constraint.contains("randomised_identity")) {
                        throw new Conflict("duplicate_person", "This person has already been randomised in the trial "
                                + "(same National Insurance number, NHS number, or name, date of birth and postcode). "
                                + "Nobody may be randomised twice: speak to the trial manager.");
                    }
                }
                throw e;
            }
        }
    }

    /**
     * The recruit's level of every minimisation factor, or a 422 {@code minimisation_factor_missing}
     * naming each factor whose answer is missing or not one of the design's levels (a missing-answer
     * code such as -9 is a level only if the design lists it). Reads the answers in one statement.
     */
    private Map<String, String> minimisationLevels(org.jdbi.v3.core.Handle h, RecruitRow recruit, String trialGroup) {
        String[] answers = h.createQuery("""
                SELECT (SELECT answers::text FROM screening WHERE recruit_id = :id ORDER BY id DESC LIMIT 1),
                       (SELECT answers::text FROM baseline WHERE recruit_id = :id)""")
                .bind("id", recruit.id()).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).one();
        Map<String, String> levels = trial.minimisationLevels(recruit.site(), recruit.area(), trialGroup, json(answers[0]), json(answers[1]));
        MinimisationDesign design = trial.minimisation().orElseThrow();
        List<FieldError> missing = new ArrayList<>();
        for (MinimisationFactor factor : design.factors()) {
            String level = levels.get(factor.name());
            if (level == null || factor.indexOf(level) < 0) {
                missing.add(new FieldError(trial.minimisationFactorField(factor.name()), (level == null ? "has no answer" : "is " + level)
                        + ": minimisation factor " + factor.name() + " needs one of its levels " + factor.levels()));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequest("minimisation_factor_missing", "The recruit cannot be randomised: the design minimises over "
                    + design.factorNames() + ", and " + missing.size() + (missing.size() == 1 ? " factor has" : " factors have")
                    + " no level of the design. Correct the answer, or ask the trial statistician.", missing);
        }
        return levels;
    }

    private static Map<String, Object> json(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return RecruitmentService.JSON.readValue(text, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored answers are not JSON", e);
        }
    }

    /**
     * The minimisation stratum's critical section: lock its row (reading its sequence and totals),
     * compute the allocation from the secret, then one statement writes the row's new state, the
     * allocation with its levels and seal, and the audit event, and commits. Two round trips under
     * the lock, none shared with another stratum.
     */
    private AllocationRow minimise(org.jdbi.v3.core.Handle h, TrialUser user, RecruitRow recruit, String trialGroup, Stratum stratum,
            Map<String, String> levels, Optional<String> keyHash, String requestHash) {
        MinimisationDesign design = trial.minimisation().orElseThrow();
        AllocationDao.MinimisationState locked = AllocationDao.lockMinimisationStratum(h, stratum.key()).orElseGet(() -> {
            h.attach(AllocationDao.class).ensureStratum(stratum.key());
            return AllocationDao.lockMinimisationStratum(h, stratum.key()).orElseThrow();
        });
        StratumTotals totals = StratumTotals.of(design, locked.marginalTotals(), locked.lastSequence());
        Instant now = trial.clock().instant().truncatedTo(ChronoUnit.MICROS);
        MinimisedAllocation a = trial.minimiser().allocate(design, stratum, locked.lastSequence() + 1, levels, totals.totals(), now);
        AuditLog.Event event = AuditLog.event(now, user.username(), "randomised", recruit.personKey().toString(),
                Map.of("stratum", stratum.key(), "sequence", a.sequence(), "designVersion", a.designVersion(), "arm", a.arm()));
        AuditLog.bind(h.createQuery(AllocationDao.MINIMISE_AND_COMMIT), event)
                .bind("stratumKey", stratum.key()).bind("sequence", a.sequence()).bind("designVersion", a.designVersion())
                .bind("arm", a.arm()).bind("totals", totals.after(a)).bind("personKey", recruit.personKey())
                .bind("site", recruit.site()).bind("area", recruit.area()).bind("trialGroup", trialGroup)
                .bind("allocatedBy", user.id()).bind("allocatedAt", now).bind("idempotencyKey", keyHash.orElse(null))
                .bind("requestHash", requestHash).bind("factorLevels", StratumTotals.levelsJson(a.levels())).bind("seal", a.seal())
                .map((rs, ctx) -> rs.getLong("sequence")).one();
        return new AllocationRow(stratum.key(), a.sequence(), 0, 0, 0, a.designVersion(), a.arm(), recruit.personKey(),
                recruit.site(), recruit.area(), trialGroup, user.id(), now, keyHash.orElse(null), requestHash);
    }

    private static String[] texts(List<Allocation> slots, java.util.function.Function<Allocation, Object> field) {
        return slots.stream().map(a -> String.valueOf(field.apply(a))).toArray(String[]::new);
    }

    /** What the allocation table holds for an Idempotency-Key. */
    public static String idempotencyKeyHash(String key) {
        return Sha256.hex("idempotency-key:" + key);
    }

    private static InvalidRequest keyReused() {
        return new InvalidRequest("idempotency_key_reused", "This Idempotency-Key was already used for a different "
                + "request. Use a new key for a new randomisation.", List.of(new FieldError("Idempotency-Key", "already used for another recruit")));
    }

    /** The stratum's last allocation, as its locked row carries it. */
    private static Optional<Allocation> previous(Stratum stratum, StratumState state) {
        if (state.lastSequence() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Allocation(stratum, state.lastSequence(), state.lastBlockIndex(), state.lastBlockSize(),
                state.lastPositionInBlock(), state.lastDesignVersion(), state.lastArm()));
    }

    /** The stratum moved past every prepared slot (allocation_slot_taken, release-0.3.0-audit.sql). */
    private static boolean stratumMovedOn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "40001".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String constraintOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                    && p.getServerErrorMessage().getConstraint() != null) {
                return p.getServerErrorMessage().getConstraint();
            }
        }
        return "";
    }
}
