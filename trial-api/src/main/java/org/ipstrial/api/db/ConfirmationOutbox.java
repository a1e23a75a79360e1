package org.ipstrial.api.db;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The confirmation e-mails still to send (release-0.5.0-confirmation.sql). The allocation table is
 * the outbox: {@link #queueNewAllocations} copies the ids of allocations made since the e-mail was
 * first switched on, so the randomise statement writes nothing more. A row is claimed with
 * {@code FOR UPDATE SKIP LOCKED}: with several instances, each confirmation is sent by one at a time.
 */
public final class ConfirmationOutbox {
    private ConfirmationOutbox() {}

    /** The first start with the e-mail on; a later start keeps the first one's moment. */
    public static void markStart(Handle h) {
        h.createUpdate("INSERT INTO confirmation_mail_start (started_at) VALUES (now()) ON CONFLICT DO NOTHING").execute();
    }

    public static int queueNewAllocations(Handle h) {
        return h.createUpdate("""
                INSERT INTO confirmation_mail (allocation_id, queued_at, next_attempt_at)
                SELECT a.id, now(), now() FROM allocation a
                WHERE a.allocated_at >= (SELECT started_at FROM confirmation_mail_start)
                  AND NOT EXISTS (SELECT 1 FROM confirmation_mail m WHERE m.allocation_id = a.id)
                ON CONFLICT DO NOTHING""").execute();
    }

    /** The next due confirmation not tried in this round, locked until the transaction ends. */
    public static Optional<Long> claimDue(Handle h, Set<Long> triedThisRound) {
        return h.createQuery("""
                SELECT allocation_id FROM confirmation_mail
                WHERE sent_at IS NULL AND next_attempt_at <= now() AND allocation_id <> ALL(:tried)
                ORDER BY next_attempt_at, allocation_id LIMIT 1 FOR UPDATE SKIP LOCKED""")
                .bindArray("tried", Long.class, triedThisRound.toArray(Long[]::new)).mapTo(Long.class).findOne();
    }

    public static void markSent(Handle h, long allocationId) {
        h.createUpdate("UPDATE confirmation_mail SET sent_at = now(), attempts = attempts + 1 WHERE allocation_id = :id")
                .bind("id", allocationId).execute();
    }

    public static void markFailed(Handle h, long allocationId, String failure, Duration retryAfter) {
        h.createUpdate("""
                UPDATE confirmation_mail SET attempts = attempts + 1, last_failure = :failure,
                    next_attempt_at = now() + make_interval(secs => :seconds) WHERE allocation_id = :id""")
                .bind("id", allocationId).bind("failure", failure).bind("seconds", (double) retryAfter.toMillis() / 1000).execute();
    }

    /** The recruit was erased before the e-mail went: there is nothing left to confirm, and it is never tried again. */
    public static void markAbandoned(Handle h, long allocationId) {
        h.createUpdate("""
                UPDATE confirmation_mail SET last_failure = 'recruit erased', next_attempt_at = 'infinity'
                WHERE allocation_id = :id""").bind("id", allocationId).execute();
    }

    /** Confirmations not sent yet (for the health check and the tests). */
    public static long unsent(Handle h) {
        return h.createQuery("SELECT count(*) FROM confirmation_mail WHERE sent_at IS NULL AND next_attempt_at < 'infinity'")
                .mapTo(Long.class).one();
    }
}
