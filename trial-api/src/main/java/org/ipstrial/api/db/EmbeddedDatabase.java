package org.ipstrial.api.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started by this process, with a data directory kept across restarts, so a
 * fresh machine needs only a JDK and Maven. Durable: fsync and synchronous commit are on (the
 * embedded library turns them off by default, which is fine for tests and wrong for trial data).
 */
public final class EmbeddedDatabase implements Managed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "trial";

    private final EmbeddedPostgres postgres;
    private final OwnerLock owner;

    private EmbeddedDatabase(EmbeddedPostgres postgres, OwnerLock owner) {
        this.postgres = postgres;
        this.owner = owner;
    }

    /**
     * The server of a data directory that a live process of this service started and still owns:
     * a command attaches to it (its port is in {@code postmaster.pid}) instead of starting or
     * stopping anything.
     */
    public record RunningServer(long postgresPid, int port) {
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
        }

        public String ownerUser() {
            return "postgres";
        }
    }

    /**
     * The live server of this data directory when a running service owns it (it holds the owner
     * lock beside the folder); empty when no server runs there, or when the one running there is
     * a leftover of a process that was killed (nobody holds the lock).
     */
    public static Optional<RunningServer> runningService(Path dataDirectory) {
        Optional<long[]> server = livePostmaster(dataDirectory);
        if (server.isEmpty()) {
            return Optional.empty();
        }
        Optional<OwnerLock> free = OwnerLock.tryTake(dataDirectory);
        if (free.isPresent()) {
            free.get().release(); // a leftover: whoever starts a server here next stops it first
            return Optional.empty();
        }
        return Optional.of(new RunningServer(server.get()[0], (int) server.get()[1]));
    }

    /** Starts the server on loopback; an empty or absent data directory is initialised first. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    /** As {@link #start(Path, int)}; {@code durable} false turns fsync off, for throwaway test databases only. */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
        OwnerLock owner;
        try {
            Files.createDirectories(dataDirectory);
            owner = OwnerLock.tryTake(dataDirectory).orElseThrow(() -> new IllegalStateException("The data directory "
                    + dataDirectory + " belongs to a running trial service" + livePostmaster(dataDirectory)
                            .map(p -> " (its PostgreSQL is process " + p[0] + " on port " + p[1] + ")").orElse("")
                    + ". Stop that service first, or use another data directory; commands such as verify-audit "
                    + "attach to it while it runs."));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
        try {
            stopLeftoverServer(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), owner);
            database.createTrialDatabase();
            LOG.info("Embedded PostgreSQL on 127.0.0.1:{} with data in {}", database.port(), dataDirectory);
            return database;
        } catch (IOException | RuntimeException e) {
            owner.release();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, (IOException) e);
        }
    }

    /** The pid and port of a live postmaster of this data directory, from its {@code postmaster.pid}. */
    private static Optional<long[]> livePostmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> new long[] {pid, port});
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written or corrupt: PostgreSQL itself will judge it
        }
    }

    /**
     * An exclusive lock on a file beside the data directory, held by the process whose server
     * runs there for as long as it runs. The operating system drops it when that process ends,
     * however it ends: so a server whose owner is gone is a leftover, and one whose owner lives
     * belongs to a running service (PostgreSQL's own parent process says nothing here: pg_ctl
     * detaches it, and as root it runs under unshare).
     */
    static final class OwnerLock {
        private final FileChannel channel;
        private final FileLock lock;

        private OwnerLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static Path file(Path dataDirectory) {
            Path absolute = dataDirectory.toAbsolutePath().normalize();
            return absolute.resolveSibling(absolute.getFileName() + ".owner.lock");
        }

        static Optional<OwnerLock> tryTake(Path dataDirectory) {
            Path file = file(dataDirectory);
            FileChannel channel = null;
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                return Optional.of(new OwnerLock(channel, lock));
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel); // held by this very process: a service running in this JVM
                return Optional.empty();
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("Could not open the owner lock " + file, e);
            }
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel below drops it as well
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing held
                }
            }
        }
    }

    /**
     * After the JVM is killed, the PostgreSQL it started keeps running and holds the data directory.
     * Stop it. Called holding the {@link OwnerLock}, so no running service owns the server found
     * here; a live Java parent (a process of an older release, which took no lock) still refuses.
     */
    static void stopLeftoverServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(firstLine);
        } catch (NumberFormatException e) {
            return; // PostgreSQL itself will judge a corrupt lock file
        }
        Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (server.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> owner = server.get().parent().filter(ProcessHandle::isAlive);
        boolean ownedByLiveJava = owner.flatMap(p -> p.info().command()).map(c -> c.endsWith("java")).orElse(false);
        if (ownedByLiveJava) {
            throw new IllegalStateException("The data directory " + dataDirectory
                    + " is in use by PostgreSQL process " + pid + " of another running service (pid "
                    + owner.get().pid() + "). Stop that service first, or use another data directory.");
        }
        LOG.warn("Stopping a leftover PostgreSQL (pid {}) from a previous run that did not shut down", pid);
        server.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; its old clients are gone
        try {
            server.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("A leftover PostgreSQL (pid " + pid + ") did not stop within 60 s", e);
        }
    }

    private void createTrialDatabase() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rs.next()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the trial database", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The superuser the embedded server was initialised with: it owns the schema. */
    public String ownerUser() {
        return "postgres";
    }

    @Override
    public void start() {
        // started in the factory method, before the connection pool is built
    }

    @Override
    public void stop() throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            owner.release();
        }
    }
}
