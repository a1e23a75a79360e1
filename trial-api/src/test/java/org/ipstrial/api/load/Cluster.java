package org.ipstrial.api.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ipstrial.api.auth.PasswordHasher;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.db.DatabaseBootstrap;
import org.ipstrial.api.db.EmbeddedDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The deployment under test: one PostgreSQL server as its own operating-system process (the
 * embedded binaries, started by this JVM, which no test kills) and one to three trial-api
 * instances, each its own JVM, sharing it. The load balancer is the client's: see
 * {@link RoundRobinClient}.
 */
public final class Cluster implements AutoCloseable {
    public static final String PASSWORD = "load test password 1";
    /** One specialist per site of the demo trial. */
    public static final Map<String, String> SPECIALISTS = Map.of("A", "load-spec-a", "B", "load-spec-b");

    private final Path folder;
    private final Path repository;
    private final Path shadedJar;
    private final int databasePort;
    private final String applicationPassword;
    /** The design file the instances run, relative to the repository (TRIAL_DESIGN). */
    private String designFile = DEFAULT_DESIGN;
    public static final String DEFAULT_DESIGN = "config/randomisation-demo.yml";
    private EmbeddedDatabase database;
    private final List<ServiceInstance> instances = new ArrayList<>();
    /** The synchronous standby and its failover (see {@link StandbyPair}), or null with one server. */
    private StandbyPair pair;

    private Cluster(Path folder, Path repository, Path shadedJar, EmbeddedDatabase database, String applicationPassword) {
        this.folder = folder;
        this.repository = repository;
        this.shadedJar = shadedJar;
        this.database = database;
        this.databasePort = database.port();
        this.applicationPassword = applicationPassword;
    }

    /** Which database servers: one, or a primary with a synchronous standby; WAL archived to {@code wal-archive/} or not. */
    public record Layout(boolean synchronousStandby, boolean walArchive) {
        public static final Layout SINGLE = new Layout(false, false);
    }

    /** Starts PostgreSQL in {@code folder}, prepares it as a DBA would, then starts the instances. */
    public static Cluster start(Path where, int instanceCount) {
        return start(where, instanceCount, Layout.SINGLE);
    }

    /** As {@link #start(Path, int)}, with a standby and WAL archiving as {@code layout} says. */
    public static Cluster start(Path where, int instanceCount, Layout layout) {
        return start(where, instanceCount, layout, DEFAULT_DESIGN);
    }

    /** As {@link #start(Path, int, Layout)}, the instances running the design file {@code designFile} (relative to the repository). */
    public static Cluster start(Path where, int instanceCount, Layout layout, String designFile) {
        Path folder = where.toAbsolutePath();
        if (instanceCount < 1 || instanceCount > 3) {
            throw new IllegalArgumentException("instances must be 1 to 3, not " + instanceCount);
        }
        try {
            Files.createDirectories(folder);
            Path repository = repositoryRoot();
            Path jar = shadedJar(repository);
            EmbeddedDatabase database = EmbeddedDatabase.start(folder.resolve("postgres"), 0);
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            Cluster cluster = new Cluster(folder, repository, jar, database, password);
            cluster.designFile = designFile;
            // Interrupting a script (Ctrl-C) must not leave instances or PostgreSQL running.
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-shutdown"));
            if (layout.walArchive()) {
                cluster.archiveWal();
            }
            cluster.prepareDatabase();
            cluster.writeSecret();
            if (layout.synchronousStandby()) {
                cluster.pair = StandbyPair.attach(folder, folder.resolve("postgres"), database.port(), database.ownerUser());
            }
            List<CompletableFuture<ServiceInstance>> starting = new ArrayList<>();
            for (int i = 1; i <= instanceCount; i++) {
                ServiceInstance instance = cluster.startInstance("instance-" + i);
                starting.add(CompletableFuture.supplyAsync(() -> instance.awaitHealthy(Duration.ofSeconds(90))));
            }
            starting.forEach(CompletableFuture::join);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a DBA does once: migrate as the owner, let the application role log in, create users. */
    private void prepareDatabase() {
        DatabaseBootstrap.migrate(jdbcUrl(), database.ownerUser(), "");
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + DatabaseBootstrap.APPLICATION_ROLE + " LOGIN PASSWORD '" + applicationPassword + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the application role", e);
        }
        UserService users = new UserService(ownerJdbi(), new PasswordHasher(4), Clock.systemUTC(), Duration.ofHours(8), 5,
                Duration.ofMinutes(15));
        SPECIALISTS.forEach((site, name) -> users.createInitial(name, Role.specialist, site, PASSWORD));
        users.createInitial("load-manager", Role.manager, null, PASSWORD);
        users.createInitial("load-admin", Role.admin, null, PASSWORD);
    }

    private void writeSecret() throws IOException {
        Path secret = folder.resolve("randomisation.secret");
        if (!Files.exists(secret)) {
            Files.writeString(secret, HexFormat.of().formatHex(new SecureRandom().generateSeed(32)) + "\n");
        }
    }

    public ServiceInstance startInstance(String name) {
        ServiceInstance instance = ServiceInstance.start(name, repository, shadedJar, folder, Map.of(
                "TRIAL_DB_URL", jdbcUrl(),
                "TRIAL_DB_PASSWORD", applicationPassword,
                "TRIAL_DB_OWNER", database.ownerUser(),
                "TRIAL_RANDOMISATION_SECRET_FILE", folder.resolve("randomisation.secret").toString(),
                "TRIAL_PASSWORD_HASH_COST", "4",
                // The fuzzer and the load sign in as admin with the password alone (TwoFactorIT tests the second factor).
                "TRIAL_TWO_FACTOR_REQUIRED_FOR", "[]",
                "TRIAL_LOG_LEVEL", "WARN",
                "TRIAL_DESIGN", designFile));
        instances.add(instance);
        return instance;
    }

    /** WAL archiving to {@code wal-archive/} (archive_mode needs a restart of the server). */
    private void archiveWal() throws IOException {
        Path archive = walArchive();
        Files.createDirectories(archive);
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET archive_mode = 'on'");
            // Never overwrite a segment already archived; the copy is fsynced by the next checkpoint's
            // neighbours only, so production archives to storage of their own (docs/operations.md).
            s.execute("ALTER SYSTEM SET archive_command = 'test ! -f \"" + archive + "/%f\" && cp \"%p\" \"" + archive + "/%f\"'");
            s.execute("ALTER SYSTEM SET archive_timeout = '60s'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not turn WAL archiving on", e);
        }
        stopDatabase();
        startDatabase();
    }

