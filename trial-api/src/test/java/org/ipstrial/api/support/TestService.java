package org.ipstrial.api.support;


import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.auth.PasswordHasher;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.UserService;
import org.jdbi.v3.core.Jdbi;

/** A real service on loopback with its own embedded PostgreSQL in a fresh folder, and a user per role. */
public final class TestService {
    public static final String PASSWORD = "correct horse battery staple";
    public static final Map<String, Object[]> USERS = Map.of(
            "spec-a", new Object[] {Role.specialist, "A"},
            "spec-b", new Object[] {Role.specialist, "B"},
            "manager", new Object[] {Role.manager, null},
            "statistician", new Object[] {Role.statistician, null},
            "custodian", new Object[] {Role.custodian, null},
            "fieldwork", new Object[] {Role.fieldwork, null},
            "analyst", new Object[] {Role.analyst, null},
            "admin", new Object[] {Role.admin, null});

    private TestService() {}

    /** An extension whose data lives in {@code folder} (reuse the folder to test a restart). */
    public static DropwizardAppExtension<TrialConfiguration> extension(Path folder) {
        return extension(folder, new ConfigOverride[0]);
    }

    /** The service on a clock the test sets (time-based codes: TwoFactorIT, TwoFactorPageIT), with more settings. */
    public static DropwizardAppExtension<TrialConfiguration> extension(Path folder, Clock clock, ConfigOverride... more) {
        return new DropwizardAppExtension<>(new io.dropwizard.testing.DropwizardTestSupport<>(TrialApplication.class,
                ResourceHelpers.resourceFilePath("test-config.yml"), overrides(folder, more)) {
            @Override
            public io.dropwizard.core.Application<TrialConfiguration> newApplication() {
                return new TrialApplication(clock);
            }
        });
    }

    /** The same, with more settings of the test's own (the confirmation e-mail's SMTP server, say). */
    public static DropwizardAppExtension<TrialConfiguration> extension(Path folder, ConfigOverride... more) {
        return new DropwizardAppExtension<>(TrialApplication.class, ResourceHelpers.resourceFilePath("test-config.yml"), overrides(folder, more));
    }

    private static ConfigOverride[] overrides(Path folder, ConfigOverride... more) {
        ConfigOverride[] overrides = new ConfigOverride[3 + more.length];
        overrides[0] = ConfigOverride.config("databaseServer.dataDirectory", folder.resolve("postgres").toString());
        overrides[1] = ConfigOverride.config("trial.secretFile", folder.resolve("randomisation.secret").toString());
        overrides[2] = ConfigOverride.config("security.twoFactorKeyFile", folder.resolve("two-factor.key").toString());
        System.arraycopy(more, 0, overrides, 3, more.length);
        return overrides;
    }

    public static Path newFolder(String name) {
        try {
            Path base = Path.of("target", "it-data");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the test users (once per database). */
    public static void createUsers(DropwizardAppExtension<TrialConfiguration> app) {
        Jdbi jdbi = ((TrialApplication) app.getApplication()).jdbi();
        UserService users = new UserService(jdbi, new PasswordHasher(4), Clock.systemUTC(), Duration.ofHours(1), 3, Duration.ofMinutes(15));
        if (!users.noUsers()) {
            return;
        }
        USERS.forEach((name, roleAndSite) -> users.createInitial(name, (Role) roleAndSite[0], (String) roleAndSite[1], PASSWORD));
    }

    /**
     * A user made the way an admin makes one: {@code POST /users} answers a one-time code, the new
     * user signs in with it and chooses {@code password} ({@code POST /session/password}).
     */
    public static void createUserThroughAdmin(ApiClient api, String username, String role, String site, String password) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("username", username, "role", role));
        if (site != null) {
            body.put("site", site);
        }
        ApiClient.Answer created = api.post("admin", "/users", body);
        if (created.status() != 201) {
            throw new IllegalStateException("creating " + username + " failed: " + created);
        }
        String code = created.body().get("oneTimeCode").asText();
        ApiClient.Answer login = api.send("POST", "/session", null, Map.of("username", username, "password", code), Map.of());
        if (login.status() != 200) {
            throw new IllegalStateException("signing in with the one-time code failed: " + login);
        }
        ApiClient.Answer changed = api.send("POST", "/session/password", login.body().get("token").asText(),
                Map.of("currentPassword", code, "newPassword", password), Map.of());
        if (changed.status() != 204) {
            throw new IllegalStateException("choosing a password failed: " + changed);
        }
    }

