package org.ipstrial.api.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the server on loopback; an empty or absent data directory is initialised first. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    /** As {@link #start(Path, int)}; {@code durable} false turns fsync off, for throwaway test databases only. */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
        try {
            Files.createDirectories(dataDirectory);
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
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start());
            database.createTrialDatabase();
            LOG.info("Embedded PostgreSQL on 127.0.0.1:{} with data in {}", database.port(), dataDirectory);
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * After the JVM is killed, the PostgreSQL it started keeps running and holds the data directory.
     * Stop it, unless a live Java process still owns it (another running instance of this service).
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
        postgres.close();
    }
}
