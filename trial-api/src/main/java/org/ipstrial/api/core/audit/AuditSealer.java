package org.ipstrial.api.core.audit;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals the audit chains after commit, as transparency logs sequence their entries in batches:
 * every interval it takes the chain heads committed since the last checkpoint from the queue
 * audit_unsealed, appends one leaf per chain (its newest position and hash) to the Merkle tree of
 * all sealed heads, and writes a checkpoint with the new tree head, chained to the previous
 * checkpoint by hash. Writers never wait for it: it locks nothing they lock. Several instances
 * may run a sealer; a transaction-scoped advisory lock lets one seal at a time.
 */
public final class AuditSealer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);
    /** Any fixed number: the advisory lock only sealers take. */
    private static final long SEALER_LOCK = 0x5ea1_a0d1_7L;

    /** One checkpoint written. */
    public record Checkpoint(long id, long treeSize, String treeHead, int sealedHeads) {}

    private record Head(String chain, long seq, String hash) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    /** The tree as of the newest checkpoint this sealer has seen; only touched under the advisory lock. */
    private MerkleTree tree = new MerkleTree();
    private String treeHead = tree.head();

    public AuditSealer(Jdbi jdbi, Clock clock, Duration interval) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-sealer");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::sealQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
        sealQuietly();
    }

    private void sealQuietly() {
        try {
            seal();
        } catch (RuntimeException e) {
            // The database may be away (a restart, a failover): the heads wait in the queue.
            LOG.warn("Could not seal the audit chains this time ({}); trying again in {}", e.getClass().getSimpleName(), interval);
        }
    }

    /** Seals what has been committed since the last checkpoint; empty when nothing was. */
    public synchronized Optional<Checkpoint> seal() {
        record Sealed(Checkpoint checkpoint, MerkleTree tree) {}
        Optional<Sealed> sealed = jdbi.inTransaction(h -> {
            h.execute("SELECT pg_advisory_xact_lock(?)", SEALER_LOCK);
            var last = h.createQuery("SELECT id, tree_size, root_hash, hash FROM audit_checkpoint ORDER BY id DESC LIMIT 1")
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)}).findOne();
            long lastId = last.map(r -> (Long) r[0]).orElse(0L);
            long lastSize = last.map(r -> (Long) r[1]).orElse(0L);
            String lastHash = last.map(r -> (String) r[3]).orElse(AuditLog.GENESIS);
            MerkleTree current = catchUp(h, lastSize, last.map(r -> (String) r[2]).orElse(new MerkleTree().head()));
            List<Head> queued = h.createQuery("DELETE FROM audit_unsealed RETURNING chain, seq, hash")
                    .map((rs, ctx) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3))).list();
            if (queued.isEmpty()) {
                return Optional.<Sealed>empty();
            }
            // One leaf per chain, its newest head; in chain order so the tree does not depend on commit order.
            Map<String, Head> newest = new TreeMap<>();
            for (Head head : queued) {
                newest.merge(head.chain(), head, (a, b) -> a.seq() >= b.seq() ? a : b);
            }
            long id = lastId + 1;
            Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            PreparedBatch leaves = h.prepareBatch("""
                    INSERT INTO audit_seal_leaf (leaf_index, checkpoint_id, chain, seq, hash)
                    VALUES (:leafIndex, :checkpointId, :chain, :seq, :hash)""");
            for (Head head : newest.values()) {
                leaves.bind("leafIndex", current.size()).bind("checkpointId", id).bind("chain", head.chain())
                        .bind("seq", head.seq()).bind("hash", head.hash()).add();
                current.append(MerkleTree.leaf(head.chain(), head.seq(), head.hash()));
            }
            String root = current.head();
            h.createUpdate("""
                    INSERT INTO audit_checkpoint (id, sealed_at, tree_size, root_hash, prev_hash, hash)
                    VALUES (:id, :sealedAt, :treeSize, :root, :prev, :hash)""")
                    .bind("id", id).bind("sealedAt", sealedAt).bind("treeSize", current.size()).bind("root", root)
                    .bind("prev", lastHash).bind("hash", AuditVerification.checkpointHash(id, sealedAt, current.size(), root, lastHash))
                    .execute();
            leaves.execute();
            return Optional.of(new Sealed(new Checkpoint(id, current.size(), root, newest.size()), current));
        });
        sealed.ifPresent(s -> {
            tree = s.tree();
            treeHead = s.checkpoint().treeHead();
        });
        return sealed.map(Sealed::checkpoint);
    }

    /**
     * The tree as of the newest checkpoint: this sealer's own if it wrote that one, else extended
     * by the leaves another instance sealed since (leaves are append-only), else read from the start.
     */
    private MerkleTree catchUp(Handle h, long size, String head) {
        MerkleTree copy = tree.copy();
        if (copy.size() > size) {
            copy = new MerkleTree();
        }
        extend(h, copy, size);
        if (!copy.head().equals(head)) {
            copy = new MerkleTree();
            extend(h, copy, size);
        }
        if (!copy.head().equals(head)) {
            throw new IllegalStateException("the newest audit checkpoint does not match its sealed heads: run verify-audit");
        }
        return copy;
    }

    private static void extend(Handle h, MerkleTree tree, long size) {
        h.createQuery("SELECT chain, seq, hash FROM audit_seal_leaf WHERE leaf_index >= :from AND leaf_index < :to ORDER BY leaf_index")
                .bind("from", tree.size()).bind("to", size).setFetchSize(10_000)
                .map((rs, ctx) -> MerkleTree.leaf(rs.getString(1), rs.getLong(2), rs.getString(3)))
                .forEach(tree::append);
    }

    /** For logs and the health page: the tree head of the newest checkpoint this instance wrote. */
    public String treeHead() {
        return treeHead;
    }
}
