package org.ipstrial.api.core.reports;

import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the kept parts of a set of reports (the recruitment reports' balance per chunk and
 * sequence per stratum; the delivery report) once, in the background, when the service starts, so
 * that the first dashboard after a restart does not wait for them. A request that arrives first
 * simply computes them itself; nothing waits on this.
 */
public final class ReportWarmUp implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWarmUp.class);
    private final String what;
    private final Runnable work;

    /** {@code what}: the reports' name in the log line; {@code work}: what computes their kept parts. */
    public ReportWarmUp(String what, Runnable work) {
        this.what = what;
        this.work = work;
    }

    @Override
    public void start() {
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                work.run();
                LOG.info("{} warmed up in {} ms", what, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                // Only a missed head start: every report computes what it needs when asked.
                LOG.warn("{} warm-up failed ({}); they will compute on first use", what, e.getClass().getSimpleName());
            }
        }, "report-warm-up: " + what);
        thread.setDaemon(true);
        thread.start();
    }
}
