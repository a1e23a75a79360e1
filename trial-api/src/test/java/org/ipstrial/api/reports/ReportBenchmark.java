package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Latency of every report endpoint over HTTP with 100,000 participants loaded. A benchmark, not a
 * test (its name does not end in IT, so CI never runs it): scripts/report-benchmark. The fixture
 * is bulk-inserted with SQL as the database owner into a fresh embedded database: 100,000 recruits
 * over 80 weeks, 8% screened ineligible, 3% declining agreement, the rest randomised with a full
 * baseline and identifiers in intact blocks of 4, 2% withdrawn, 200 erasures. Warm: the data
 * unchanged since the last call; cold: each call after a real change through the API (a new
 * recruit randomised, or a randomised recruit erased), so what the change touches is recomputed;
 * first call: the first call after the fixture was loaded, which computes every kept part (what
 * the warm-up at start does in service). Delivery: 1,200,000 sessions ({@code benchmark.sessions})
 * spread evenly over the engaged 90% of the treatment group, with a vocational profile each, employer
 * contacts, job starts and ends, discharges, and quarterly FTE per site.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReportBenchmark {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("benchmark"));
    static final int PARTICIPANTS = Integer.getInteger("benchmark.participants", 100_000);
    static final int WARM_UP = 5;
    static final int CALLS = Integer.getInteger("benchmark.calls", 50);
    static final int COLD_CALLS = Integer.getInteger("benchmark.coldCalls", 10);
    /** Sessions recorded for the engaged treatment recruits (about 27 each at 100,000 participants). */
    static final int SESSIONS = Integer.getInteger("benchmark.sessions", 1_200_000);
    /** Only the endpoints whose path contains this ({@code -Dbenchmark.only=delivery}); all by default. */
    static final String ONLY = System.getProperty("benchmark.only", "");

    @Test
    void reportLatency() throws Exception {
        TestService.createUsers(APP);
        long loadStart = System.nanoTime();
        load();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        ApiClient api = TestService.client(APP);
        List<String[]> endpoints = List.of(
                new String[] {"manager", "/reports/recruitment"}, new String[] {"manager", "/reports/recruitment.csv"},
                new String[] {"manager", "/reports/recruitment-weekly.csv"}, new String[] {"manager", "/reports/consort"},
                new String[] {"manager", "/reports/consort.csv"}, new String[] {"manager", "/reports/balance"},
                new String[] {"manager", "/reports/balance.csv"}, new String[] {"statistician", "/reports/recruitment"},
                new String[] {"statistician", "/reports/sequence"}, new String[] {"statistician", "/reports/sequence.csv"},
                new String[] {"specialist", "/reports/structure"}, new String[] {"manager", "/reports/delivery"},
                new String[] {"manager", "/reports/delivery.csv"}, new String[] {"manager", "/reports/delivery-publication.csv"},
                new String[] {"manager", "/reports/fidelity"}).stream().filter(e -> e[1].contains(ONLY)).toList();
        StringBuilder table = new StringBuilder("| endpoint | reader | warm median ms | warm p95 ms | cold median ms | cold max ms | first call ms | bytes |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        try (Connection owner = DriverManager.getConnection(APP.getConfiguration().getDatabase().getUrl(), "postgres", "");
                Statement bump = owner.createStatement()) {
            for (String[] e : endpoints) {
                String user = e[0].equals("specialist") ? "spec-a" : e[0];
                int bytes = 0;
                double first = 0;
                for (int i = 0; i < WARM_UP; i++) {
                    long t = System.nanoTime();
                    var a = api.get(user, e[1]);
                    if (i == 0) {
                        first = (System.nanoTime() - t) / 1e6;
                    }
                    assertThat(a.status()).as(e[1]).isEqualTo(200);
                    bytes = a.text().length();
                }
                double[] warm = time(api, user, e[1], CALLS, null);
                // Cold: every call after a change to the data, so the report is recomputed (in part).
                double[] cold = time(api, user, e[1], COLD_CALLS, bump);
                table.append(String.format("| GET /api/v1%s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %,d |%n", e[1], e[0],
                        warm[CALLS / 2], warm[(int) Math.ceil(0.95 * CALLS) - 1], cold[COLD_CALLS / 2], cold[COLD_CALLS - 1], first, bytes));
            }
        }
        var consort = api.get("statistician", "/reports/consort").body().get("rows").get(0);
        long sessions = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM delivery_record WHERE kind = 'session'").mapTo(Long.class).one());
        long records = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM delivery_record").mapTo(Long.class).one());
        String summary = String.format("%,d participants loaded in %.1f s (%,d delivery records, %,d of them sessions); trial row: "
                + "screened %s, randomised %s%n%n%s", PARTICIPANTS, loadSeconds, records, sessions, consort.get("screened"),
                consort.get("randomised"), table);
        System.out.println(summary);
        Files.writeString(Path.of("target", "benchmark-reports.md"), summary);
        assertThat(consort.get("randomised").asLong()).isGreaterThan(PARTICIPANTS * 8L / 10);
    }

    /**
     * Sorted latencies of {@code calls} calls; with {@code owner} (a connection to find a recruit
     * to erase), each after a real change through the API: a new recruit taken from screening to
     * randomisation, or (every other call) the erasure of a randomised recruit of the fixture.
     */
    static double[] time(ApiClient api, String user, String path, int calls, Statement owner) throws SQLException {
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            if (owner != null) {
                change(api, owner, i);
            }
            long t = System.nanoTime();
            var a = api.get(user, path);
            ms[i] = (System.nanoTime() - t) / 1e6;
            assertThat(a.status()).isEqualTo(200);
        }
        Arrays.sort(ms);
        return ms;
    }

    static final java.util.Random RANDOM = new java.util.Random(20261123);

    static void change(ApiClient api, Statement owner, int i) throws SQLException {
        if (i % 2 == 0) {
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(RANDOM), RANDOM);
            var allocated = api.send("POST", "/randomisations", api.token("spec-a"), java.util.Map.of("participantId", pid),
                    java.util.Map.of("Idempotency-Key", "benchmark-" + pid));
            assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        } else {
            // The fixture's participant ids carry no check digit: give the chosen recruit a real one first.
            String pid = org.ipstrial.identifiers.ParticipantId.random(RANDOM).digits();
            assertThat(owner.executeUpdate("UPDATE recruit SET participant_id = '" + pid + "' WHERE id = (SELECT r.id FROM recruit r "
                    + "JOIN allocation al ON al.person_key = r.person_key WHERE r.site = 'A' ORDER BY random() LIMIT 1)")).isEqualTo(1);
            var erased = api.post("manager", "/recruits/" + pid + "/erasure",
                    java.util.Map.of("requestedOn", java.time.LocalDate.now(TrialContext.TRIAL_ZONE).toString(), "ground", "participant_request",
                            "confirmed", true));
            assertThat(erased.status()).as(erased.toString()).isIn(200, 204);
        }
    }

    /** The fixture: plain SQL, as the owner, then ANALYZE so the planner sees real sizes. */
    static void load() throws SQLException, IOException {
        TrialConfiguration config = APP.getConfiguration();
        TrialDefinition definition = TrialDefinitionFile.load(Path.of(config.getTrial().getDefinitionFile()));
        String answers = definition.baseline().items().stream().map(item -> {
            String value = switch (item.type()) {
                case single -> "(" + codes(item) + ")[1 + floor(random() * " + item.codes().size() + ")::int]";
                case multi -> "jsonb_build_array((" + codes(item) + ")[1 + floor(random() * " + item.codes().size() + ")::int])";
                case integer -> "CASE WHEN random() < 0.05 THEN -8 ELSE " + item.min() + " + floor(random() * "
                        + (item.max() - item.min() + 1) + ")::int END";
            };
            return "'" + item.id() + "', " + value;
        }).collect(Collectors.joining(", "));
        try (Connection c = DriverManager.getConnection(config.getDatabase().getUrl(), "postgres", "");
                Statement s = c.createStatement()) {
            long by;
            try (var rs = s.executeQuery("SELECT id FROM app_user WHERE username = 'spec-a'")) {
                rs.next();
                by = rs.getLong(1);
            }
            List<String> sql = new ArrayList<>();
            sql.add("""
                    CREATE TEMP TABLE bench AS
                    SELECT g, gen_random_uuid() AS id, gen_random_uuid() AS person_key, grp, left(grp, 1) AS site,
                           CASE WHEN grp = 'B-OOW' THEN (ARRAY['B-central', 'B-west'])[1 + (g / 3) %% 2]
                                ELSE (ARRAY['A-north', 'A-south', 'A-east'])[1 + (g / 3) %% 3] END AS area,
                           now() - interval '1 day' - sqrt(random()) * interval '560 days' AS ts, random() AS r
                    FROM (SELECT g, (ARRAY['A-OOW', 'A-IW', 'B-OOW'])[1 + g %% 3] AS grp FROM generate_series(1, %d) g) x
                    """.formatted(PARTICIPANTS));
            // The recruit's place in the flow is set by the triggers on screening and agreement.
            sql.add("INSERT INTO recruit (id, participant_id, person_key, site, area, trial_group, created_by, created_at) "
                    + "SELECT id, lpad(g::text, 8, '0'), person_key, site, area, grp, " + by + ", ts FROM bench");
            sql.add("INSERT INTO screening (recruit_id, site, area, trial_group, eligible, failed_criteria, rules_version, answers, "
                    + "screened_by, screened_at) SELECT id, site, area, grp, r >= 0.08, CASE WHEN r < 0.08 THEN "
                    + "ARRAY['over_18'] ELSE '{}'::text[] END, 'elig-1', '{}'::jsonb, " + by + ", ts FROM bench");
            sql.add("INSERT INTO agreement (recruit_id, form_version, answers, agreed, taken_by, taken_at) "
                    + "SELECT id, 'agree-3', '{}'::jsonb, r >= 0.11, " + by + ", ts FROM bench WHERE r >= 0.08");
            sql.add("INSERT INTO identity (recruit_id, given_name, family_name, date_of_birth, sex, postcode, survey_mode, "
                    + "recorded_by, recorded_at) SELECT id, 'Given', 'Family', date '1960-01-01' + floor(random() * 14600)::int, "
                    + "(ARRAY['female', 'male', 'intersex', 'prefer_not_to_say'])[1 + floor(random() * 4)::int], 'AB1 2CD', "
                    + "'online', " + by + ", ts FROM bench WHERE r >= 0.11");
            sql.add("INSERT INTO baseline (recruit_id, questionnaire_version, answers, recorded_by, recorded_at) "
                    + "SELECT id, 'baseline-1', jsonb_build_object(" + answers + "), " + by + ", ts FROM bench WHERE r >= 0.11");
            sql.add("""
                    INSERT INTO allocation (stratum_key, sequence, block_index, block_size, position_in_block, design_version,
                        arm, person_key, site, area, trial_group, allocated_by, allocated_at, request_hash)
                    SELECT site || '/' || grp, n, (n - 1) / 4, 4, (n - 1) %% 4 + 1, 1,
                           CASE WHEN (n - 1) %% 4 IN (0, 3) THEN 'treatment' ELSE 'control' END,
                           person_key, site, area, grp, %d, ts, 'benchmark'
                    FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY ts) AS n, count(*) OVER (PARTITION BY grp) AS total
                          FROM bench WHERE r >= 0.11) x
                    WHERE n <= total / 4 * 4
                    """.formatted(by));
            // Whole blocks only (up to three recruits of a stratum stay unrandomised): the fixture's blocks of 4 are not the
            // design's, so a head inside a block sent the next randomisation to a position its real block may not have (a 500
            // in two of six runs). Each stratum's head, as the service keeps it: the next randomisation opens a new block.
            sql.add("""
                    INSERT INTO stratum_lock (stratum_key, last_sequence, last_block_index, last_block_size, last_position_in_block,
                        last_design_version, last_arm)
                    SELECT DISTINCT ON (stratum_key) stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm
                    FROM allocation ORDER BY stratum_key, sequence DESC
                    ON CONFLICT (stratum_key) DO UPDATE SET last_sequence = EXCLUDED.last_sequence,
                        last_block_index = EXCLUDED.last_block_index, last_block_size = EXCLUDED.last_block_size,
                        last_position_in_block = EXCLUDED.last_position_in_block,
                        last_design_version = EXCLUDED.last_design_version, last_arm = EXCLUDED.last_arm""");
            sql.add("INSERT INTO status_event (recruit_id, kind, effective_date, reason, recorded_by, recorded_at) "
                    + "SELECT id, 'withdrawn_service', ts::date, 'benchmark', " + by + ", ts FROM bench WHERE r >= 0.11 AND r < 0.13");
            sql.add("INSERT INTO erasure (person_key, site, trial_group, randomised, erased_on, recorded_by) "
                    + "SELECT gen_random_uuid(), 'A', 'A-OOW', FALSE, current_date, " + by + " FROM generate_series(1, 200)");
            // Delivery to the treatment group: 90% engaged, each with the same number of sessions (SESSIONS in all), a
            // vocational profile, a face-to-face employer contact for 60%, a job start for 30% (a third of them ended),
            // a discharge for 5%; quarterly FTE per site.
            // The allocations must be in before they are counted.
            execute(s, sql);
            long treatment;
            try (var rs = s.executeQuery("SELECT count(*) FROM allocation WHERE arm = 'treatment'")) {
                rs.next();
                treatment = rs.getLong(1);
            }
            long perRecruit = Math.max(1, Math.round(SESSIONS / (treatment * 0.9)));
            sql.add("""
                    CREATE TEMP TABLE treated AS
                    SELECT b.id, b.site, b.area, (b.ts AT TIME ZONE 'Europe/London')::date AS d, b.ts,
                           (abs(hashtext(b.id::text)::bigint) % 100)::int AS h
                    FROM bench b JOIN allocation a ON a.person_key = b.person_key AND a.arm = 'treatment'
                    WHERE abs(hashtext(b.id::text)::bigint) % 10 <> 0""");
            sql.add(("""
                    INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, mode, minutes, recorded_by, recorded_at)
                    SELECT t.id, t.site, t.area, 'session', LEAST(current_date, t.d + (t.h %% 14) + (k - 1) * 7),
                           (ARRAY['face_to_face', 'phone', 'video'])[1 + k %% 3], 10 + (k * 7 + t.h) %% 50, %d, t.ts
                    FROM treated t, generate_series(1, %d) k""").formatted(by, perRecruit));
            sql.add("INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, recorded_by, recorded_at) "
                    + "SELECT id, site, area, 'vocational_profile', LEAST(current_date, d + 14), " + by + ", ts FROM treated");
            sql.add("INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, face_to_face, recorded_by, recorded_at) "
                    + "SELECT id, site, area, 'employer_contact', LEAST(current_date, d + 14 + h / 2), TRUE, " + by + ", ts FROM treated WHERE h < 60");
            sql.add("INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, job_type, hours_per_week, at_least_minimum_wage, "
                    + "permanent, employer_name, recorded_by, recorded_at) SELECT id, site, area, 'job_start', LEAST(current_date, d + 60 + h), "
                    + "'retail assistant', 8 + h % 30, TRUE, h % 2 = 0, 'Employer ' || h, " + by + ", ts FROM treated WHERE h < 30");
            sql.add("INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, job_start_id, recorded_by, recorded_at) "
                    + "SELECT recruit_id, site, area, 'job_end', LEAST(current_date, occurred_on + 100), id, " + by + ", recorded_at "
                    + "FROM delivery_record WHERE kind = 'job_start' AND abs(hashtext(recruit_id::text)::bigint) % 3 = 0");
            sql.add("INSERT INTO delivery_record (recruit_id, site, area, kind, occurred_on, recorded_by, recorded_at) "
                    + "SELECT id, site, area, 'discharge', LEAST(current_date, d + 300), " + by + ", ts FROM treated WHERE h >= 95");
            sql.add("INSERT INTO specialist_fte (site, period_start, period_end, fte, recorded_by, recorded_at) "
                    + "SELECT site, q, (q + interval '3 months' - interval '1 day')::date, 40, " + by + ", now() FROM (VALUES ('A'), ('B')) s(site), "
                    + "generate_series(date '2020-01-01', current_date + 366, interval '3 months') q");
            sql.add("ANALYZE");
            execute(s, sql);
        }
    }

    /** Runs the statements in order and empties the list; a failure names the statement. */
    static void execute(Statement s, List<String> sql) throws SQLException {
        for (String statement : sql) {
            try {
                s.execute(statement);
            } catch (SQLException e) {
                throw new SQLException("benchmark fixture statement failed: " + statement, e);
            }
        }
        sql.clear();
    }

    static String codes(TrialDefinition.BaselineItem item) {
        return "ARRAY[" + item.codes().stream().map(c -> String.valueOf(c.code())).collect(Collectors.joining(",")) + "]";
    }
}
