package org.ipstrial.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The allocation log (append-only) and the per-stratum lock rows. */
@RegisterConstructorMapper(AllocationDao.AllocationRow.class)
public interface AllocationDao {
    record AllocationRow(String stratumKey, long sequence, long blockIndex, int blockSize, int positionInBlock,
            int designVersion, String arm, UUID personKey, String site, String area, String trialGroup,
            long allocatedBy, Instant allocatedAt, String idempotencyKey, String requestHash) {}

    String COLUMNS = """
            stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm, person_key,
            site, area, trial_group, allocated_by, allocated_at, idempotency_key, request_hash""";

    /** A stratum's last allocation as its lock row carries it; {@code lastSequence} 0 when it has none. */
    record StratumState(String stratumKey, long lastSequence, Long lastBlockIndex, Integer lastBlockSize,
            Integer lastPositionInBlock, Integer lastDesignVersion, String lastArm) {}

    @SqlUpdate("INSERT INTO stratum_lock (stratum_key) VALUES (:stratumKey) ON CONFLICT DO NOTHING")
    void ensureStratum(String stratumKey);

    /** Earlier allocations of this person, or under this Idempotency-Key (either may be another person's): at most two rows. */
    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE person_key = :personKey OR idempotency_key = :key")
    List<AllocationRow> byPersonOrKey(UUID personKey, String key);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE person_key = :personKey")
    Optional<AllocationRow> byPerson(UUID personKey);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation ORDER BY stratum_key, sequence")
    List<AllocationRow> all();

    RowMapper<StratumState> STRATUM_STATE = ConstructorMapper.of(StratumState.class);

    /** The stratum's state without a lock: what the next slots are prepared from (run without attaching the DAO). */
    static Optional<StratumState> readStratum(Handle h, String stratumKey) {
        return h.createQuery("""
                SELECT stratum_key, last_sequence, last_block_index, last_block_size, last_position_in_block, last_design_version, last_arm
                FROM stratum_lock WHERE stratum_key = :stratumKey""").bind("stratumKey", stratumKey).map(STRATUM_STATE).findOne();
    }

    /**
     * The stratum's critical section in one round trip. The service prepares the stratum's next
     * slots (sequence {@code firstSequence}, then one more each) from its state read without a lock.
     * This statement locks the stratum's row by updating it: after waiting for the lock, PostgreSQL
     * evaluates the update on the row as the transaction it waited for committed it, so the slot
     * taken is the one that follows the state found there. It inserts the allocation and its audit
     * event from that slot, and commits: the lock is held for the rest of this statement and the
     * commit, with no round trip to the service in between. Prepared slots are bound as text arrays,
     * element i of each being slot i; the event's chain, actor and time with
     * {@code AuditLog.bindEnvelope}. {@code allocation_slot_taken} stops the statement, and its
     * commit, if the stratum had moved past every prepared slot.
     */
    String TAKE_SLOT_AND_COMMIT = """
            WITH slot AS (
                UPDATE stratum_lock s SET last_sequence = s.last_sequence + 1,
                    last_block_index = (CAST(CAST(:blockIndexes AS text[]) AS bigint[]))[s.last_sequence + 2 - :firstSequence],
                    last_block_size = (CAST(CAST(:blockSizes AS text[]) AS integer[]))[s.last_sequence + 2 - :firstSequence],
                    last_position_in_block = (CAST(CAST(:positions AS text[]) AS integer[]))[s.last_sequence + 2 - :firstSequence],
                    last_design_version = (CAST(CAST(:designVersions AS text[]) AS integer[]))[s.last_sequence + 2 - :firstSequence],
                    last_arm = (CAST(:arms AS text[]))[s.last_sequence + 2 - :firstSequence]
                WHERE s.stratum_key = :stratumKey AND s.last_sequence + 1 >= :firstSequence
                  AND s.last_sequence + 1 < :firstSequence + :slots
                RETURNING s.last_sequence AS sequence, s.last_block_index AS block_index, s.last_block_size AS block_size,
                    s.last_position_in_block AS position_in_block, s.last_design_version AS design_version, s.last_arm AS arm,
                    (CAST(:details AS text[]))[s.last_sequence + 1 - :firstSequence] AS details,
                    (CAST(:contentHashes AS text[]))[s.last_sequence + 1 - :firstSequence] AS content_hash),
            allocated AS (
                INSERT INTO allocation (""" + COLUMNS + """
            )
                SELECT :stratumKey, sequence, block_index, block_size, position_in_block, design_version, arm, :personKey, :site,
                    :area, :trialGroup, :allocatedBy, :allocatedAt, :idempotencyKey, :requestHash
                FROM slot RETURNING sequence),
            """ + org.ipstrial.api.core.audit.AuditLog.appendCtesFrom("SELECT content_hash, details FROM slot") + """
            SELECT allocation_slot_taken((SELECT max(sequence) FROM allocated)) AS sequence, (SELECT count(*) FROM audit_row) AS events;
            COMMIT""";

