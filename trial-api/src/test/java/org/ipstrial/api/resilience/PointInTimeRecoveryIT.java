package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.ipstrial.api.db.BaseBackup;
import org.ipstrial.api.db.PointInTimeRestore;
import org.ipstrial.api.load.AllocationCheck;
import org.ipstrial.api.load.Cluster;
import org.ipstrial.api.load.LoadRun;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.load.RoundRobinClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;

/**
 * The point-in-time recovery drill of docs/operations.md: WAL archived to a folder, a base backup
 * taken online, allocations made, the time noted, more allocations made; the base backup restored
 * with the archive up to the noted time holds exactly the first allocations (and none of the
 * later recruits), each with the arm its client was told, the sequence the secret's, and the
 * audit chain intact.
 */
class PointInTimeRecoveryIT {
    @Test
    void restoringToANotedMomentKeepsExactlyTheWritesMadeBeforeIt() throws Exception {
        LoadTest.quietLogs();
        long firstSeed = 3;
        long secondSeed = 4;
        // The seeds pick the made-up people's identifier prefixes: they must differ.
        assertThat(new Random(firstSeed).nextInt(300)).isNotEqualTo(new Random(secondSeed).nextInt(300));
        Path folder = TestService.newFolder("pitr").toAbsolutePath();
        Path design = Cluster.repositoryRoot().resolve("config/randomisation-demo.yml");
        try (Cluster cluster = Cluster.start(folder.resolve("live"), 1, new Cluster.Layout(false, true))) {
            BaseBackup.Taken base = BaseBackup.take(cluster.jdbcUrl(), cluster.ownerUser(), "", cluster.primaryDataDirectory(),
                    folder.resolve("base-backup"));
            RoundRobinClient client = new RoundRobinClient(cluster.apiBases(), Duration.ofSeconds(30));
            LoadRun.Result first = new LoadRun(client).run(new LoadRun.Plan(4, 16, Duration.ofMinutes(2), firstSeed, 0, null));
            assertThat(first.acknowledged()).hasSize(16);
            OffsetDateTime noted;
            try (Connection c = cluster.owner(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
                r.next();
                noted = r.getObject(1, OffsetDateTime.class);
            }
            LoadRun.Result second = new LoadRun(client).run(new LoadRun.Plan(4, 8, Duration.ofMinutes(2), secondSeed, 0, null));
            assertThat(second.acknowledged()).hasSize(8);
            cluster.archiveCurrentWal();
            try (Connection live = cluster.owner()) {
                assertThat(count(live, "SELECT count(*) FROM allocation")).isEqualTo(24);
            }

            var restored = PointInTimeRestore.restore(new PointInTimeRestore.Request(base.target(), cluster.walArchive(), noted,
                    folder.resolve("restored")), Duration.ofMinutes(5));
            try (var database = restored.database();
                    Connection c = DriverManager.getConnection(database.jdbcUrl(), database.ownerUser(), "")) {
                System.out.printf("PITR drill: noted %s; restored %d allocations, last at %s, %d audit events%n", noted,
                        restored.allocations(), restored.lastAllocationAt(), restored.auditEvents());
                assertThat(restored.allocations()).isEqualTo(16);
                assertThat(restored.lastAllocationAt()).isBefore(noted);
                assertThat(count(c, "SELECT count(*) FROM allocation WHERE allocated_at > '" + noted + "'")).isZero();
                Set<String> recruits = new HashSet<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT trim(participant_id) FROM recruit")) {
                    while (r.next()) {
                        recruits.add(r.getString(1));
                    }
                }
                List<String> later = second.acknowledged().stream().map(LoadRun.Acknowledged::participantId).toList();
                assertThat(recruits).as("recruits created after the noted time").doesNotContainAnyElementsOf(later);
                assertThat(count(c, "SELECT count(*) FROM (SELECT pg_is_in_recovery() AS r) x WHERE NOT r"))
                        .as("recovery ended: the restored server takes writes").isEqualTo(1);

                AllocationCheck.Verdict verdict = AllocationCheck.run(database.jdbcUrl(), database.ownerUser(),
                        cluster.randomisationSecret(), design, first.acknowledged());
                assertThat(verdict.problems()).isEmpty();
                assertThat(verdict.allocations()).isEqualTo(16);
                assertThat(verdict.auditEvents()).isPositive();
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
