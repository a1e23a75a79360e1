package org.ipstrial.api.core.confirmation;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import jakarta.mail.MessagingException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipstrial.api.db.ConfirmationOutbox;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the confirmation e-mails after the randomisations have committed: never inside the
 * randomise transaction, so a mail server that is down, slow or refusing can neither undo nor
 * delay a randomisation. One thread drains the outbox when woken after a randomisation and every
 * {@code pollInterval}; a failure is logged without identifiers (the exception's class only),
 * counted in the {@code confirmations.mail.failed} metric, and tried again after {@code retryAfter}.
 * Delivery is at least once: if the database is lost between the send and its record, it is sent again.
 */
public final class ConfirmationSender implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationSender.class);
    private final Jdbi jdbi;
    private final ConfirmationService confirmations;
    private final ConfirmationMailer mailer;
    private final ConfirmationMailSettings settings;
    private final Counter sent;
    private final Counter failed;
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "confirmation-mail");
        t.setDaemon(true);
        return t;
    });

    public ConfirmationSender(Jdbi jdbi, ConfirmationService confirmations, ConfirmationMailSettings settings, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.confirmations = confirmations;
        this.mailer = new ConfirmationMailer(settings);
        this.settings = settings;
        this.sent = metrics.counter("confirmations.mail.sent");
        this.failed = metrics.counter("confirmations.mail.failed");
    }

    @Override
    public void start() {
        jdbi.useHandle(ConfirmationOutbox::markStart);
        long every = settings.getPollInterval().toMilliseconds();
        thread.scheduleWithFixedDelay(this::drainQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(settings.getTimeout().toMilliseconds() * 2, TimeUnit.MILLISECONDS);
    }

    /** After a randomisation's commit: a drain soon, one for any number of wakes that arrive meanwhile. */
    public void wake() {
        if (drainPending.compareAndSet(false, true)) {
            thread.execute(() -> {
                drainPending.set(false);
                drainQuietly();
            });
        }
    }

    /**
     * A drain on the sender's own thread, returned once done: after every drain asked for before
     * it (a test knows the wake of its randomisation has run when this returns).
     */
    public void drainNow() throws InterruptedException, ExecutionException {
        thread.submit(this::drainQuietly).get();
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            // The database, most likely: the next poll tries again.
            failed.inc();
            LOG.warn("Confirmation e-mails not drained this time ({}); the next poll tries again", e.getClass().getSimpleName());
        }
    }

    private void drain() {
        jdbi.useHandle(ConfirmationOutbox::queueNewAllocations);
        Set<Long> tried = new HashSet<>();
        while (true) {
            boolean more = jdbi.inTransaction(h -> {
                Optional<Long> due = ConfirmationOutbox.claimDue(h, tried);
                if (due.isEmpty()) {
                    return false;
                }
                long id = due.get();
                tried.add(id);
                Optional<AllocationConfirmation> confirmation = confirmations.forAllocation(id);
                if (confirmation.isEmpty()) {
                    ConfirmationOutbox.markAbandoned(h, id);
                    return true;
                }
                try {
                    mailer.send(ConfirmationMessage.of(confirmation.get(), settings.isBlindToArm()));
                    ConfirmationOutbox.markSent(h, id);
                    sent.inc();
                } catch (MessagingException e) {
                    // The class only: a server's message may quote an address back.
                    failed.inc();
                    ConfirmationOutbox.markFailed(h, id, e.getClass().getSimpleName(), settings.getRetryAfter().toJavaDuration());
                    LOG.warn("A confirmation e-mail was not sent ({}); it is tried again in {}", e.getClass().getSimpleName(),
                            settings.getRetryAfter());
                }
                return true;
            });
            if (!more) {
                return;
            }
        }
    }
}
