package org.ipstrial.api.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.db.AuditDao;
import org.ipstrial.api.db.AuditDao.AuditRow;
import org.jdbi.v3.core.Handle;

/**
 * The append-only, hash-chained audit log. Each event is written in the same transaction as the
 * change it records; its hash covers its own fields and the previous event's hash, so changing or
 * removing any row breaks the chain from there on. Subjects are opaque keys: identifiers never
 * appear in clear.
 */
public final class AuditLog {
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private AuditLog() {}

    /** Appends one event; call inside the transaction of the change. Takes the chain head's lock. */
    public static void append(Handle handle, Instant at, String actor, String action, String subject, Map<String, ?> details) {
        AuditDao dao = handle.attach(AuditDao.class);
        AuditDao.Head head = dao.lockHead();
        Instant occurredAt = at.truncatedTo(ChronoUnit.MICROS);
        String detailText = canonical(details);
        long seq = head.seq() + 1;
        String hash = hash(seq, occurredAt, actor, action, subject, detailText, head.hash());
        dao.insert(new AuditRow(seq, occurredAt, actor, action, subject, detailText, head.hash(), hash));
        dao.moveHead(seq, hash);
    }

    /** The outcome of checking the whole chain. */
    public sealed interface ChainCheck {
        record Intact(long events, String headHash) implements ChainCheck {}

        record Broken(long atSequence, String problem) implements ChainCheck {}
    }

    /** Recomputes every hash from the first event and compares with the stored chain and head. */
    public static ChainCheck verify(Handle handle) {
        AuditDao dao = handle.attach(AuditDao.class);
        String previous = GENESIS;
        long expectedSeq = 1;
        try (var rows = dao.all()) {
            for (AuditRow row : (Iterable<AuditRow>) rows::iterator) {
                if (row.seq() != expectedSeq) {
                    return new ChainCheck.Broken(expectedSeq, "event " + expectedSeq + " is missing");
                }
                if (!row.prevHash().equals(previous)) {
                    return new ChainCheck.Broken(row.seq(), "does not follow the previous event's hash");
                }
                String recomputed = hash(row.seq(), row.occurredAt(), row.actor(), row.action(), row.subject(), row.details(), row.prevHash());
                if (!recomputed.equals(row.hash())) {
                    return new ChainCheck.Broken(row.seq(), "its content does not match its hash (changed after it was written)");
                }
                previous = row.hash();
                expectedSeq++;
            }
        }
        AuditDao.Head head = dao.head();
        if (head.seq() != expectedSeq - 1 || !head.hash().equals(previous)) {
            return new ChainCheck.Broken(expectedSeq, "the chain head names event " + head.seq() + " but the log ends at " + (expectedSeq - 1));
        }
        return new ChainCheck.Intact(expectedSeq - 1, previous);
    }

    static String hash(long seq, Instant occurredAt, String actor, String action, String subject, String details, String previous) {
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
