package org.ipstrial.api.db;

import java.time.Instant;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AuditDao.AuditRow.class)
@RegisterConstructorMapper(AuditDao.Head.class)
public interface AuditDao {
    record AuditRow(long seq, Instant occurredAt, String actor, String action, String subject, String details,
            String prevHash, String hash) {}

    record Head(long seq, String hash) {}

    @SqlQuery("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
    Head lockHead();

    @SqlQuery("SELECT seq, hash FROM audit_head WHERE id = 1")
    Head head();

    @SqlUpdate("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
    void moveHead(long seq, String hash);

    @SqlUpdate("""
            INSERT INTO audit_event (seq, occurred_at, actor, action, subject, details, prev_hash, hash)
            VALUES (:seq, :occurredAt, :actor, :action, :subject, :details, :prevHash, :hash)""")
    void insert(@BindMethods AuditRow row);

    @SqlQuery("SELECT seq, occurred_at, actor, action, subject, details, prev_hash, hash FROM audit_event ORDER BY seq")
    Stream<AuditRow> all();
}
