package org.ipstrial.api.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples pg_stat_activity during a run to see where the service's database sessions spend their
 * time: waiting for a stratum's row lock, for the audit chain's head, for a recruit's row, for the
 * WAL flush at commit, or running. By Little's law, the mean number of sessions found in a state,
 * divided by the throughput, is the mean time each randomisation spends in it.
 */
public final class ContentionSampler implements AutoCloseable {
    private final Cluster cluster;
    private final Map<String, Long> samples = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long rounds;

    public ContentionSampler(Cluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::loop, "contention-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            try (Connection c = cluster.owner(); Statement s = c.createStatement()) {
                while (running.get()) {
                    sampleOnce(s);
                    ServiceInstance.pause(java.time.Duration.ofMillis(5));
                }
            } catch (SQLException e) {
                // The database is down (a fault scenario): try again shortly.
                ServiceInstance.pause(java.time.Duration.ofMillis(200));
            }
        }
    }

    private void sampleOnce(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("""
                SELECT state, coalesce(wait_event_type, ''), coalesce(wait_event, ''), query
                FROM pg_stat_activity WHERE application_name = 'trial-api' AND state <> 'idle'""")) {
            synchronized (samples) {
                rounds++;
                while (r.next()) {
                    samples.merge(classify(r.getString(1), r.getString(2), r.getString(3), r.getString(4)), 1L, Long::sum);
                }
            }
        }
    }

    /** Which waiting point a session is at, named by what it waits for and in which statement. */
    static String classify(String state, String waitType, String waitEvent, String query) {
        String q = query == null ? "" : query;
        String point;
        if (q.contains("FROM stratum_lock") && q.contains("FOR UPDATE")) {
            point = "stratum row lock (stratum_lock ... FOR UPDATE)";
        } else if (q.contains("FROM audit_head") && q.contains("FOR UPDATE")) {
            point = "audit chain head (audit_head ... FOR UPDATE)";
        } else if (q.contains("FROM recruit") && q.contains("FOR UPDATE")) {
            point = "recruit row lock (recruit ... FOR UPDATE)";
        } else if (q.equalsIgnoreCase("COMMIT")) {
            point = "commit";
        } else if (q.contains("health")) {
            point = "pool validation query";
        } else {
            point = "other statements";
        }
        String what;
        if ("idle in transaction".equals(state)) {
            what = "in the service (between statements, lock held)";
        } else if (waitType.isEmpty()) {
            what = "running on a core";
        } else {
            what = "waiting " + waitType + ":" + waitEvent;
        }
        return point + " | " + what;
    }

    /** Mean number of sessions found in each state per sample. */
    public Map<String, Double> meanSessions() {
        synchronized (samples) {
            Map<String, Double> mean = new TreeMap<>();
            samples.forEach((k, v) -> mean.put(k, rounds == 0 ? 0 : (double) v / rounds));
            return mean;
        }
    }

    public long rounds() {
        synchronized (samples) {
            return rounds;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
