package org.ipstrial.api.load;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fault-test scenarios of a primary with a synchronous standby (scripts/fault-test): the
 * primary's machine lost (SIGKILL of every PostgreSQL process of it) and the standby promoted by
 * the scripted failover of docs/operations.md; or the standby's machine lost, and restarted by
 * its service manager some seconds later. Notes go to the scenario's fault notes; a note with the
 * word "failed" in it fails the run.
 */
public final class DatabaseFailover {
    /** How long the standby stays down in KILL_STANDBY: the time its service manager takes to start it again. */
    public static final Duration STANDBY_DOWN = Duration.ofSeconds(5);
    /** The monitor's rule: this many refused connections in a row, this far apart, before it promotes. */
    static final int PROBES = 3;
    static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    private final Cluster cluster;
    private final List<String> notes;

    DatabaseFailover(Cluster cluster, List<String> notes) {
        this.cluster = cluster;
        this.notes = notes;
    }

    void killPrimaryAndPromote() {
        try {
            StandbyPair pair = cluster.standby();
            long killing = System.nanoTime();
            pair.killPrimary();
            long killed = System.nanoTime();
            pair.awaitPrimaryGone(PROBES, PROBE_INTERVAL);
            long decided = System.nanoTime();
            pair.promoteStandby();
            long promoted = System.nanoTime();
            notes.add(String.format(Locale.ROOT, "SIGKILL of the primary PostgreSQL (postmaster and every child, %.2f s) a third of the "
                    + "way through; the monitor judged it gone %.2f s after the kill (%d refused probes %d ms apart); pg_promote "
                    + "returned %.2f s after the kill (time to promotion; pg_promote itself %.2f s)", (killed - killing) / 1e9,
                    (decided - killing) / 1e9, PROBES, PROBE_INTERVAL.toMillis(), (promoted - killing) / 1e9, (promoted - decided) / 1e9));
        } catch (RuntimeException e) {
            notes.add("failover failed: " + e);
        }
    }

    void killStandbyAndRestart() {
        try {
            StandbyPair pair = cluster.standby();
            long killing = System.nanoTime();
            pair.killStandby();
            // Evidence that commits now wait: at least one session in the SyncRep wait.
            long waiting = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (waiting == 0 && System.nanoTime() < deadline) {
                waiting = pair.commitsWaitingForStandby();
                if (waiting == 0) {
                    ServiceInstance.pause(Duration.ofMillis(20));
                }
            }
            long visibleAtKill = pair.allocationsOnPrimary();
            ServiceInstance.pause(STANDBY_DOWN);
            long waitingLater = pair.commitsWaitingForStandby();
            long visibleLater = pair.allocationsOnPrimary();
            long restarting = System.nanoTime();
            pair.restartStandby();
            long back = System.nanoTime();
            if (waiting == 0) {
                notes.add("standby loss: no commit was seen waiting for the standby within 10 s: synchronous replication failed");
            }
            if (visibleLater != visibleAtKill) {
                notes.add("standby loss: " + (visibleLater - visibleAtKill) + " allocations completed on the primary while the standby "
                        + "was down: synchronous replication failed");
            }
            notes.add(String.format(Locale.ROOT, "SIGKILL of the standby PostgreSQL a third of the way through; commits waited (%d "
                    + "sessions in the SyncRep wait just after the kill, %d just before the restart); allocations visible on the primary: "
                    + "%d at the kill, %d %d s later (no write completed without the standby); standby started again %.1f s after "
                    + "the kill (its start took %.1f s)", waiting, waitingLater, visibleAtKill, visibleLater, STANDBY_DOWN.toSeconds(),
                    (back - killing) / 1e9, (back - restarting) / 1e9));
        } catch (RuntimeException | SQLException e) {
            notes.add("standby loss scenario failed: " + e);
        }
    }

    /** After the run: which server the checks read from; problems if it is not the one expected. */
    List<String> afterRun(LoadScenario.Fault fault) {
        List<String> problems = new ArrayList<>();
        if (!cluster.hasStandby()) {
            return problems;
        }
        String who = cluster.standby().whoAnswers();
        notes.add("the checks below read from the server the instances' URL reaches now: " + who);
        if (fault == LoadScenario.Fault.KILL_PRIMARY && !who.contains("(the former standby), in recovery false")) {
            problems.add("after the failover the URL should reach the promoted standby, but reaches " + who);
        }
        if (fault != LoadScenario.Fault.KILL_PRIMARY && !who.contains("(the first primary), in recovery false")) {
            problems.add("the URL should reach the first primary, but reaches " + who);
        }
        return problems;
    }
}
