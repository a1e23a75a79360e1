package org.ipstrial.api.core.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.core.audit.AuditLog.ChainCheck;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * One pass of {@code verify-audit}: (1) every chain, event by event in its own order, from the
 * genesis hash to the head recorded in audit_chain; (2) every checkpoint in order: its leaves are
 * events that still exist with the hash they were sealed with, its tree head is the Merkle tree of
 * all leaves so far, and it follows the previous checkpoint's hash. Streams the events; holds one
 * head per chain in memory.
 */
final class AuditVerification {
    private record Position(long seq, String hash) {}

    private record EventRow(long seq, String chain, int scheme, Long chainSeq, Instant occurredAt, String actor, String action,
            String subject, String details, String prevHash, String hash) {
        long position() {
            return scheme == 1 ? seq : chainSeq;
        }
    }

    private record LeafRow(long leafIndex, long checkpointId, String chain, long seq, String hash, String eventHash, Long eventSeq) {}

    private record CheckpointRow(long id, Instant sealedAt, long treeSize, String rootHash, String prevHash, String hash) {}

    /** Rows fetched at a time (inside a transaction; outside one, PostgreSQL's driver reads a whole result). */
    private static final int FETCH = 10_000;
    private final Handle handle;

    AuditVerification(Handle handle) {
        this.handle = handle;
    }

    /** A checkpoint's own hash: it covers its number, time, tree size and head, and the previous checkpoint. */
    static String checkpointHash(long id, Instant sealedAt, long treeSize, String rootHash, String prevHash) {
        return Sha256.hex(String.join("\n", Long.toString(id), DateTimeFormatter.ISO_INSTANT.format(sealedAt),
                Long.toString(treeSize), rootHash, prevHash));
    }

