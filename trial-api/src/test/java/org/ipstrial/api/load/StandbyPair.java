package org.ipstrial.api.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.ipstrial.api.db.BaseBackup;
import org.ipstrial.api.db.EmbeddedDatabase;

/**
 * A synchronous standby beside the cluster's primary, both from the embedded binaries on loopback
 * ports: made from an online base backup of the primary ({@link BaseBackup}) with a physical
 * replication slot, streaming, and named in the primary's {@code synchronous_standby_names}, so
 * that a commit returns only once the standby has flushed its WAL. Also the faults: SIGKILL of
 * either server (every process of it, as if its machine were lost) and the scripted promotion of
 * docs/operations.md.
 */
public final class StandbyPair implements AutoCloseable {
    public static final String STANDBY_NAME = "standby1";

    private final Path primaryDirectory;
    private final Path standbyDirectory;
    private final int primaryPort;
    private final int standbyPort;
    private final String owner;
    private volatile EmbeddedDatabase standby;
    private volatile boolean primaryKilled;
    private volatile boolean standbyKilled;

    private StandbyPair(Path primaryDirectory, Path standbyDirectory, int primaryPort, EmbeddedDatabase standby, String owner) {
        this.primaryDirectory = primaryDirectory;
        this.standbyDirectory = standbyDirectory;
        this.primaryPort = primaryPort;
        this.standby = standby;
        this.standbyPort = standby.port();
        this.owner = owner;
    }

    /** Makes the standby from the running primary, starts it, and makes the primary wait for it at every commit. */
    static StandbyPair attach(Path folder, Path primaryDirectory, int primaryPort, String owner) {
        Path standbyDirectory = folder.resolve("standby");
        String primaryUrl = url(primaryPort);
        try (Connection c = DriverManager.getConnection(primaryUrl, owner, ""); Statement s = c.createStatement()) {
            // The slot keeps the WAL the standby has not received yet, from before the backup starts.
            s.execute("SELECT pg_create_physical_replication_slot('" + STANDBY_NAME + "', true)");
            BaseBackup.take(c, primaryDirectory, standbyDirectory);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the standby's base backup", e);
        }
        try {
            // What pg_basebackup -R writes, plus: the standby, once promoted, must not wait for a
            // standby of its own that does not exist yet (it runs alone until one is attached).
            Files.writeString(standbyDirectory.resolve("postgresql.auto.conf"), "\n# standby of 127.0.0.1:" + primaryPort + "\n"
                    + "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=" + owner + " application_name=" + STANDBY_NAME + "'\n"
                    + "primary_slot_name = '" + STANDBY_NAME + "'\n"
                    + "hot_standby = on\n"
                    + "synchronous_standby_names = ''\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(standbyDirectory.resolve("standby.signal"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedDatabase standby = EmbeddedDatabase.start(standbyDirectory, 0);
        StandbyPair pair = new StandbyPair(primaryDirectory, standbyDirectory, primaryPort, standby, owner);
        pair.awaitReplication("streaming", "async");
        try (Connection c = DriverManager.getConnection(primaryUrl, owner, ""); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (" + STANDBY_NAME + ")'");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not make the standby synchronous", e);
        }
        pair.awaitReplication("streaming", "sync");
        return pair;
    }

    /** Waits until the primary reports the standby in {@code state} with {@code syncState}. */
    private void awaitReplication(String state, String syncState) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String seen = "nothing";
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url(primaryPort), owner, ""); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT state, sync_state FROM pg_stat_replication WHERE application_name = '"
                            + STANDBY_NAME + "'")) {
                if (r.next()) {
                    seen = r.getString(1) + "/" + r.getString(2);
                    if (state.equals(r.getString(1)) && syncState.equals(r.getString(2))) {
                        return;
                    }
                }
            } catch (SQLException e) {
                seen = e.getMessage();
            }
            ServiceInstance.pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("The standby is not " + state + "/" + syncState + " within 60 s (" + seen + ")");
    }

    /** Both servers; the driver connects only to the one that is primary now. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/" + EmbeddedDatabase.DATABASE
                + "?targetServerType=primary";
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int standbyPort() {
        return standbyPort;
    }

    boolean primaryKilled() {
        return primaryKilled;
    }

    /** SIGKILL to the primary's postmaster and every process it started: its machine is lost. */
    public void killPrimary() {
        primaryKilled = true;
        killServer(primaryDirectory);
    }

    /** SIGKILL to the standby's processes. */
    public void killStandby() {
        standbyKilled = true;
        killServer(standbyDirectory);
    }

    /** Starts the killed standby again on its port; it recovers and resumes streaming from its slot. */
    public void restartStandby() {
        try {
            // The killed server's handle still holds the embedded library's lock on the data
            // directory: release it (its pg_ctl stop finds no server, which the library only logs).
            standby.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        standby = EmbeddedDatabase.start(standbyDirectory, standbyPort);
        standbyKilled = false;
    }

    /**
     * The monitor's decision that the primary is gone: {@code probes} refused connections in a
     * row, {@code interval} apart. (A real monitor must also fence the old primary: see docs.)
     */
    public void awaitPrimaryGone(int probes, Duration interval) {
        int refused = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (refused < probes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the primary still answers after 60 s");
            }
            refused = answers(primaryPort) ? 0 : refused + 1;
            if (refused < probes) {
                ServiceInstance.pause(interval);
            }
        }
    }

    /** The scripted promotion: {@code SELECT pg_promote(true, 60)} on the standby, which waits until it is primary. */
    public void promoteStandby() {
        try (Connection c = DriverManager.getConnection(url(standbyPort), owner, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_promote(true, 60)")) {
            r.next();
            if (!r.getBoolean(1)) {
                throw new IllegalStateException("pg_promote did not finish within 60 s");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not promote the standby", e);
        }
    }

    /** The port of the server that the cluster's URL reaches now, and whether it is in recovery (a standby). */
    public String whoAnswers() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), owner, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
            r.next();
            return "port " + r.getInt(1) + (r.getInt(1) == standbyPort ? " (the former standby)" : " (the first primary)")
                    + ", in recovery " + r.getBoolean(2);
        } catch (SQLException e) {
            return "nobody: " + e.getMessage();
        }
    }

    /** Sessions on the primary whose commit waits for the standby (wait event SyncRep). */
    public long commitsWaitingForStandby() throws SQLException {
        return single("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'");
    }

    /** Allocations the primary shows to a new session (committed and acknowledged by the standby). */
    public long allocationsOnPrimary() throws SQLException {
        return single("SELECT count(*) FROM allocation");
    }

    private long single(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(primaryPort), owner, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedDatabase.DATABASE;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the postmaster named in {@code postmaster.pid} and its children at once, and waits until they are gone. */
    static void killServer(Path dataDirectory) {
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("No running server in " + dataDirectory, e);
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isEmpty()) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") of " + dataDirectory + " is not running");
        }
        List<ProcessHandle> children = postmaster.get().descendants().toList();
        postmaster.get().destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        // onExit() of a process that is not this JVM's child polls slowly, and a killed process
        // stays "alive" as a zombie until init reaps it: ask /proc directly instead.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running(postmaster.get()) || children.stream().anyMatch(StandbyPair::running)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL of " + dataDirectory + " still runs 30 s after SIGKILL");
            }
            ServiceInstance.pause(Duration.ofMillis(5));
        }
    }

    /** Alive and not a zombie (state Z in /proc/PID/stat: dead, waiting to be reaped). */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    @Override
    public void close() {
        if (!standbyKilled) {
            try {
                standby.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
