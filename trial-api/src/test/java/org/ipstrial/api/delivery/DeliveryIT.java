package org.ipstrial.api.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery records, FTE, fidelity reviews and the delivery export through the real API: every
 * write, its role rules and its bad input (each refusal a 422 naming the field, nothing written).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("delivery"));
    static ApiClient api;
    static String today;
    static String yesterday;
    /** Randomised recruits of site A by arm, one of site B in treatment, and one not randomised. */
    static final List<String> treatmentA = new ArrayList<>();
    static final List<String> controlA = new ArrayList<>();
    static String treatmentB;
    static String notRandomised;

    @BeforeAll
    static void recruits() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        LocalDate now = LocalDate.now(ZoneId.of("Europe/London"));
        today = now.toString();
        yesterday = now.minusDays(1).toString();
        long seed = 20261203L;
        System.out.println("DeliveryIT: seed " + seed);
        Random random = new Random(seed);
        while (treatmentA.size() < 4 || controlA.isEmpty()) {
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            (randomise("spec-a", pid).equals("treatment") ? treatmentA : controlA).add(pid);
        }
        while (treatmentB == null) {
            String pid = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
            if (randomise("spec-b", pid).equals("treatment")) {
                treatmentB = pid;
            }
        }
        notRandomised = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
    }

    static String randomise(String specialist, String pid) {
        var allocated = api.post(specialist, "/randomisations", Map.of("participantId", pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        return allocated.body().get("arm").asText();
    }

    static Map<String, Object> session(String date, String mode, int minutes) {
        return new LinkedHashMap<>(Map.of("kind", "session", "date", date, "mode", mode, "minutes", minutes));
    }

    static Map<String, Object> jobStart(String date, Object hours) {
        Map<String, Object> job = new LinkedHashMap<>(Map.of("kind", "job_start", "date", date, "jobType", "retail assistant",
                "atLeastMinimumWage", true, "permanent", false, "employerName", "Corner Shop Ltd"));
        job.put("hoursPerWeek", hours);
        return job;
    }

    static void refusedNaming(ApiClient.Answer answer, String code, String... fields) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo(code);
        List<String> named = new ArrayList<>();
        answer.body().get("fieldErrors").forEach(f -> named.add(f.get("field").asText()));
        assertThat(named).as(answer.toString()).containsExactlyInAnyOrder(fields);
    }

    static long countAudit(String action) {
        return TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM audit_event WHERE action = :a")
                .bind("a", action).mapTo(Long.class).one());
    }

    @Test
    void aSpecialistRecordsEveryKindForATreatmentRecruitEachAudited() {
        String pid = treatmentA.get(0);
        long before = countAudit("delivery_recorded");
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", session(today, "face_to_face", 45)).status()).isEqualTo(201);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", session(today, "phone", 10)).status()).isEqualTo(201);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", Map.of("kind", "vocational_profile", "date", today)).status())
                .isEqualTo(201);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", Map.of("kind", "employer_contact", "date", today,
                "faceToFace", true)).status()).isEqualTo(201);
        var job = api.post("spec-a", "/recruits/" + pid + "/delivery", jobStart(today, 37.5));
        assertThat(job.status()).as(job.toString()).isEqualTo(201);
        assertThat(job.body().get("hoursPerWeek").decimalValue()).isEqualByComparingTo("37.5");
        long jobId = job.body().get("id").asLong();
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", Map.of("kind", "in_work_support", "date", today,
                "mode", "video", "minutes", 20, "jobStartId", jobId)).status()).isEqualTo(201);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", Map.of("kind", "job_end", "date", today, "jobStartId", jobId))
                .status()).isEqualTo(201);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/delivery", Map.of("kind", "discharge", "date", today)).status())
                .isEqualTo(201);
        assertThat(countAudit("delivery_recorded") - before).isEqualTo(8);
        var listed = api.get("manager", "/recruits/" + pid + "/delivery");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("current")).hasSize(8);
        var general = api.post("spec-a", "/delivery/employer-contacts", Map.of("date", today, "faceToFace", false));
        assertThat(general.status()).as(general.toString()).isEqualTo(201);
        // Hours of exactly 100 are allowed.
        assertThat(api.post("spec-a", "/recruits/" + treatmentA.get(3) + "/delivery", jobStart(today, 100)).status()).isEqualTo(201);
    }

    @Test
    void aControlOrUnrandomisedRecruitAndBadInputAre422NamingTheReasonAndNothingIsWritten() {
        var before = TestService.everyRow(APP);
        String pid = treatmentA.get(1);
        refusedNaming(api.post("spec-a", "/recruits/" + controlA.get(0) + "/delivery", session(today, "phone", 20)),
                "control_group", "participantId");
        refusedNaming(api.post("spec-a", "/recruits/" + notRandomised + "/delivery", session(today, "phone", 20)),
                "not_randomised", "participantId");
        // Randomised today: yesterday is before randomisation.
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery", session(yesterday, "phone", 20)), "invalid_fields", "date");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery", jobStart(yesterday, 20)), "invalid_fields", "date");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery", jobStart(today, 100.5)), "invalid_fields", "hoursPerWeek");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery", jobStart(today, 0)), "invalid_fields", "hoursPerWeek");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery", session(today, "carrier_pigeon", 0)), "invalid_fields",
                "mode", "minutes");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery",
                Map.of("kind", "vocational_profile", "date", today, "minutes", 30)), "invalid_fields", "minutes");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery",
                Map.of("kind", "job_end", "date", today, "jobStartId", 999999)), "invalid_fields", "jobStartId");
        refusedNaming(api.post("spec-a", "/recruits/" + pid + "/delivery",
                session(LocalDate.parse(today).plusDays(1).toString(), "phone", 20)), "invalid_fields", "date");
        refusedNaming(api.post("spec-a", "/delivery/employer-contacts", Map.of("date", today)), "invalid_fields", "faceToFace");
        TestService.assertUnchanged(APP, before);
    }

    @Test
    void onlySpecialistsOfTheRecruitsSiteWriteAndManagersCorrectOrDeleteWithAReason() {
        String pid = treatmentA.get(2);
        String[] others = {"manager", "statistician", "custodian", "analyst", "admin", "fieldwork"};
        for (String user : others) {
            api.token(user);
        }
        var before = TestService.everyRow(APP);
        assertThat(api.post("spec-b", "/recruits/" + pid + "/delivery", session(today, "phone", 20)).status())
                .as("another site's specialist").isEqualTo(404);
        for (String user : others) {
            assertThat(api.post(user, "/recruits/" + pid + "/delivery", session(today, "phone", 20)).status()).as(user).isEqualTo(403);
        }
        TestService.assertUnchanged(APP, before);

        var made = api.post("spec-a", "/recruits/" + pid + "/delivery", session(today, "phone", 20));
        long id = made.body().get("id").asLong();
        Map<String, Object> corrected = Map.of("reason", "it was face to face, and longer", "record", session(today, "face_to_face", 50));
        assertThat(api.post("spec-a", "/delivery/records/" + id + "/correction", corrected).status()).isEqualTo(403);
        before = TestService.everyRow(APP);
        refusedNaming(api.post("manager", "/delivery/records/" + id + "/correction",
                Map.of("reason", " ", "record", session(today, "face_to_face", 50))), "invalid_fields", "reason");
        refusedNaming(api.post("manager", "/delivery/records/" + id + "/correction",
                Map.of("reason", "typo", "record", Map.of("kind", "discharge", "date", today))), "invalid_fields", "record.kind");
        refusedNaming(api.post("manager", "/delivery/records/" + id + "/deletion", Map.of("reason", "")), "invalid_fields", "reason");
        TestService.assertUnchanged(APP, before);

        var answer = api.post("manager", "/delivery/records/" + id + "/correction", corrected);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        long replacement = answer.body().get("id").asLong();
        assertThat(answer.body().get("replaces").asLong()).isEqualTo(id);
        assertThat(answer.body().get("minutes").asInt()).isEqualTo(50);
        var again = api.post("manager", "/delivery/records/" + id + "/correction", corrected);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_changed");
        var listed = api.get("spec-a", "/recruits/" + pid + "/delivery").body();
        assertThat(listed.get("current").findValues("id").stream().map(n -> n.asLong()).toList()).contains(replacement).doesNotContain(id);
        assertThat(listed.get("history").findValues("status").stream().map(n -> n.asText()).toList()).contains("corrected");

        var deleted = api.post("manager", "/delivery/records/" + replacement + "/deletion", Map.of("reason", "recorded for the wrong person"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().get("status").asText()).isEqualTo("deleted");
        assertThat(countAudit("delivery_corrected")).isEqualTo(1);
        assertThat(countAudit("delivery_deleted")).isEqualTo(1);
        long reasons = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM delivery_change WHERE record_id IN (:a, :b) AND reason <> ''")
                .bind("a", id).bind("b", replacement).mapTo(Long.class).one());
        assertThat(reasons).isEqualTo(2);
    }

    static Map<String, Object> review(String service, int round, List<String> reviewers, int badItem, int badScore) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            items.add(Map.of("item", i, "score", i == badItem ? badScore : 1 + i % 5, "evidence", "seen in records, item " + i));
        }
        Map<String, Object> review = new HashMap<>();
        review.put("service", service);
        review.put("round", round);
        review.put("reviewedOn", today);
        review.put("reviewers", reviewers);
        review.put("scaleVersion", "uk-25-v1");
        review.put("remoteAdjusted", false);
        review.put("items", items);
        review.put("actions", List.of(Map.of("item", 17, "action", "six employer contacts a week per specialist", "owner", "team lead",
                "status", "open")));
        return review;
    }

    @Test
    void aFidelityReviewNeedsTwoReviewersAndScoresOneToFiveItsTotalAndBandComputed() {
        var before = TestService.everyRow(APP);
        refusedNaming(api.post("manager", "/fidelity/reviews", review("A-IPS-1", 1, List.of("R. One", "R. Two"), 7, 6)),
                "invalid_fields", "items[6].score");
        refusedNaming(api.post("manager", "/fidelity/reviews", review("A-IPS-1", 1, List.of("R. One"), 0, 0)),
                "invalid_fields", "reviewers");
        assertThat(api.post("spec-a", "/fidelity/reviews", review("A-IPS-1", 1, List.of("R. One", "R. Two"), 0, 0)).status())
                .isEqualTo(403);
        TestService.assertUnchanged(APP, before);

        var made = api.post("manager", "/fidelity/reviews", review("A-IPS-1", 1, List.of("R. One", "R. Two"), 0, 0));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        // Scores 1 + i % 5 for i = 1..25: five of each of 1..5, total 75: fair (74-99).
        assertThat(made.body().get("total").asInt()).isEqualTo(75);
        assertThat(made.body().get("band").asText()).isEqualTo("fair");
        assertThat(api.post("manager", "/fidelity/reviews", review("A-IPS-1", 1, List.of("R. One", "R. Two"), 0, 0)).code())
                .isEqualTo("round_recorded");
        long reviewId = made.body().get("id").asLong();
        long actionId = made.body().get("actions").get(0).get("id").asLong();
        var done = api.put("manager", "/fidelity/reviews/" + reviewId + "/actions/" + actionId, Map.of("status", "done"));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.body().get("actions").get(0).get("status").asText()).isEqualTo("done");
        var report = api.get("manager", "/reports/fidelity");
        assertThat(report.body().get("items")).hasSize(25);
        assertThat(report.body().get("items").get(6).get("scores").get(0).asInt()).isEqualTo(1 + 7 % 5);
        assertThat(api.get("manager", "/reports/fidelity.csv").text()).contains("A-IPS-1 round 1");
    }

    @Test
    void fteePeriodsOfASiteDoNotOverlap() {
        var first = api.post("manager", "/delivery/specialist-fte",
                Map.of("site", "B", "periodStart", "2019-04-01", "periodEnd", "2019-06-30", "fte", 3.5));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        var before = TestService.everyRow(APP);
        refusedNaming(api.post("manager", "/delivery/specialist-fte",
                Map.of("site", "B", "periodStart", "2019-06-01", "periodEnd", "2019-09-30", "fte", 4)), "invalid_fields", "periodStart");
        refusedNaming(api.post("manager", "/delivery/specialist-fte",
                Map.of("site", "B", "periodStart", "2019-10-01", "periodEnd", "2019-09-30", "fte", 0)), "invalid_fields", "periodEnd", "fte");
        TestService.assertUnchanged(APP, before);
    }

    @Test
    void theDeliveryExportHasOneRowPerTreatmentRecruitInTheContractsColumnsErasedPeopleAbsent() throws Exception {
        String pid = treatmentB;
        assertThat(api.post("spec-b", "/recruits/" + pid + "/delivery", session(today, "face_to_face", 16)).status()).isEqualTo(201);
        assertThat(api.post("spec-b", "/recruits/" + pid + "/delivery", session(today, "phone", 15)).status()).isEqualTo(201);
        assertThat(api.post("spec-b", "/recruits/" + pid + "/delivery", jobStart(today, 16.25)).status()).isEqualTo(201);
        var export = api.get("custodian", "/exports/delivery.csv");
        assertThat(export.status()).isEqualTo(200);
        String[] lines = export.text().split("\n");
        assertThat(lines[0]).isEqualTo("participant_id,sessions,sessions_over_15_minutes,first_session_date,engaged,"
                + "vocational_profile_date,first_employer_contact_date,job_starts,first_job_start_date,first_job_hours_per_week");
        assertThat(export.text()).doesNotContain("Corner Shop");
        List<String> all = new ArrayList<>(treatmentA);
        all.add(treatmentB);
        assertThat(lines).hasSize(all.size() + 1);
        for (String control : controlA) {
            assertThat(export.text()).doesNotContain(control);
        }
        assertThat(lines).contains(pid + ",2,1," + today + ",true,,,1," + today + ",16.25");
        assertThat(api.get("manager", "/exports/delivery.csv").status()).isEqualTo(403);

        // Erased: gone from the file, with its records.
        var erased = api.post("manager", "/recruits/" + pid + "/erasure",
                Map.of("requestedOn", today, "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(204);
        String after = api.get("custodian", "/exports/delivery.csv").text();
        assertThat(after).doesNotContain(pid);
        assertThat(after.split("\n")).hasSize(all.size());
    }
}