    /** A minimised allocation as recorded: what {@code MinimisationVerifier} and the predictability replay read. */
    record MinimisedRow(String stratumKey, long sequence, int designVersion, String factorLevels, String arm, Instant allocatedAt,
            String seal) {}

    /** Every minimised allocation, levels as JSON text, in stratum and sequence order. */
    @SqlQuery("SELECT stratum_key, sequence, design_version, factor_levels::text AS factor_levels, arm, allocated_at, seal "
            + "FROM allocation WHERE seal IS NOT NULL ORDER BY stratum_key, sequence")
    @RegisterConstructorMapper(MinimisedRow.class)
    List<MinimisedRow> minimised();

    /** A minimisation stratum's state, read under its row's lock: its last sequence and its totals (null before the first). */
    record MinimisationState(long lastSequence, Long[] marginalTotals) {}

    /** Locks a minimisation stratum's row for the rest of the transaction and reads its state. */
    static Optional<MinimisationState> lockMinimisationStratum(Handle h, String stratumKey) {
        return h.createQuery("SELECT last_sequence, marginal_totals FROM stratum_lock WHERE stratum_key = :stratumKey FOR UPDATE")
                .bind("stratumKey", stratumKey)
                .map((rs, ctx) -> new MinimisationState(rs.getLong(1),
                        rs.getArray(2) == null ? null : (Long[]) rs.getArray(2).getArray()))
                .findOne();
    }

    /**
     * The rest of a minimisation stratum's critical section, in one round trip: the stratum's row
     * (locked by {@link #lockMinimisationStratum}) takes the new sequence and totals, the
     * allocation and its audit event are inserted, and the transaction commits. Bind the event with
     * {@code AuditLog.bind}; totals as a text array in the design's order. The sequence check
     * backs the lock: were the row not at {@code :sequence - 1}, nothing is written and
     * {@code allocation_slot_taken} stops the statement.
     */
    String MINIMISE_AND_COMMIT = """
            WITH slot AS (
                UPDATE stratum_lock s SET last_sequence = :sequence, last_design_version = :designVersion, last_arm = :arm,
                    marginal_totals = CAST(CAST(:totals AS text[]) AS bigint[])
                WHERE s.stratum_key = :stratumKey AND s.last_sequence = :sequence - 1
                RETURNING s.last_sequence AS sequence),
            allocated AS (
                INSERT INTO allocation (stratum_key, sequence, design_version, arm, person_key, site, area, trial_group, allocated_by,
                    allocated_at, idempotency_key, request_hash, factor_levels, seal)
                SELECT :stratumKey, sequence, :designVersion, :arm, :personKey, :site, :area, :trialGroup, :allocatedBy,
                    :allocatedAt, :idempotencyKey, :requestHash, CAST(:factorLevels AS jsonb), :seal
                FROM slot RETURNING sequence),
            """ + org.ipstrial.api.core.audit.AuditLog.APPEND_CTES + """
            SELECT allocation_slot_taken((SELECT max(sequence) FROM allocated)) AS sequence, (SELECT count(*) FROM audit_row) AS events;
            COMMIT""";
}
