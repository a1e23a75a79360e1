package org.ipstrial.api.core.reports;

import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the kept parts of the reports (balance per chunk, sequence per stratum) once, in the
 * background, when the service starts, so that the first dashboard after a restart does not wait
 * for them. A request that arrives first simply computes them itself; nothing waits on this.
 */
public final class ReportWarmUp implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWarmUp.class);
    private final ReportService reports;

    public ReportWarmUp(ReportService reports) {
        this.reports = reports;
    }

    @Override
    public void start() {
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                reports.warmUp();
                LOG.info("Reports warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                // Only a missed head start: every report computes what it needs when asked.
                LOG.warn("Report warm-up failed ({}); reports will compute on first use", e.getClass().getSimpleName());
            }
        }, "report-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