    public static Jdbi jdbi(DropwizardAppExtension<TrialConfiguration> app) {
        return ((TrialApplication) app.getApplication()).jdbi();
    }

    /** The trial as the running service sees it (definition, design, secret), for preparing data in-process. */
    public static org.ipstrial.api.core.recruitment.TrialContext trial(DropwizardAppExtension<TrialConfiguration> app) {
        var settings = app.getConfiguration().getTrial();
        return new org.ipstrial.api.core.recruitment.TrialContext(
                org.ipstrial.definition.TrialDefinitionFile.load(Path.of(settings.getDefinitionFile())),
                org.ipstrial.config.DesignFile.readAny(Path.of(settings.getDesignFile())),
                org.ipstrial.api.core.design.SecretFile.read(Path.of(settings.getSecretFile())), Clock.systemUTC());
    }

    /** A test user as the services see it (id, role, site). */
    public static org.ipstrial.api.auth.TrialUser user(DropwizardAppExtension<TrialConfiguration> app, String username) {
        return jdbi(app).withHandle(h -> h.createQuery("SELECT id, role, site FROM app_user WHERE username = :u").bind("u", username)
                .map((rs, ctx) -> new org.ipstrial.api.auth.TrialUser(rs.getLong(1), username, Role.valueOf(rs.getString(2)),
                        java.util.Optional.ofNullable(rs.getString(3))))
                .one());
    }

    /** The embedded server's superuser, which owns the schema (for tests that must act as the DBA would). */
    public static Jdbi ownerJdbi(DropwizardAppExtension<TrialConfiguration> app) {
        return Jdbi.create(app.getConfiguration().getDatabase().getUrl(), "postgres", "")
                .installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
    }

    /**
     * The owner role with commits that do not wait for the disk: for preparing thousands of rows
     * through the application's services quickly. Never for what a test is about.
     */
    public static Jdbi bulkPreparationJdbi(DropwizardAppExtension<TrialConfiguration> app) {
        String url = app.getConfiguration().getDatabase().getUrl();
        return Jdbi.create(() -> {
            java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "postgres", "");
            try (var statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit = off");
            }
            return connection;
        }).installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
    }

    /** A Random seeded from the test's name; the seed is printed so a failure can be replayed. */
    public static java.util.Random seededRandom(org.junit.jupiter.api.TestInfo test) {
        long seed = 20261123L ^ test.getDisplayName().hashCode();
        System.out.println(test.getDisplayName() + ": seed " + seed);
        return new java.util.Random(seed);
    }

    public static ApiClient client(DropwizardAppExtension<TrialConfiguration> app) {
        return new ApiClient("http://127.0.0.1:" + app.getLocalPort() + "/api/v1");
    }

    /** Every row of every table (sessions and login counters aside, which a login attempt may touch). */
    public static Map<String, java.util.List<String>> everyRow(DropwizardAppExtension<TrialConfiguration> app) {
        return ownerJdbi(app).withHandle(h -> {
            Map<String, java.util.List<String>> rows = new java.util.TreeMap<>();
            for (String table : h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'databasechangelog%'")
                    .mapTo(String.class).list()) {
                String columns = table.equals("app_user") ? "username, role, site, disabled, password_hash" : "t::text";
                if (table.equals("user_session")) {
                    columns = "user_id";
                }
                rows.put(table, h.createQuery("SELECT (" + columns + ")::text FROM " + table + " t ORDER BY 1").mapTo(String.class).list());
            }
            return rows;
        });
    }

    /** Every row as {@link #everyRow} found it before. */
    public static void assertUnchanged(DropwizardAppExtension<TrialConfiguration> app, Map<String, java.util.List<String>> before) {
        Map<String, java.util.List<String>> now = everyRow(app);
        org.assertj.core.api.Assertions.assertThat(now.keySet()).isEqualTo(before.keySet());
        before.forEach((table, rows) -> org.assertj.core.api.Assertions.assertThat(now.get(table)).as("rows of " + table)
                .containsExactlyElementsOf(rows));
    }
}
