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

    @SqlUpdate("INSERT INTO stratum_lock (stratum_key) VALUES (:stratumKey) ON CONFLICT DO NOTHING")
    void ensureStratum(String stratumKey);

    @SqlQuery("SELECT stratum_key FROM stratum_lock WHERE stratum_key = :stratumKey FOR UPDATE")
    String lockStratum(String stratumKey);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE stratum_key = :stratumKey ORDER BY sequence DESC LIMIT 1")
    Optional<AllocationRow> lastInStratum(String stratumKey);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE person_key = :personKey")
    Optional<AllocationRow> byPerson(UUID personKey);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation WHERE idempotency_key = :key")
    Optional<AllocationRow> byIdempotencyKey(String key);

    @SqlQuery("SELECT " + COLUMNS + " FROM allocation ORDER BY stratum_key, sequence")
    List<AllocationRow> all();

    @SqlUpdate("INSERT INTO allocation (" + COLUMNS + ") VALUES (:stratumKey, :sequence, :blockIndex, :blockSize, "
            + ":positionInBlock, :designVersion, :arm, :personKey, :site, :area, :trialGroup, :allocatedBy, :allocatedAt, "
            + ":idempotencyKey, :requestHash)")
    void insert(@BindMethods AllocationRow row);
}
