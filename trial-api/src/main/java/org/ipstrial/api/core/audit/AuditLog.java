package org.ipstrial.api.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.ipstrial.api.core.Sha256;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The append-only, tamper-evident audit log: one hash chain per subject (a recruit's person key,
 * {@code user:ID}, {@code design:NAME}, {@code export}), each event written in the same transaction
 * as the change it records, and checkpoints ({@link AuditSealer}) that seal every chain's head
 * after commit into one Merkle tree, so that the removal of a chain's newest events is found too.
 * An append locks only its own chain's head: a recruit's events were serialised by the recruit
 * row already, so no lock is shared by all writers. Subjects are opaque keys: identifiers never
 * appear in clear. See docs/security.md#the-audit-log.
 *
 * <p>An event's hash (scheme 2) is SHA-256 of {@code previous hash, chain, position, content hash}
 * joined by newlines, where the content hash is SHA-256 of {@code time, actor, action, subject,
 * details}. The content hash is computed here; the chained hash by PostgreSQL in the appending
 * statement itself, from the head it locks, so an append is one round trip.
 */
public final class AuditLog {
    public static final String GENESIS = "0".repeat(64);
    /** Events written before release 0.3.0: one chain for everything, verified by the old rule. */
    static final String LEGACY_CHAIN = "release-0.2.0";
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static String chainedHashSql(String previous, String chain, String position, String contentHash) {
        return "encode(sha256(convert_to(" + previous + " || E'\\n' || " + chain + " || E'\\n' || (" + position
                + ")::text || E'\\n' || " + contentHash + ", 'UTF8')), 'hex')";
    }

    /**
     * The append, after a CTE named {@code audit_content} that gives the event's content hash and
     * details (one row; none: nothing is appended): locks and moves the chain's head, inserts the
     * event, queues the head for sealing. Binds {@code :auditChain, :auditGenesis, :auditAt,
     * :auditActor, :auditAction, :auditSubject} ({@link #bindEnvelope}).
     */
    private static final String CHAIN_CTES = """
            audit_head AS (
                INSERT INTO audit_chain AS c (chain, seq, prev_hash, hash)
                SELECT :auditChain, 1, :auditGenesis, %s FROM audit_content a
                ON CONFLICT (chain) DO UPDATE SET seq = c.seq + 1, prev_hash = c.hash, hash = %s
                RETURNING c.chain, c.seq, c.prev_hash, c.hash),
            audit_row AS (
                INSERT INTO audit_event (chain, chain_seq, scheme, occurred_at, actor, action, subject, details, prev_hash, hash)
                SELECT h.chain, h.seq, 2, :auditAt, :auditActor, :auditAction, :auditSubject,
                       (SELECT details FROM audit_content), h.prev_hash, h.hash
                FROM audit_head h
                RETURNING seq),
            audit_queue AS (
                INSERT INTO audit_unsealed (chain, seq, hash) SELECT chain, seq, hash FROM audit_head)
            """.formatted(chainedHashSql(":auditGenesis", ":auditChain", "1", "a.content_hash"),
                    chainedHashSql("c.hash", "c.chain", "c.seq + 1", "(SELECT content_hash FROM audit_content)"));

    /**
     * The append as data-modifying common table expressions, to put in front of a writing
     * statement's own ({@code WITH <domain CTEs>, } + this + {@code  SELECT ...}), so the change and
     * its event are one statement. Bind with {@link #bind}. {@code audit_row} returns the event's seq.
     */
    public static final String APPEND_CTES = """
            audit_content AS (SELECT CAST(:auditContentHash AS text) AS content_hash, CAST(:auditDetails AS text) AS details),
            """ + CHAIN_CTES;

    /**
     * The append for a statement that chooses its event among several prepared ones: {@code content}
     * is a query giving {@code content_hash, details} of the chosen event (one row).
     */
    public static String appendCtesFrom(String content) {
        return "audit_content AS (" + content + "),\n" + CHAIN_CTES;
    }

    private AuditLog() {}

    /** One event, with the fields its hash covers. Its chain is its subject's. */
    public record Event(Instant occurredAt, String actor, String action, String subject, String details) {
        public Event {
            occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        }

        public String chain() {
            return subject;
        }

        public String contentHash() {
            return AuditLog.contentHash(occurredAt, actor, action, subject, details);
        }
    }

    public static Event event(Instant at, String actor, String action, String subject, Map<String, ?> details) {
        return new Event(at, actor, action, subject, canonical(details));
    }

    /** Binds an event's fields to a statement that holds {@link #APPEND_CTES}. */
    public static <S extends SqlStatement<S>> S bind(S statement, Event event) {
        return bindEnvelope(statement, event).bind("auditContentHash", event.contentHash()).bind("auditDetails", event.details());
    }

    /** Binds what prepared events have in common: all but their details and content hash ({@link #appendCtesFrom}). */
    public static <S extends SqlStatement<S>> S bindEnvelope(S statement, Event event) {
        return statement.bind("auditChain", event.chain()).bind("auditGenesis", GENESIS).bind("auditAt", event.occurredAt())
                .bind("auditActor", event.actor()).bind("auditAction", event.action()).bind("auditSubject", event.subject());
    }

    /**
     * A change (one INSERT, UPDATE or DELETE, its parameters still to bind) and its event as one
     * statement: bind the change's parameters, then run it with {@code .mapTo(Long.class).one()}
     * (the event's seq).
     */
    public static org.jdbi.v3.core.statement.Query withEvent(Handle handle, String change, Event event) {
        return bind(handle.createQuery("WITH change AS (" + change + "), " + APPEND_CTES + " SELECT seq FROM audit_row"), event);
    }

    /** Appends one event in one statement; call inside the transaction of the change. Returns its seq. */
    public static long append(Handle handle, Instant at, String actor, String action, String subject, Map<String, ?> details) {
        return bind(handle.createQuery("WITH " + APPEND_CTES + " SELECT seq FROM audit_row"),
                event(at, actor, action, subject, details)).mapTo(Long.class).one();
    }

    /** The outcome of checking every chain and every checkpoint. */
    public sealed interface ChainCheck {
        /**
         * {@code headHash} is the newest checkpoint's tree head (what a witness notes down);
         * {@code unsealedEvents} were committed after it and are covered by their chains only.
         */
        record Intact(long events, String headHash, long chains, long checkpoints, long unsealedEvents) implements ChainCheck {}

        /** {@code atSequence}: the event (audit_event.seq) where the check failed, 0 when it failed at no one event. */
        record Broken(long atSequence, String problem) implements ChainCheck {}
    }

    /** Recomputes every chain from its first event, then every checkpoint from its leaves. */
    public static ChainCheck verify(Handle handle) {
        return new AuditVerification(handle).run();
    }

    static String contentHash(Instant occurredAt, String actor, String action, String subject, String details) {
        return Sha256.hex(String.join("\n", DateTimeFormatter.ISO_INSTANT.format(occurredAt), actor, action, subject, details));
    }

    static String chainedHash(String previous, String chain, long position, String contentHash) {
        return Sha256.hex(String.join("\n", previous, chain, Long.toString(position), contentHash));
    }

    /** The rule of releases 0.1-0.2, for the events they wrote. */
    static String legacyHash(long seq, Instant occurredAt, String actor, String action, String subject, String details, String previous) {
        String text = String.join("\n", Long.toString(seq), DateTimeFormatter.ISO_INSTANT.format(occurredAt),
                actor, action, subject, details, previous);
        return Sha256.hex(text);
    }

    static String canonical(Map<String, ?> details) {
        try {
            return CANONICAL.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be plain values", e);
        }
    }
}
