package org.ipstrial.api.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.api.DemoHistory;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery report's figures against counts taken straight from the raw rows (delivery_record,
 * allocation), per site and NHS financial-year quarter, on a seeded made-up history of a year and
 * more; then a manager's deletion moves them, and the publication file suppresses small counts.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryReportIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("delivery-report"));
    static final long SEED = 20261203L;
    static ApiClient api;
    static Jdbi owner;
    static LocalDate today;

    @BeforeAll
    static void history() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        owner = TestService.ownerJdbi(APP);
        System.out.println("DeliveryReportIT: seed " + SEED);
        var config = APP.getConfiguration().getTrial();
        var trial = TestService.trial(APP);
        var settings = DeliverySettings.load(Path.of(config.getDeliveryFile()), trial.definition());
        var staff = new DemoHistory.Staff(Map.of("A", TestService.user(APP, "spec-a"), "B", TestService.user(APP, "spec-b")),
                TestService.user(APP, "manager"));
        Instant end = Instant.now();
        today = end.atZone(ZoneId.of("Europe/London")).toLocalDate();
        int randomised = new DemoHistory(TestService.jdbi(APP), trial.definition(), trial.design(),
                SecretFile.read(Path.of(config.getSecretFile())), settings, end, SEED).load(staff, 160, 320);
        assertThat(randomised).isEqualTo(160);
    }

    /** The NHS financial-year quarter of a date column, written in SQL apart from the service's Java. */
    static String quarter(String date) {
        String shifted = "(" + date + " - interval '3 months')";
        return "(extract(year FROM " + shifted + ")::int || '/' || lpad(((extract(year FROM " + shifted + ")::int + 1) % 100)::text, 2, '0')"
                + " || ' Q' || ((extract(month FROM " + shifted + ")::int - 1) / 3 + 1))";
    }

    static final String TREATMENT = """
            SELECT r.id, r.site, (a.allocated_at AT TIME ZONE 'Europe/London')::date AS randomised_on
            FROM recruit r JOIN allocation a ON a.person_key = r.person_key WHERE a.arm = 'treatment'""";

    /** Expected figures per site and quarter label, each from its own query over raw rows. */
    static Map<String, Map<String, Long>> expected() {
        Map<String, Map<String, Long>> by = new HashMap<>();
        owner.useHandle(h -> {
            h.createQuery("WITH t AS (" + TREATMENT + ") SELECT site, " + quarter("randomised_on") + """
                     AS q, count(*) AS randomised,
                       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM delivery_record d WHERE d.recruit_id = t.id
                                                      AND d.kind = 'session' AND d.status = 'current')) AS engaged,
                       coalesce(sum((SELECT count(*) FROM delivery_record d WHERE d.recruit_id = t.id
                                     AND d.kind = 'session' AND d.status = 'current')), 0) AS sessions
                    FROM t GROUP BY 1, 2""").mapToMap().forEach(m -> put(by, m, "randomised", "engaged", "sessions"));
            h.createQuery("SELECT site, " + quarter("occurred_on") + " AS q, count(*) AS job_starts FROM delivery_record "
                    + "WHERE kind = 'job_start' AND status = 'current' GROUP BY 1, 2").mapToMap().forEach(m -> put(by, m, "job_starts"));
            h.createQuery("SELECT site, " + quarter("occurred_on") + " AS q, count(DISTINCT recruit_id) AS profiles FROM delivery_record "
                    + "WHERE kind = 'vocational_profile' AND status = 'current' AND occurred_on = (SELECT min(v.occurred_on) "
                    + "FROM delivery_record v WHERE v.recruit_id = delivery_record.recruit_id AND v.kind = 'vocational_profile' "
                    + "AND v.status = 'current') GROUP BY 1, 2").mapToMap().forEach(m -> put(by, m, "profiles"));
        });
        return by;
    }

    static void put(Map<String, Map<String, Long>> by, Map<String, Object> row, String... figures) {
        Map<String, Long> cell = by.computeIfAbsent(row.get("site") + " " + row.get("q"), k -> new HashMap<>());
        for (String f : figures) {
            cell.put(f, ((Number) row.get(f)).longValue());
        }
    }

    /** Treatment recruits randomised on or before the day and not discharged by then, at a site. */
    static long caseload(String site, LocalDate on) {
        return owner.withHandle(h -> h.createQuery("WITH t AS (" + TREATMENT + ") SELECT count(*) FROM t WHERE site = :site "
                + "AND randomised_on <= :on AND NOT EXISTS (SELECT 1 FROM delivery_record d WHERE d.recruit_id = t.id "
                + "AND d.kind = 'discharge' AND d.status = 'current' AND d.occurred_on <= :on)")
                .bind("site", site).bind("on", on).mapTo(Long.class).one());
    }

    static JsonNode report() {
        var answer = api.get("manager", "/reports/delivery");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.body();
    }

    static long figure(JsonNode row, String field) {
        return row.get(field).asLong();
    }

    @Test
    void everySiteAndQuarterMatchesTheRawRowsAndTheTrialIsTheSumOfItsSites() {
        JsonNode report = report();
        Map<String, Map<String, Long>> expected = expected();
        assertThat(report.get("quarters").size()).as("a history of 320 days spans several quarters").isGreaterThanOrEqualTo(4);
        long sessions = 0;
        int checked = 0;
        Map<String, long[]> trialSums = new HashMap<>();
        for (JsonNode row : report.get("rows")) {
            String level = row.get("level").asText();
            if (!level.equals("site")) {
                continue;
            }
            Map<String, Long> want = expected.getOrDefault(row.get("unit").asText() + " " + row.get("quarter").asText(), Map.of());
            String at = row.get("unit").asText() + " " + row.get("quarter").asText();
            assertThat(figure(row, "randomised")).as(at + " randomised").isEqualTo(want.getOrDefault("randomised", 0L));
            assertThat(figure(row, "engaged")).as(at + " engaged").isEqualTo(want.getOrDefault("engaged", 0L));
            assertThat(figure(row, "sessions")).as(at + " sessions").isEqualTo(want.getOrDefault("sessions", 0L));
            assertThat(figure(row, "jobStarts")).as(at + " job starts").isEqualTo(want.getOrDefault("job_starts", 0L));
            assertThat(figure(row, "vocationalProfiles")).as(at + " profiles").isEqualTo(want.getOrDefault("profiles", 0L));
            LocalDate on = LocalDate.parse(row.get("caseloadOn").asText());
            assertThat(figure(row, "caseload")).as(at + " caseload").isEqualTo(caseload(row.get("unit").asText(), on));
            long lags = 0;
            for (String band : List.of("firstSessionWithin7Days", "firstSession8To14Days", "firstSession15To28Days",
                    "firstSession29To56Days", "firstSessionOver56Days")) {
                lags += figure(row, band);
            }
            assertThat(lags).as(at + " lag bands add up to the engaged").isEqualTo(figure(row, "engaged"));
            if (!row.get("fte").isNull() && figure(row, "caseload") > 0) {
                assertThat(row.get("caseloadPerFte").asDouble()).isEqualTo(figure(row, "caseload") / row.get("fte").asDouble());
                assertThat(row.get("overCaseloadLimit").asBoolean()).isEqualTo(row.get("caseloadPerFte").asDouble() > 20);
            }
            long[] sum = trialSums.computeIfAbsent(row.get("quarter").asText(), k -> new long[3]);
            sum[0] += figure(row, "randomised");
            sum[1] += figure(row, "sessions");
            sum[2] += figure(row, "jobStarts");
            sessions += figure(row, "sessions");
            checked++;
        }
        assertThat(checked).as("two sites over at least four quarters").isGreaterThanOrEqualTo(8);
        assertThat(sessions).as("the made-up history has sessions").isGreaterThan(100);
        for (JsonNode row : report.get("rows")) {
            if (row.get("level").asText().equals("trial")) {
                long[] sum = trialSums.get(row.get("quarter").asText());
                assertThat(new long[] {figure(row, "randomised"), figure(row, "sessions"), figure(row, "jobStarts")})
                        .as("trial " + row.get("quarter").asText()).containsExactly(sum);
            }
        }
    }

    @Test
    void aManagersDeletionTakesARecordOutOfTheFiguresAndThePublicationFileSuppressesSmallCounts() throws Exception {
        Map<String, Object> session = owner.withHandle(h -> h.createQuery("""
                SELECT d.id, d.site, """ + quarter("a.allocated_at AT TIME ZONE 'Europe/London'") + """
                 AS q FROM delivery_record d JOIN recruit r ON r.id = d.recruit_id JOIN allocation a ON a.person_key = r.person_key
                WHERE d.kind = 'session' AND d.status = 'current' ORDER BY d.id LIMIT 1""").mapToMap().one());
        String at = session.get("site") + " " + session.get("q");
        long before = expected().get(at).get("sessions");
        // Asked for first, so the answer the service keeps is the one from before the deletion.
        assertThat(report().get("rows").size()).isPositive();
        var deleted = api.post("manager", "/delivery/records/" + session.get("id") + "/deletion", Map.of("reason", "recorded twice"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        int moved = 0;
        for (JsonNode row : report().get("rows")) {
            if (row.get("level").asText().equals("site") && (row.get("unit").asText() + " " + row.get("quarter").asText()).equals(at)) {
                assertThat(figure(row, "sessions")).isEqualTo(before - 1);
                moved++;
            }
        }
        assertThat(moved).as("the row of " + at).isEqualTo(1);

        List<CSVRecord> full = csv("/reports/delivery.csv");
        List<CSVRecord> published = csv("/reports/delivery-publication.csv");
        assertThat(published).hasSameSizeAs(full);
        int suppressed = 0;
        int shown = 0;
        for (int i = 0; i < full.size(); i++) {
            for (String count : List.of("randomised_treatment", "engaged", "sessions", "job_starts", "caseload", "vocational_profiles")) {
                long n = Long.parseLong(full.get(i).get(count));
                if (n >= 1 && n <= 9) {
                    assertThat(published.get(i).get(count)).isEqualTo("suppressed");
                    suppressed++;
                } else {
                    assertThat(published.get(i).get(count)).isEqualTo(Long.toString(n));
                    shown++;
                }
            }
            long engaged = Long.parseLong(full.get(i).get("engaged"));
            if (engaged >= 1 && engaged <= 9) {
                assertThat(published.get(i).get("sessions_per_participant_mean")).isEqualTo("suppressed");
            }
        }
        assertThat(suppressed).as("small counts in a history of 160").isPositive();
        assertThat(shown).isPositive();
        assertThat(api.get("spec-a", "/reports/delivery").status()).isEqualTo(403);
    }

    static long trialSessions() {
        long sum = 0;
        for (JsonNode row : report().get("rows")) {
            if (row.get("level").asText().equals("trial")) {
                sum += figure(row, "sessions");
            }
        }
        return sum;
    }

    @Test
    void aSessionRecordedAfterTheReportWasAskedForIsInItsNextAnswer() {
        long before = trialSessions();
        assertThat(trialSessions()).as("asked again with nothing changed").isEqualTo(before);
        String pid = owner.withHandle(h -> h.createQuery("SELECT r.participant_id FROM recruit r JOIN allocation a ON a.person_key = "
                + "r.person_key WHERE a.arm = 'treatment' AND r.site = 'A' ORDER BY r.participant_id LIMIT 1").mapTo(String.class).one());
        var recorded = api.post("spec-a", "/recruits/" + pid + "/delivery",
                Map.of("kind", "session", "date", today.toString(), "mode", "phone", "minutes", 20));
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        assertThat(trialSessions()).isEqualTo(before + 1);
    }

    /** Rows of the kept summary missing from a fresh computation over the current records, and the other way round. */
    static final String SUMMARY_DIFFERENCES = """
            SELECT count(*) FROM ((TABLE delivery_summary EXCEPT SELECT f.* FROM delivery_summary_fresh f JOIN recruit r ON r.id = f.recruit_id)
                                  UNION ALL
                                  (SELECT f.* FROM delivery_summary_fresh f JOIN recruit r ON r.id = f.recruit_id EXCEPT TABLE delivery_summary)) x""";

    static long differences() {
        return ownerCount(SUMMARY_DIFFERENCES);
    }

    static long ownerCount(String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void theSummaryTheDatabaseKeepsIsAlwaysTheSummaryOfTheCurrentRecords() {
        assertThat(ownerCount("SELECT count(*) FROM delivery_summary"))
                .as("the made-up history has delivery").isGreaterThan(20);
        assertThat(differences()).as("after the history").isZero();

        // A correction (one statement retiring a record and adding its replacement), a deletion, a change made by hand
        // as the database owner, and an erasure: after each the summary is still the summary of the current records.
        Map<String, Object> session = owner.withHandle(h -> h.createQuery(
                "SELECT id, recruit_id FROM delivery_record WHERE kind = 'session' AND status = 'current' ORDER BY id DESC LIMIT 1")
                .mapToMap().one());
        Map<String, Object> record = new HashMap<>(Map.of("kind", "session", "date", today.toString(), "mode", "phone", "minutes", 45));
        var corrected = api.post("manager", "/delivery/records/" + session.get("id") + "/correction",
                Map.of("reason", "the date was wrong", "record", record));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(differences()).as("after a correction").isZero();

        long profile = owner.withHandle(h -> h.createQuery(
                "SELECT id FROM delivery_record WHERE kind = 'vocational_profile' AND status = 'current' ORDER BY id LIMIT 1")
                .mapTo(Long.class).one());
        var deleted = api.post("manager", "/delivery/records/" + profile + "/deletion", Map.of("reason", "another recruit's"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(differences()).as("after a deletion").isZero();

        assertThat((long) owner.withHandle(h -> h.execute("UPDATE delivery_record SET hours_per_week = 37.5 WHERE kind = 'job_start'")))
                .as("job starts in the history").isPositive();
        assertThat(ownerCount("SELECT count(*) FROM delivery_summary WHERE job_starts > 0 AND first_job_hours <> 37.5")).isZero();
        assertThat(differences()).as("after an owner's update").isZero();

        String erasedPid = owner.withHandle(h -> h.createQuery("SELECT r.participant_id FROM recruit r JOIN delivery_summary s ON "
                + "s.recruit_id = r.id WHERE r.site = 'A' ORDER BY r.participant_id LIMIT 1").mapTo(String.class).one());
        var erased = api.post("manager", "/recruits/" + erasedPid + "/erasure",
                Map.of("requestedOn", today.toString(), "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isIn(200, 204);
        assertThat(differences()).as("after an erasure").isZero();

        // The service's own role reads the summary and may not write it: only the database's triggers do.
        long read = TestService.jdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM delivery_summary").mapTo(Long.class).one());
        assertThat(read).isPositive();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> TestService.jdbi(APP).useHandle(h -> h.execute(
                "UPDATE delivery_summary SET sessions = sessions + 1")))).as("the application role writing the summary")
                .hasMessageContaining("permission denied");
    }

    /** Treatment recruits kept for the report that recruit and allocation do not give, and the other way round. */
    static final String TREATMENT_DIFFERENCES = """
            WITH raw AS (SELECT r.id AS recruit_id, r.site, r.area, (a.allocated_at AT TIME ZONE 'Europe/London')::date AS randomised_on
                         FROM recruit r JOIN allocation a ON a.person_key = r.person_key WHERE a.arm = 'treatment')
            SELECT count(*) FROM ((TABLE treatment_recruit EXCEPT TABLE raw) UNION ALL (TABLE raw EXCEPT TABLE treatment_recruit)) x""";

    @Test
    void theTreatmentRecruitsTheDatabaseKeepsAreAlwaysThoseOfRecruitAndAllocation() {
        assertThat(ownerCount("SELECT count(*) FROM treatment_recruit")).as("the history's treatment group").isGreaterThan(40);
        assertThat(ownerCount(TREATMENT_DIFFERENCES)).as("after the history").isZero();

        // A recruit randomised through the API after the report was asked for: in its next answer if in treatment.
        long before = trialRandomised();
        java.util.Random random = new java.util.Random(SEED + 1); // seeded: SEED is printed
        String pid = org.ipstrial.api.support.Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW",
                org.ipstrial.api.support.Recruits.identity(random), random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "report-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        boolean treatment = allocated.body().get("arm").asText().equals("treatment");
        assertThat(ownerCount("SELECT count(*) FROM treatment_recruit t JOIN recruit r ON r.id = t.recruit_id WHERE r.participant_id = '"
                + pid + "'")).isEqualTo(treatment ? 1 : 0);
        assertThat(ownerCount(TREATMENT_DIFFERENCES)).as("after a randomisation").isZero();
        assertThat(trialRandomised()).isEqualTo(before + (treatment ? 1 : 0));

        String erasedPid = owner.withHandle(h -> h.createQuery("SELECT r.participant_id FROM recruit r JOIN treatment_recruit t ON "
                + "t.recruit_id = r.id WHERE r.site = 'B' ORDER BY r.participant_id LIMIT 1").mapTo(String.class).one());
        long beforeErasure = trialRandomised();
        var erased = api.post("manager", "/recruits/" + erasedPid + "/erasure",
                Map.of("requestedOn", today.toString(), "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isIn(200, 204);
        assertThat(ownerCount(TREATMENT_DIFFERENCES)).as("after an erasure").isZero();
        assertThat(trialRandomised()).as("an erased person is in no report").isEqualTo(beforeErasure - 1);

        // The service's own role reads the table and may not write it: only the database's trigger does.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> TestService.jdbi(APP).useHandle(h -> h.execute(
                "DELETE FROM treatment_recruit")))).as("the application role writing the table").hasMessageContaining("permission denied");
    }

    static long trialRandomised() {
        long sum = 0;
        for (JsonNode row : report().get("rows")) {
            if (row.get("level").asText().equals("trial")) {
                sum += figure(row, "randomised");
            }
        }
        return sum;
    }

    static List<CSVRecord> csv(String path) throws Exception {
        var answer = api.get("manager", path);
        assertThat(answer.status()).isEqualTo(200);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(answer.text())).getRecords();
    }
}
