package org.ipstrial.api.db;

import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * How a command of the jar (verify-audit, db ...) reaches the database as the owner role, without
 * ever disturbing a running service. With the embedded server: when a live service owns the data
 * directory, a read-only command attaches to that service's own PostgreSQL (port from
 * {@code postmaster.pid}) and a command that changes the schema is refused; otherwise the command
 * starts the server for itself (stopping a leftover of a killed process first, as the service does).
 */
public final class CommandDatabase {
    /** What the command does to the database. */
    public enum Access {
        /** Reads only: every transaction is read only, on the running service's server if there is one. */
        READ_ONLY,
        /** Changes the schema (db migrate and the like): never beside a running service, which migrates at start. */
        SCHEMA_CHANGES
    }

    /** A command refused because a service is running on the data directory; the message says what to do. */
    public static final class ServiceRunning extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ServiceRunning(String message) {
            super(message);
        }
    }

    private final String url;
    private final String user;
    private final String password;
    private final boolean readOnly;
    private final Optional<EmbeddedDatabase> started;
    private final Optional<EmbeddedDatabase.RunningServer> attached;

    private CommandDatabase(String url, String user, String password, boolean readOnly, Optional<EmbeddedDatabase> started,
            Optional<EmbeddedDatabase.RunningServer> attached) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.readOnly = readOnly;
        this.started = started;
        this.attached = attached;
    }

    /**
     * Opens the database for a command. {@code externalUrl} is the application pool's URL (used
     * when the server is external). A server this call starts is stopped when the JVM ends.
     */
    public static CommandDatabase open(DatabaseSettings server, String externalUrl, Access access) {
        boolean readOnly = access == Access.READ_ONLY;
        if (!server.isEmbedded()) {
            return new CommandDatabase(externalUrl, server.getOwnerUser(), server.getOwnerPassword(), readOnly,
                    Optional.empty(), Optional.empty());
        }
        Path folder = Path.of(server.getDataDirectory());
        Optional<EmbeddedDatabase.RunningServer> running = EmbeddedDatabase.runningService(folder);
        if (running.isPresent()) {
            if (!readOnly) {
                throw new ServiceRunning("The trial service is running on the data directory " + folder + " (its PostgreSQL is process "
                        + running.get().postgresPid() + " on port " + running.get().port() + "). Nothing was changed. "
                        + "The service applies its migrations itself at start: stop it first to run this command.");
            }
            return new CommandDatabase(running.get().jdbcUrl(), running.get().ownerUser(), "", true, Optional.empty(), running);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(folder, server.getPort(), server.isDurable());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (Exception e) {
                // the JVM is ending; PostgreSQL notices its parent has gone
            }
        }));
        return new CommandDatabase(embedded.jdbcUrl(), embedded.ownerUser(), "", readOnly, Optional.of(embedded), Optional.empty());
    }

    /** The running service's server this command attached to, if it did. */
    public Optional<EmbeddedDatabase.RunningServer> attached() {
        return attached;
    }

    /** A Jdbi handle factory as the owner role (read only when the access is). */
    public Jdbi jdbi() {
        Properties properties = new Properties();
        properties.putAll(connectionProperties());
        return JdbiDefaults.apply(Jdbi.create(url, properties).installPlugin(new SqlObjectPlugin()));
    }

    /** The same as a Dropwizard data source (what the migrations bundle takes). */
    public DataSourceFactory dataSource() {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(url);
        factory.setUser(user);
        factory.setPassword(password);
        if (readOnly) {
            factory.setProperties(Map.of("readOnly", "true", "readOnlyMode", "always"));
        }
        return factory;
    }

    private Map<String, String> connectionProperties() {
        return readOnly
                ? Map.of("user", user, "password", password, "readOnly", "true", "readOnlyMode", "always")
                : Map.of("user", user, "password", password);
    }

    /** True when this command started the embedded server itself (nobody else was using it). */
    public boolean startedItsOwnServer() {
        return started.isPresent();
    }
}
