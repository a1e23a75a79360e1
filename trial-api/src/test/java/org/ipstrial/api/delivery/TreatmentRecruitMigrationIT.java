package org.ipstrial.api.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipstrial.api.db.DatabaseBootstrap;
import org.ipstrial.api.db.EmbeddedDatabase;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Release 0.7.0 on a database written by release 0.6.0: treatment_recruit is filled with every
 * randomised treatment recruit on record (not the control group, not the unrandomised, not the
 * erased, whose allocation stays without its recruit), each on the day of randomisation in
 * Europe/London, and afterwards the database adds the treatment recruits that are randomised.
 */
class TreatmentRecruitMigrationIT {
    static final String ROWS = "SELECT t.site || ' ' || t.area || ' ' || t.randomised_on || ' ' || r.participant_id "
            + "FROM treatment_recruit t JOIN recruit r ON r.id = t.recruit_id ORDER BY r.participant_id";

    static List<String> rows(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(ROWS).mapTo(String.class).list());
    }

    @Test
    void theMigrationFillsTheTableFromTheRecruitsAlreadyRandomisedAndTheTriggerKeepsItAfterwards() throws Exception {
        LoadTest.quietLogs();
        try (EmbeddedDatabase server = EmbeddedDatabase.start(TestService.newFolder("treatment-migration").resolve("postgres"), 0, false)) {
            String url = server.jdbcUrl();
            DatabaseBootstrap.migrate("db/migrations-0.6.0.xml", url, server.ownerUser(), "");
            Jdbi jdbi = Jdbi.create(url, server.ownerUser(), "");
            jdbi.useHandle(h -> {
                long by = h.createQuery("INSERT INTO app_user (username, password_hash, role, site) VALUES ('spec', 'x', 'specialist', 'A') "
                        + "RETURNING id").mapTo(Long.class).one();
                // 1 and 2 treatment (randomised half an hour after midnight in summer time, and just before midnight in
                // winter), 3 control, 4 not randomised, 5 treatment and erased: the allocation stays, the recruit is gone.
                h.execute("""
                        INSERT INTO recruit (id, participant_id, person_key, site, area, trial_group, created_by, created_at)
                        SELECT gen_random_uuid(), 'P' || n, k, s, a, g, ?, timestamptz '2019-05-01 10:00Z'
                        FROM (VALUES (1, 'A', 'A-north', 'A-OOW'), (2, 'B', 'B-west', 'B-OOW'), (3, 'A', 'A-south', 'A-OOW'),
                                     (4, 'A', 'A-east', 'A-IW')) v(n, s, a, g),
                             LATERAL (SELECT md5('person ' || n)::uuid AS k) p""", by);
                h.execute("""
                        INSERT INTO allocation (stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm,
                            person_key, site, area, trial_group, allocated_by, allocated_at, request_hash)
                        SELECT 'stratum', n, 0, 4, n, 1, arm, md5('person ' || n)::uuid, s, a, 'X', ?, at, 'migration'
                        FROM (VALUES (1, 'treatment', 'A', 'A-north', timestamptz '2019-06-30 23:30Z'),
                                     (2, 'treatment', 'B', 'B-west', timestamptz '2019-12-31 23:30Z'),
                                     (3, 'control', 'A', 'A-south', timestamptz '2019-07-02 09:00Z'),
                                     (5, 'treatment', 'A', 'A-north', timestamptz '2019-07-03 09:00Z')) v(n, arm, s, a, at)""", by);
            });

            DatabaseBootstrap.migrate(url, server.ownerUser(), "");

            assertThat(rows(jdbi)).containsExactly("A A-north 2019-07-01 P1", "B B-west 2019-12-31 P2");

            // Recruit 4 randomised to treatment after the release: added by the database in the same statement.
            jdbi.useHandle(h -> h.execute("""
                    INSERT INTO allocation (stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm,
                        person_key, site, area, trial_group, allocated_by, allocated_at, request_hash)
                    SELECT 'stratum', 4, 0, 4, 4, 1, 'treatment', person_key, site, area, trial_group, created_by,
                           timestamptz '2020-03-29 00:30Z', 'migration'
                    FROM recruit WHERE participant_id = 'P4'"""));
            assertThat(rows(jdbi))
                    .containsExactly("A A-north 2019-07-01 P1", "B B-west 2019-12-31 P2", "A A-east 2020-03-29 P4");

            // An erasure takes the row with the recruit.
            jdbi.useHandle(h -> h.execute("DELETE FROM recruit WHERE participant_id = 'P1'"));
            assertThat(rows(jdbi))
                    .containsExactly("B B-west 2019-12-31 P2", "A A-east 2020-03-29 P4");
        }
    }
}