    /** The folder the primary archives its WAL into (with {@link Layout#walArchive()}). */
    public Path walArchive() {
        return folder.resolve("wal-archive");
    }

    /**
     * Ends the current WAL segment and waits until the archiver has copied it, so that everything
     * committed so far can be replayed from the archive (a restore to a moment needs WAL past it).
     */
    public void archiveCurrentWal() throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            String segment;
            try (var r = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                r.next();
                segment = r.getString(1);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(walArchive().resolve(segment))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("WAL segment " + segment + " not archived within 60 s");
                }
                ServiceInstance.pause(Duration.ofMillis(50));
            }
        }
    }

    /** The primary's data directory (the first server's, also after a failover). */
    public Path primaryDataDirectory() {
        return folder.resolve("postgres");
    }

    /** The standby and its faults, when the layout has one. */
    public StandbyPair standby() {
        if (pair == null) {
            throw new IllegalStateException("this cluster has no standby");
        }
        return pair;
    }

    public boolean hasStandby() {
        return pair != null;
    }

    /** Stops PostgreSQL (fast shutdown: open transactions are rolled back, clients disconnected). */
    public synchronized void stopDatabase() throws IOException {
        database.close();
    }

    /** Starts PostgreSQL again on the same port and data directory. */
    public synchronized void startDatabase() {
        database = EmbeddedDatabase.start(folder.resolve("postgres"), databasePort);
    }

    public List<ServiceInstance> instances() {
        return List.copyOf(instances);
    }

    public List<String> apiBases() {
        return instances.stream().map(ServiceInstance::apiBase).toList();
    }

    public int databasePort() {
        return databasePort;
    }

    /**
     * The URL every instance is given. With a standby it names both servers and asks for the
     * primary, so the driver finds whichever is primary now (after a failover, the former standby).
     */
    public String jdbcUrl() {
        if (pair == null) {
            return "jdbc:postgresql://127.0.0.1:" + databasePort + "/" + EmbeddedDatabase.DATABASE;
        }
        return pair.jdbcUrl();
    }

    public Path folder() {
        return folder;
    }

    public Path randomisationSecret() {
        return folder.resolve("randomisation.secret");
    }

    /** The owner role (superuser of the embedded server). */
    public String ownerUser() {
        return database.ownerUser();
    }

    /** A connection as the owner (superuser of the embedded server), for checks and sampling. */
    public Connection owner() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), database.ownerUser(), "");
    }

    public Jdbi ownerJdbi() {
        return Jdbi.create(jdbcUrl(), database.ownerUser(), "").installPlugin(new SqlObjectPlugin());
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        instances.forEach(ServiceInstance::close);
        if (pair != null) {
            pair.close();
        }
        try {
            if (pair == null || !pair.primaryKilled()) {
                database.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The design file the instances run, as a path. */
    public Path designFile() {
        return repository.resolve(designFile);
    }

    /** The repository's root: the folder holding config/trial-demo.yml, from here or above. */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("config/trial-demo.yml")) && Files.exists(p.resolve("trial-api"))) {
                return p;
            }
        }
        throw new IllegalStateException("Run from inside the repository (no config/trial-demo.yml above " + here + ")");
    }

    /** The service's shaded jar (mvn package builds it). */
    public static Path shadedJar(Path repository) throws IOException {
        try (var files = Files.list(repository.resolve("trial-api/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("trial-api-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No shaded jar in trial-api/target: run mvn package first"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("No trial-api/target: run mvn package first", e);
        }
    }
}
