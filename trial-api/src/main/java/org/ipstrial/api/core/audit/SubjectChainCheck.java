package org.ipstrial.api.core.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The check of one subject's own chain, as the audit trail viewer makes it at each request: every
 * event of the chain from its first (position, previous hash, recomputed hash), the head
 * {@code audit_chain} records, and every head of the chain a checkpoint sealed (the event still
 * there with the hash it was sealed with, the checkpoint's own hash intact). Events of the subject
 * written before release 0.3.0 (the shared {@code release-0.2.0} chain) are checked by their own
 * hash and by the link the next event of that chain makes to them. The same rules as
 * {@link AuditVerification}, read only, but for one chain: what it cannot see (a checkpoint's tree
 * head against every other chain's leaves, the checkpoints' order) is the whole log's check,
 * {@code verify-audit}.
 */
public final class SubjectChainCheck {
    private SubjectChainCheck() {}

    /**
     * {@code intact} with its events and how far the newest checkpoint sealing this chain reached,
     * or where it broke: {@code brokenAtSequence} the event (audit_event.seq; null when the fault
     * is at no one event), {@code brokenAtPosition} its position in the chain.
     */
    public record Result(boolean intact, long events, Long sealedThroughPosition, Long checkpoint, long unsealedEvents,
            Long brokenAtSequence, Long brokenAtPosition, String problem) {
        static Result ok(long events, long chainEnd, Long sealedThrough, Long checkpoint) {
            return new Result(true, events, sealedThrough, checkpoint, chainEnd - (sealedThrough == null ? 0 : sealedThrough), null, null, null);
        }

        static Result broken(long events, Long atSequence, Long atPosition, String problem) {
            return new Result(false, events, null, null, 0, atSequence, atPosition, Objects.requireNonNull(problem));
        }
    }

    private record Row(long seq, Long position, int scheme, Instant occurredAt, String actor, String action, String subject,
            String details, String prevHash, String hash) {}

    /** An event of the chain of releases 0.1-0.2; {@code nextPrevious}: the previous hash the next event of that chain names. */
    private record LegacyRow(Row row, String nextPrevious) {}

    private record Leaf(long position, String hash, Long checkpointId, Instant sealedAt, Long treeSize, String rootHash,
            String checkpointPrev, String checkpointHash) {}

    public static Result verify(Handle h, String subject) {
        List<Row> rows = h.createQuery("""
                SELECT seq, chain_seq, scheme, occurred_at, actor, action, subject, details, prev_hash, hash
                FROM audit_event WHERE chain = :subject AND chain_seq IS NOT NULL ORDER BY chain_seq""")
                .bind("subject", subject).map((rs, ctx) -> new Row(rs.getLong("seq"), rs.getLong("chain_seq"), rs.getInt("scheme"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"), rs.getString("action"),
                        rs.getString("subject"), rs.getString("details"), rs.getString("prev_hash"), rs.getString("hash")))
                .list();
        long expected = 1;
        String previous = AuditLog.GENESIS;
        for (Row row : rows) {
            String where = "event " + row.position() + " of the recruit's chain";
            if (row.position() != expected) {
                return Result.broken(rows.size(), row.seq(), expected, "event " + expected
                        + " of the recruit's chain is missing (the chain goes on at event " + row.position() + ")");
            }
            if (!row.prevHash().equals(previous)) {
                return Result.broken(rows.size(), row.seq(), row.position(), where + " does not follow the previous event's hash");
            }
            String recomputed = AuditLog.chainedHash(row.prevHash(), subject, row.position(),
                    AuditLog.contentHash(row.occurredAt(), row.actor(), row.action(), row.subject(), row.details()));
            if (!recomputed.equals(row.hash())) {
                return Result.broken(rows.size(), row.seq(), row.position(), where
                        + ": its content does not match its hash (changed after it was written)");
            }
            previous = row.hash();
            expected++;
        }
        long last = expected - 1;
        var head = h.createQuery("SELECT seq, hash FROM audit_chain WHERE chain = :subject").bind("subject", subject)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).findOne();
        if (head.isPresent() || !rows.isEmpty()) {
            long headPosition = head.map(x -> (Long) x[0]).orElse(0L);
            if (head.isEmpty() || headPosition != last || !head.get()[1].equals(previous)) {
                Long lastSeq = rows.isEmpty() ? null : rows.get(rows.size() - 1).seq();
                return Result.broken(rows.size(), lastSeq, last == 0 ? null : last, "the head of the recruit's chain names event "
                        + (head.isEmpty() ? "none" : headPosition) + " but the chain ends at event " + last);
            }
        }

        List<Leaf> leaves = h.createQuery("""
                SELECT l.seq, l.hash, c.id, c.sealed_at, c.tree_size, c.root_hash, c.prev_hash AS checkpoint_prev, c.hash AS checkpoint_hash
                FROM audit_seal_leaf l LEFT JOIN audit_checkpoint c ON c.id = l.checkpoint_id
                WHERE l.chain = :subject ORDER BY l.leaf_index""").bind("subject", subject)
                .map((rs, ctx) -> {
                    long id = rs.getLong("id");
                    boolean none = rs.wasNull();
                    OffsetDateTime sealedAt = rs.getObject("sealed_at", OffsetDateTime.class);
                    return new Leaf(rs.getLong("seq"), rs.getString("hash"), none ? null : id, sealedAt == null ? null : sealedAt.toInstant(),
                            none ? null : rs.getLong("tree_size"), rs.getString("root_hash"), rs.getString("checkpoint_prev"),
                            rs.getString("checkpoint_hash"));
                }).list();
        Long sealedThrough = null;
        Long checkpoint = null;
        for (Leaf leaf : leaves) {
            if (leaf.checkpointId() == null) {
                return Result.broken(rows.size(), null, leaf.position(), "the sealed head at event " + leaf.position()
                        + " of the recruit's chain belongs to no checkpoint");
            }
            String name = "checkpoint " + leaf.checkpointId();
            if (leaf.position() > last) {
                return Result.broken(rows.size(), null, leaf.position(), "event " + leaf.position() + " of the recruit's chain, sealed in "
                        + name + ", is missing (the newest events of the chain were removed?)");
            }
            Row event = rows.get((int) leaf.position() - 1);
            if (!event.hash().equals(leaf.hash())) {
                return Result.broken(rows.size(), event.seq(), leaf.position(), "event " + leaf.position()
                        + " of the recruit's chain does not have the hash it was sealed with in " + name);
            }
            if (!leaf.checkpointHash().equals(AuditVerification.checkpointHash(leaf.checkpointId(), leaf.sealedAt(), leaf.treeSize(),
                    leaf.rootHash(), leaf.checkpointPrev()))) {
                return Result.broken(rows.size(), null, leaf.position(), name + ", which sealed event " + leaf.position()
                        + " of the recruit's chain, was changed");
            }
            sealedThrough = sealedThrough == null ? leaf.position() : Math.max(sealedThrough, leaf.position());
            checkpoint = leaf.checkpointId();
        }

        // Events of this subject from before release 0.3.0, in the one chain of that time.
        List<LegacyRow> legacy = h.createQuery("""
                SELECT seq, occurred_at, actor, action, subject, details, prev_hash, hash,
                       (SELECT n.prev_hash FROM audit_event n WHERE n.scheme = 1 AND n.seq > e.seq ORDER BY n.seq LIMIT 1) AS next_prev
                FROM audit_event e WHERE scheme = 1 AND subject = :subject ORDER BY seq""").bind("subject", subject)
                .map((rs, ctx) -> new LegacyRow(new Row(rs.getLong("seq"), null, 1, rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details"),
                        rs.getString("prev_hash"), rs.getString("hash")), rs.getString("next_prev")))
                .list();
        long events = rows.size() + legacy.size();
        for (LegacyRow old : legacy) {
            Row row = old.row();
            String recomputed = AuditLog.legacyHash(row.seq(), row.occurredAt(), row.actor(), row.action(), row.subject(), row.details(),
                    row.prevHash());
            if (!recomputed.equals(row.hash())) {
                return Result.broken(events, row.seq(), null, "event " + row.seq()
                        + " (written before release 0.3.0): its content does not match its hash (changed after it was written)");
            }
            if (old.nextPrevious() != null && !old.nextPrevious().equals(row.hash())) {
                return Result.broken(events, row.seq(), null, "event " + row.seq()
                        + " (written before release 0.3.0): the next event of that chain does not follow its hash");
            }
        }
        return Result.ok(events, last, sealedThrough, checkpoint);
    }
}
