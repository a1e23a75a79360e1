package org.ipstrial.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    /**
     * Locks the stratum's row to commit and reads its last allocation from that row: after waiting
     * for the lock, PostgreSQL returns the row as the transaction it waited for committed it.
     */
    @SqlQuery("""
            SELECT stratum_key, last_sequence, last_block_index, last_block_size, last_position_in_block, last_design_version, last_arm
            FROM stratum_lock WHERE stratum_key = :stratumKey FOR UPDATE""")
    @RegisterConstructorMapper(StratumState.class)
    Optional<StratumState> lockStratum(String stratumKey);

    /** Earlier allocations of this person, or under this Idempotency-Key (either may be another person's): at most two rows. */
    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE person_key = :personKey OR idempotency_key = :key")
    List<AllocationRow> byPersonOrKey(UUID personKey, String key);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE person_key = :personKey")
    Optional<AllocationRow> byPerson(UUID personKey);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation ORDER BY stratum_key, sequence")
    List<AllocationRow> all();

    /**
     * The allocation, its stratum row's new state and its audit event, in one statement: with the
     * stratum locked just before, the lock is held for this statement and the commit only.
     */
    String INSERT_WITH_AUDIT = "WITH stratum AS (UPDATE stratum_lock SET last_sequence = :sequence, last_block_index = :blockIndex, "
            + "last_block_size = :blockSize, last_position_in_block = :positionInBlock, last_design_version = :designVersion, "
            + "last_arm = :arm WHERE stratum_key = :stratumKey AND last_sequence = :sequence - 1 RETURNING stratum_key), "
            + "allocated AS (INSERT INTO allocation (" + COLUMNS + ") SELECT :stratumKey, :sequence, :blockIndex, :blockSize, "
            + ":positionInBlock, :designVersion, :arm, :personKey, :site, :area, :trialGroup, :allocatedBy, :allocatedAt, "
            + ":idempotencyKey, :requestHash FROM stratum RETURNING id), "
            + org.ipstrial.api.core.audit.AuditLog.APPEND_CTES
            + " SELECT (SELECT count(*) FROM allocated) FROM audit_row";
}
