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
 * time: waiting for a stratum's row lock, for an audit chain's head, for a recruit's row, for the
 * WAL flush at commit, or running. (The audit_head of releases before 0.3.0 is kept here so that
 * a run against an older build is classified too.) By Little's law, the mean number of sessions found in a state,
 * divided by the throughput, is the mean time each randomisation spends in it.
 */
public final class ContentionSampler implements AutoCloseable, LoadRun.Phase {
    private final Cluster cluster;
    private final Map<String, Long> samples = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean recording = new AtomicBoolean(false);
    private final Thread thread;
    private final Thread poolThread;
    private long rounds;
    private long poolRounds;
    private double poolWaitingSum;
    private double poolActiveSum;

    private final CpuMeter cpu;

    public ContentionSampler(Cluster cluster) {
        this.cluster = cluster;
        this.cpu = new CpuMeter(cluster);
        this.thread = new Thread(this::loop, "contention-sampler");
        thread.setDaemon(true);
        thread.start();
        this.poolThread = new Thread(this::poolLoop, "pool-sampler");
        poolThread.setDaemon(true);
        poolThread.start();
    }

    @Override
    public void started() {
        cpu.start();
        recording.set(true);
    }

    @Override
    public void ended() {
        recording.set(false);
        cpu.stop();
    }

    /** CPU spent in the timed phase by the instances, PostgreSQL and the load generator. */
    CpuMeter.Spent cpu() {
        return cpu.spent();
    }

    /**
     * The connection pools' own gauges from each instance's admin /metrics: requests waiting for
     * a connection, and connections lent out. Polled once a second: /metrics serialises every
     * timer's snapshot, and at every 100 ms that took a quarter of the service's CPU under load.
     */
    private void poolLoop() {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        while (running.get()) {
            ServiceInstance.pause(java.time.Duration.ofMillis(1000));
            if (!recording.get()) {
                continue;
            }
            double waiting = 0;
            double active = 0;
            for (ServiceInstance instance : cluster.instances()) {
                if (!instance.alive()) {
                    continue;
                }
                try {
                    var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(instance.adminBase() + "/metrics"))
                            .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    var gauges = RoundRobinClient.parse(response.body()).path("gauges");
                    for (var name : (Iterable<String>) gauges::fieldNames) {
                        if (name.startsWith("io.dropwizard.db.ManagedPooledDataSource.")) {
                            if (name.endsWith(".waiting")) {
                                waiting += gauges.path(name).path("value").asDouble();
                            } else if (name.endsWith(".active")) {
                                active += gauges.path(name).path("value").asDouble();
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // an instance killed by a fault scenario
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (samples) {
                poolRounds++;
                poolWaitingSum += waiting;
                poolActiveSum += active;
            }
        }
    }

    /** Mean requests waiting for a pooled connection (all instances together), and connections in use. */
    public double meanPoolWaiting() {
        synchronized (samples) {
            return poolRounds == 0 ? 0 : poolWaitingSum / poolRounds;
        }
    }

    public double meanPoolActive() {
        synchronized (samples) {
            return poolRounds == 0 ? 0 : poolActiveSum / poolRounds;
        }
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
        if (!recording.get()) {
            return;
        }
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
        } else if (q.contains("UPDATE stratum_lock")) {
            // pg_stat_activity keeps the first 1 kB of a statement: these are recognised by their start.
            point = "stratum's slot: lock, allocation, audit event, commit (one statement)";
        } else if (q.startsWith("WITH change AS")) {
            point = "a change with its audit event (one statement)";
        } else if (q.contains("INSERT INTO randomised_identity")) {
            point = "identity keys claimed (before the stratum)";
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
    public void close() {
        running.set(false);
        try {
            thread.join(5000);
            poolThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
