package org.ipstrial.api.db;

import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Brings the database to the point where the service can use it: starts the embedded server when
 * configured, migrates the schema as the owner role, and points the application pool at the
 * application role.
 */
public final class DatabaseBootstrap {
    public static final String CHANGELOG = "migrations.xml";
    public static final String APPLICATION_ROLE = "trial_app";

    private DatabaseBootstrap() {}

    /** What {@link #prepare} started: the embedded server, if any, which the caller must stop. */
    public record Prepared(Optional<EmbeddedDatabase> embedded) {}

    public static Prepared prepare(DatabaseSettings settings, DataSourceFactory applicationPool) {
        System.setProperty("liquibase.analytics.enabled", "false");
        if (!settings.isEmbedded()) {
            migrate(applicationPool.getUrl(), settings.getOwnerUser(), settings.getOwnerPassword());
            return new Prepared(Optional.empty());
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(Path.of(settings.getDataDirectory()), settings.getPort(), settings.isDurable());
        try {
            String ownerUrl = embedded.jdbcUrl();
            migrate(ownerUrl, embedded.ownerUser(), "");
            // The embedded server belongs to this process: a fresh password for the application role
            // at each start means no password is stored anywhere.
            String password = HexFormat.of().formatHex(randomBytes());
            try (Connection connection = DriverManager.getConnection(ownerUrl, embedded.ownerUser(), "");
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER ROLE " + APPLICATION_ROLE + " LOGIN PASSWORD '" + password + "'");
            }
            applicationPool.setUrl(ownerUrl);
            applicationPool.setUser(APPLICATION_ROLE);
            applicationPool.setPassword(password);
            return new Prepared(Optional.of(embedded));
        } catch (SQLException | RuntimeException e) {
            try {
                embedded.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("Could not prepare the database", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** Applies every pending changeset of the master changelog, as the owner role. */
    public static void migrate(String url, String user, String password) {
        migrate(CHANGELOG, url, user, password);
    }

    /** Applies a changelog's pending changesets (tests bring a database to an earlier release with one of their own). */
    public static void migrate(String changelog, String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(), database);
            liquibase.update(new Contexts(), new LabelExpression());
        } catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("Database migration failed: " + e.getMessage(), e);
        }
    }
}
