package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.db.EmbeddedDatabase;
import org.ipstrial.api.load.Cluster;
import org.ipstrial.api.load.LoadRun;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.load.RoundRobinClient;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * The physical backup of docs/operations.md, round trip: allocations made, the server stopped,
 * its data directory copied, the server started again (the service reconnects) and more
 * allocations made; the copy then opens as a server of its own holding exactly the allocations
 * made before it was taken, with the audit chain intact.
 */
class BackupRestoreIT {
    @Test
    void aCopyOfTheStoppedDataDirectoryRestoresEveryAllocationMadeBeforeIt() throws Exception {
        LoadTest.quietLogs();
        long firstSeed = 1;
        long secondSeed = 2;
        // The seeds pick the made-up people's identifier prefixes: they must differ, or the second
        // run's people would be refused as already randomised.
        assertThat(new Random(firstSeed).nextInt(300)).isNotEqualTo(new Random(secondSeed).nextInt(300));
        Path folder = TestService.newFolder("backup").toAbsolutePath();
        Path copy = folder.resolve("backup-copy");
        try (Cluster cluster = Cluster.start(folder.resolve("live"), 1)) {
            RoundRobinClient client = new RoundRobinClient(cluster.apiBases(), Duration.ofSeconds(30));
            var before = new LoadRun(client).run(new LoadRun.Plan(4, 16, Duration.ofMinutes(2), firstSeed, 0, null));
            assertThat(before.acknowledged()).hasSize(16);

            cluster.stopDatabase();
            copyTree(cluster.folder().resolve("postgres"), copy);
            cluster.startDatabase();

            var after = new LoadRun(client).run(new LoadRun.Plan(4, 8, Duration.ofMinutes(2), secondSeed, 0, null));
            assertThat(after.acknowledged()).as("the service reconnected after the stop").hasSize(8);
            try (Connection live = cluster.owner()) {
                assertThat(count(live, "allocation")).isEqualTo(24);
            }
        }

        try (EmbeddedDatabase restored = EmbeddedDatabase.start(copy, 0);
                Connection c = DriverManager.getConnection(restored.jdbcUrl(), restored.ownerUser(), "")) {
            assertThat(count(c, "allocation")).isEqualTo(16);
            assertThat(count(c, "randomised_identity")).isGreaterThanOrEqualTo(16);
            Jdbi jdbi = Jdbi.create(restored.jdbcUrl(), restored.ownerUser(), "").installPlugin(new SqlObjectPlugin());
            AuditLog.ChainCheck chain = jdbi.withHandle(AuditLog::verify);
            assertThat(chain).isInstanceOf(AuditLog.ChainCheck.Intact.class);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        // A data directory must be private to its owner, or PostgreSQL refuses to start on it.
        Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}
