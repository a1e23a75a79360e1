package org.ipstrial.api.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.db.DatabaseBootstrap;
import org.ipstrial.api.db.EmbeddedDatabase;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The migration of release 0.3.0 on a database written by release 0.2.0 (test resources
 * db/release-0.2.0-database, every table as that release's load test left it): no event is lost
 * or changed, the old single chain still verifies (and still catches a change), its head is
 * sealed in the first checkpoint, the strata's rows carry their last allocation, and new events
 * go on in chains of their own.
 */
class AuditMigrationIT {
    static final List<String> TABLES = List.of("app_user", "design_version", "design_commitment", "stratum_lock", "recruit",
            "screening", "agreement", "identity", "baseline_contact", "baseline", "randomised_identity", "allocation", "erasure",
            "status_event", "flag", "correction", "audit_event", "audit_head");
    static final String EVENTS = "SELECT seq, occurred_at, actor, action, subject, details, prev_hash, hash FROM audit_event t ORDER BY seq";

    @Test
    void aDatabaseWrittenByTheReleaseBeforeMigratesWithEveryEventAndItsChainStillVerifies() throws Exception {
        LoadTest.quietLogs();
        try (EmbeddedDatabase server = EmbeddedDatabase.start(TestService.newFolder("audit-migration").resolve("postgres"), 0, false)) {
            String url = server.jdbcUrl();
            DatabaseBootstrap.migrate("db/migrations-0.2.0.xml", url, server.ownerUser(), "");
            try (Connection c = DriverManager.getConnection(url, server.ownerUser(), "")) {
                CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
                for (int i = 0; i < TABLES.size(); i++) {
                    String resource = "/db/release-0.2.0-database/" + (10 + i) + "-" + TABLES.get(i) + ".csv";
                    if (TABLES.get(i).equals("audit_head")) {
                        c.createStatement().execute("DELETE FROM audit_head"); // release 0.1.0 made its empty head
                    }
                    try (Reader in = new InputStreamReader(AuditMigrationIT.class.getResourceAsStream(resource), StandardCharsets.UTF_8)) {
                        copy.copyIn("COPY " + TABLES.get(i) + " FROM STDIN WITH (FORMAT csv, HEADER true)", in);
                    }
                }
                for (String table : List.of("app_user", "screening", "agreement", "allocation", "status_event", "flag", "correction")) {
                    c.createStatement().execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                            + "(SELECT coalesce(max(id), 0) + 1 FROM " + table + "), false)");
                }
            }
            Jdbi jdbi = Jdbi.create(url, server.ownerUser(), "").installPlugin(new SqlObjectPlugin());
            List<String> before = jdbi.withHandle(h -> h.createQuery(EVENTS).mapToMap().map(Map::toString).list());
            assertThat(before).hasSize(246);

            DatabaseBootstrap.migrate(url, server.ownerUser(), "");

            List<String> after = jdbi.withHandle(h -> h.createQuery(EVENTS).mapToMap().map(Map::toString).list());
            assertThat(after).as("every event of the old release, unchanged").isEqualTo(before);
            var migrated = (AuditLog.ChainCheck.Intact) jdbi.inTransaction(AuditLog::verify);
            assertThat(migrated.events()).isEqualTo(246);
            assertThat(migrated.chains()).as("the old single chain").isEqualTo(1);
            assertThat(migrated.unsealedEvents()).as("its head waits for the first checkpoint").isEqualTo(246);

            AuditSealer sealer = new AuditSealer(jdbi, Clock.systemUTC(), Duration.ofHours(1));
            var first = sealer.seal().orElseThrow();
            assertThat(first.sealedHeads()).isEqualTo(1);
            var sealed = (AuditLog.ChainCheck.Intact) jdbi.inTransaction(AuditLog::verify);
            assertThat(sealed.unsealedEvents()).isZero();
            assertThat(sealed.headHash()).isEqualTo(first.treeHead());

            // Each stratum's row now carries its last allocation, as the randomising statement reads it.
            long stale = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM stratum_lock s
                    WHERE s.last_sequence <> (SELECT max(sequence) FROM allocation a WHERE a.stratum_key = s.stratum_key)
                       OR s.last_arm <> (SELECT arm FROM allocation a WHERE a.stratum_key = s.stratum_key ORDER BY sequence DESC LIMIT 1)""")
                    .mapTo(Long.class).one());
            assertThat(stale).isZero();
            long carrying = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM stratum_lock WHERE last_sequence > 0").mapTo(Long.class).one());
            assertThat(carrying).isEqualTo(3);
            long marked = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM recruit WHERE randomised").mapTo(Long.class).one());
            assertThat(marked).as("every randomised recruit marked on its row").isEqualTo(40);

            // New events start chains of their own beside the old one, and are sealed in turn.
            jdbi.useTransaction(h -> AuditLog.append(h, Instant.now(), "system", "sequence_verified", "design:ips-reference-trial",
                    Map.of("allocations", 40)));
            assertThat(sealer.seal().orElseThrow().treeSize()).isEqualTo(2);
            var extended = (AuditLog.ChainCheck.Intact) jdbi.inTransaction(AuditLog::verify);
            assertThat(extended.events()).isEqualTo(247);
            assertThat(extended.chains()).isEqualTo(2);

            // The old chain still catches a change made around the triggers.
            long changed = 100;
            AuditLog.ChainCheck tampered;
            try (var h = jdbi.open()) {
                h.begin();
                h.execute("SET LOCAL session_replication_role = replica");
                h.execute("UPDATE audit_event SET actor = 'someone else' WHERE seq = ?", changed);
                tampered = AuditLog.verify(h);
                h.rollback();
            }
            assertThat(tampered).isInstanceOf(AuditLog.ChainCheck.Broken.class);
            assertThat(((AuditLog.ChainCheck.Broken) tampered).atSequence()).isEqualTo(changed);
            assertThat(((AuditLog.ChainCheck.Broken) tampered).problem()).contains("of chain release-0.2.0");
        }
    }
}