    ChainCheck run() {
        Map<String, Position> recorded = new HashMap<>();
        handle.createQuery("SELECT chain, seq, hash FROM audit_chain").map((rs, ctx) -> {
            recorded.put(rs.getString(1), new Position(rs.getLong(2), rs.getString(3)));
            return null;
        }).forEach(x -> {});

        // 1. Every chain from its first event.
        Map<String, Position> heads = new HashMap<>();
        long events = 0;
        String chain = null;
        long expected = 0;
        String previous = AuditLog.GENESIS;
        long lastSeq = 0;
        try (ResultIterator<EventRow> rows = handle.createQuery("""
                SELECT seq, chain, scheme, chain_seq, occurred_at, actor, action, subject, details, prev_hash, hash
                FROM audit_event ORDER BY chain COLLATE "C", coalesce(chain_seq, seq)""").setFetchSize(FETCH)
                .map(AuditVerification::event).iterator()) {
            while (rows.hasNext()) {
                EventRow row = rows.next();
                if (!row.chain().equals(chain)) {
                    if (chain != null) {
                        ChainCheck end = endOfChain(chain, expected - 1, previous, lastSeq, recorded, heads);
                        if (end != null) {
                            return end;
                        }
                    }
                    chain = row.chain();
                    expected = 1;
                    previous = AuditLog.GENESIS;
                }
                String where = "event " + row.position() + " of chain " + row.chain();
                if (row.position() != expected) {
                    return new ChainCheck.Broken(row.seq(), "event " + expected + " of chain " + row.chain()
                            + " is missing (the chain goes on at event " + row.position() + ")");
                }
                if (!row.prevHash().equals(previous)) {
                    return new ChainCheck.Broken(row.seq(), where + " does not follow the previous event's hash");
                }
                String recomputed = row.scheme() == 1
                        ? AuditLog.legacyHash(row.seq(), row.occurredAt(), row.actor(), row.action(), row.subject(), row.details(), row.prevHash())
                        : AuditLog.chainedHash(row.prevHash(), row.chain(), row.position(),
                                AuditLog.contentHash(row.occurredAt(), row.actor(), row.action(), row.subject(), row.details()));
                if (!recomputed.equals(row.hash())) {
                    return new ChainCheck.Broken(row.seq(), where + ": its content does not match its hash (changed after it was written)");
                }
                previous = row.hash();
                lastSeq = row.seq();
                expected++;
                events++;
            }
        }
        if (chain != null) {
            ChainCheck end = endOfChain(chain, expected - 1, previous, lastSeq, recorded, heads);
            if (end != null) {
                return end;
            }
        }
        for (String c : recorded.keySet()) {
            if (!heads.containsKey(c)) {
                return new ChainCheck.Broken(0, "the head of chain " + c + " names event " + recorded.get(c).seq()
                        + " but the chain has no events");
            }
        }

        // 2. Every checkpoint from the first, with its leaves.
        MerkleTree tree = new MerkleTree();
        Map<String, Long> sealed = new HashMap<>();
        String previousCheckpoint = AuditLog.GENESIS;
        String treeHead = tree.head();
        long checkpoints = 0;
        try (ResultIterator<CheckpointRow> checkpointRows = handle.createQuery(
                "SELECT id, sealed_at, tree_size, root_hash, prev_hash, hash FROM audit_checkpoint ORDER BY id")
                .setFetchSize(FETCH).map(AuditVerification::checkpoint).iterator();
             ResultIterator<LeafRow> leaves = handle.createQuery("""
                SELECT l.leaf_index, l.checkpoint_id, l.chain, l.seq, l.hash,
                       coalesce(e.hash, legacy.hash) AS event_hash, coalesce(e.seq, legacy.seq) AS event_seq
                FROM audit_seal_leaf l
                LEFT JOIN audit_event e ON e.chain = l.chain AND e.chain_seq = l.seq
                LEFT JOIN audit_event legacy ON legacy.scheme = 1 AND l.chain = legacy.chain AND legacy.seq = l.seq
                ORDER BY l.leaf_index""").setFetchSize(FETCH).map(AuditVerification::leaf).iterator()) {
            LeafRow pending = leaves.hasNext() ? leaves.next() : null;
            while (checkpointRows.hasNext()) {
                CheckpointRow checkpoint = checkpointRows.next();
                checkpoints++;
                String name = "checkpoint " + checkpoint.id();
                if (checkpoint.id() != checkpoints) {
                    return new ChainCheck.Broken(0, "checkpoint " + checkpoints + " is missing");
                }
                while (pending != null && pending.checkpointId() == checkpoint.id()) {
                    if (pending.leafIndex() != tree.size()) {
                        return new ChainCheck.Broken(0, "sealed head " + tree.size() + " is missing from " + name);
                    }
                    if (pending.eventHash() == null) {
                        return new ChainCheck.Broken(0, "event " + pending.seq() + " of chain " + pending.chain() + ", sealed in " + name
                                + ", is missing (the newest events of the chain were removed?)");
                    }
                    if (!pending.eventHash().equals(pending.hash())) {
                        return new ChainCheck.Broken(pending.eventSeq(), "event " + pending.seq() + " of chain " + pending.chain()
                                + " does not have the hash it was sealed with in " + name);
                    }
                    tree.append(MerkleTree.leaf(pending.chain(), pending.seq(), pending.hash()));
                    sealed.merge(pending.chain(), pending.seq(), Math::max);
                    pending = leaves.hasNext() ? leaves.next() : null;
                }
                treeHead = tree.head();
                if (checkpoint.treeSize() != tree.size() || !checkpoint.rootHash().equals(treeHead)) {
                    return new ChainCheck.Broken(0, name + " does not match its sealed heads (tree of " + tree.size()
                            + " leaves, checkpoint says " + checkpoint.treeSize() + ")");
                }
                if (!checkpoint.prevHash().equals(previousCheckpoint) || !checkpoint.hash().equals(checkpointHash(checkpoint.id(),
                        checkpoint.sealedAt(), checkpoint.treeSize(), checkpoint.rootHash(), checkpoint.prevHash()))) {
                    return new ChainCheck.Broken(0, name + " was changed or does not follow the previous checkpoint");
                }
                previousCheckpoint = checkpoint.hash();
            }
            if (pending != null) {
                return new ChainCheck.Broken(0, "sealed head " + pending.leafIndex() + " belongs to no checkpoint");
            }
        }
        long unsealed = 0;
        for (Map.Entry<String, Position> head : heads.entrySet()) {
            unsealed += head.getValue().seq() - sealed.getOrDefault(head.getKey(), 0L);
        }
        return new ChainCheck.Intact(events, treeHead, heads.size(), checkpoints, unsealed);
    }

    private static ChainCheck endOfChain(String chain, long last, String hash, long lastSeq, Map<String, Position> recorded,
            Map<String, Position> heads) {
        Position head = recorded.get(chain);
        if (head == null || head.seq() != last || !head.hash().equals(hash)) {
            return new ChainCheck.Broken(lastSeq, "the head of chain " + chain + " names event " + (head == null ? "none" : head.seq())
                    + " but the chain ends at event " + last);
        }
        heads.put(chain, head);
        return null;
    }

    private static EventRow event(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        long chainSeq = rs.getLong("chain_seq");
        return new EventRow(rs.getLong("seq"), rs.getString("chain"), rs.getInt("scheme"), rs.wasNull() ? null : chainSeq,
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("details"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static LeafRow leaf(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        long eventSeq = rs.getLong("event_seq");
        return new LeafRow(rs.getLong("leaf_index"), rs.getLong("checkpoint_id"), rs.getString("chain"), rs.getLong("seq"),
                rs.getString("hash"), rs.getString("event_hash"), rs.wasNull() ? null : eventSeq);
    }

    private static CheckpointRow checkpoint(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new CheckpointRow(rs.getLong("id"), rs.getObject("sealed_at", OffsetDateTime.class).toInstant(), rs.getLong("tree_size"),
                rs.getString("root_hash"), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
