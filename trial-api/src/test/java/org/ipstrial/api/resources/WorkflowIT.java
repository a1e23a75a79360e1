package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.HashMap;
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

/** A first appointment from a new recruit to a randomised result, through the real API and database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkflowIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("workflow"));
    static ApiClient api;
    Random random;

    @org.junit.jupiter.api.BeforeEach
    void seed(org.junit.jupiter.api.TestInfo test) {
        random = TestService.seededRandom(test);
    }

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @Test
    void aRecruitGoesFromScreeningToARandomisedResultInNeutralWords() {
        var created = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pid = created.body().get("participantId").asText();
        assertThat(pid).matches("\\d{8}");
        assertThat(steps(created)).as("every step up to the end").containsExactly("screening", "agreement", "identity", "baseline",
                "randomisation");

        var refused = api.send("POST", "/randomisations", null, Map.of("participantId", pid), Map.of());
        assertThat(refused.status()).isEqualTo(401);

        var notReady = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
        assertThat(notReady.status()).isEqualTo(409);
        assertThat(notReady.code()).isEqualTo("not_ready");

        var screened = api.post("spec-a", "/recruits/" + pid + "/screening",
                Map.of("trialGroup", "A-OOW", "answers", Recruits.eligibleAnswers("A-OOW")));
        assertThat(screened.status()).as(screened.toString()).isEqualTo(200);
        assertThat(screened.body().get("eligible").asBoolean()).isTrue();
        assertThat(screened.body().get("rulesVersion").asText()).isEqualTo("elig-1");

        var agreed = api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", Recruits.agreeAll()));
        assertThat(agreed.status()).as(agreed.toString()).isEqualTo(200);
        assertThat(agreed.body().get("agreed").asBoolean()).isTrue();

        var identity = api.put("spec-a", "/recruits/" + pid + "/identity", Recruits.identity(random));
        assertThat(identity.status()).as(identity.toString()).isEqualTo(200);
        var baseline = api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", Recruits.baseline(random)));
        assertThat(baseline.status()).as(baseline.toString()).isEqualTo(200);
        assertThat(steps(baseline)).as("randomisation is still to do after the baseline").containsExactly("randomisation");

        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "key-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        String arm = allocated.body().get("arm").asText();
        assertThat(arm).isIn("treatment", "control");
        assertThat(allocated.body().get("nextStep").asText()).isNotBlank();
        assertThat(allocated.text()).doesNotContainIgnoringCase("lucky").doesNotContainIgnoringCase("sorry");
        // The words are the trial definition's; the code stays the code.
        String words = arm.equals("treatment") ? "IPS employment support" : "usual support";
        assertThat(allocated.body().get("armLabel").asText()).isEqualTo(words);
        assertThat(allocated.body().get("message").asText()).isEqualTo("Randomisation is complete. The allocation is: " + words + ".");

        var view = api.get("spec-a", "/recruits/" + pid);
        assertThat(view.body().path("allocation").path("arm").asText()).isEqualTo(arm);
        assertThat(view.body().get("stepsRemaining")).as("nothing is left once randomised").isEmpty();
    }

    /** The step names of a recruit view's stepsRemaining ("screening: ..." gives screening). */
    static List<String> steps(ApiClient.Answer recruit) {
        List<String> names = new java.util.ArrayList<>();
        recruit.body().get("stepsRemaining").forEach(s -> names.add(s.asText().substring(0, s.asText().indexOf(':'))));
        return names;
    }

    static String randomised(String specialist, String site, String area, String group, Map<String, Object> identity, Random random) {
        String pid = Recruits.ready(api, specialist, site, area, group, identity, random);
        var a = api.send("POST", "/randomisations", api.token(specialist), Map.of("participantId", pid), Map.of());
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return pid;
    }

    static Map<String, Long> rowCounts() {
        return TestService.jdbi(APP).withHandle(h -> {
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (String table : List.of("recruit", "screening", "agreement", "identity", "baseline", "allocation", "audit_event",
                    "status_event", "erasure", "correction", "flag", "randomised_identity")) {
                counts.put(table, h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
            }
            return counts;
        });
    }

    @Test
    void aRetryReturnsTheSameAllocationAndAReusedKeyIsRefused() {
        String first = Recruits.ready(api, "spec-a", "A", "A-south", "A-IW", Recruits.identity(random), random);
        String second = Recruits.ready(api, "spec-a", "A", "A-south", "A-IW", Recruits.identity(random), random);
        var headers = Map.of("Idempotency-Key", "retry-" + first);
        var one = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", first), headers);
        var again = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", first), headers);
        assertThat(one.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(one.body());
        var noKey = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", first), Map.of());
        assertThat(noKey.body()).isEqualTo(one.body());
        Map<String, Long> before = rowCounts();
        var reused = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", second), headers);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(rowCounts()).isEqualTo(before);
        long allocations = TestService.jdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM allocation WHERE idempotency_key = :k").bind("k", org.ipstrial.api.core.recruitment.RandomisationService.idempotencyKeyHash("retry-" + first)).mapTo(Long.class).one());
        assertThat(allocations).isEqualTo(1);
    }

    @Test
    void theSamePersonIsNeverRandomisedTwiceAtAnySite() {
        Map<String, Object> person = Recruits.identity(random);
        person.put("givenName", "Zoë");
        person.put("familyName", "O'Brien-Smith");
        person.put("postcode", "S1 2AB");
        randomised("spec-a", "A", "A-north", "A-OOW", person, random);

        // Same name folded (case, spaces, accents, punctuation), same date of birth, postcode written otherwise,
        // but different identifiers: at the other site.
        Map<String, Object> again = Recruits.identity(random);
        again.put("givenName", "ZOE");
        again.put("familyName", "obrien smith");
        again.put("dateOfBirth", person.get("dateOfBirth"));
        again.put("postcode", "s12ab");
        var created = api.post("spec-b", "/recruits", Map.of("site", "B", "area", "B-west"));
        String pid = created.body().get("participantId").asText();
        var refused = api.put("spec-b", "/recruits/" + pid + "/identity", again);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("already_randomised");

        // Same National Insurance number in another spelling.
        Map<String, Object> sameNino = Recruits.identity(random);
        sameNino.put("nationalInsuranceNumber", person.get("nationalInsuranceNumber").toString().toLowerCase().replaceAll("(..)(..)(..)(..)(.)", "$1 $2 $3 $4 $5"));
        assertThat(api.put("spec-b", "/recruits/" + pid + "/identity", sameNino).status()).isEqualTo(409);

        // Two records of one person, neither randomised yet: the second randomisation is refused.
        Map<String, Object> twin = Recruits.identity(random);
        String one = Recruits.ready(api, "spec-a", "A", "A-east", "A-OOW", twin, random);
        String two = Recruits.ready(api, "spec-b", "B", "B-central", "B-OOW", twin, random);
        assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", one), Map.of()).status()).isEqualTo(200);
        var duplicate = api.send("POST", "/randomisations", api.token("spec-b"), Map.of("participantId", two), Map.of());
        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("duplicate_person");
    }

    @Test
    void aSpecialistCannotReadOrChangeAnotherSitesRecruits() {
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
        assertThat(api.get("spec-b", "/recruits/" + pid).status()).isEqualTo(404);
        assertThat(api.post("spec-b", "/recruits/" + pid + "/screening", Map.of("trialGroup", "A-OOW",
                "answers", Recruits.eligibleAnswers("A-OOW"))).status()).isEqualTo(404);
        assertThat(api.send("POST", "/randomisations", api.token("spec-b"), Map.of("participantId", pid), Map.of()).status()).isEqualTo(404);
        assertThat(api.post("spec-b", "/recruits", Map.of("site", "A", "area", "A-north")).status()).isEqualTo(422);
        assertThat(api.get("spec-b", "/recruits").body().findValuesAsText("participantId")).doesNotContain(pid);
        assertThat(api.get("spec-a", "/recruits?q=" + pid).body().findValuesAsText("participantId")).containsExactly(pid);
        assertThat(api.get("manager", "/recruits/" + pid).status()).isEqualTo(200);
    }

    @Test
    void badInputGetsAFieldErrorAndChangesNothing() {
        var created = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north"));
        String pid = created.body().get("participantId").asText();
        Map<String, Long> before = rowCounts();
        Map<String, Object[]> identityCases = new java.util.LinkedHashMap<>();
        identityCases.put("nationalInsuranceNumber", new Object[] {"QQ123456Z"});
        identityCases.put("nhsNumber", new Object[] {"1234567890"});
        identityCases.put("givenName", new Object[] {""});
        identityCases.put("familyName", new Object[] {"x".repeat(201)});
        identityCases.put("dateOfBirth", new Object[] {"31/02/1980"});
        identityCases.put("sex", new Object[] {"m"});
        identityCases.put("postcode", new Object[] {"NOT A POSTCODE"});
        identityCases.put("phone", new Object[] {"12"});
        identityCases.put("email", new Object[] {"nobody"});
        identityCases.put("surveyMode", new Object[] {"carrier_pigeon"});
        identityCases.put("surveyModeReason", new Object[] {"whim"});
        identityCases.forEach((field, value) -> {
            Map<String, Object> identity = new HashMap<>(Recruits.identity(random));
            identity.put(field, value[0]);
            var answer = api.put("spec-a", "/recruits/" + pid + "/identity", identity);
            assertThat(answer.status()).as(field + " " + answer).isEqualTo(422);
            assertThat(answer.body().get("fieldErrors").findValuesAsText("field")).as(field).containsExactly(field);
            if (String.valueOf(value[0]).length() >= 5) {
                assertThat(answer.text()).as("the value is never echoed").doesNotContain(String.valueOf(value[0]));
            }
        });
        var wrongType = api.put("spec-a", "/recruits/" + pid + "/identity", Map.of("givenName", List.of(1, 2)));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("fieldErrors").get(0).get("field").asText()).isEqualTo("givenName");
        var unknownField = api.put("spec-a", "/recruits/" + pid + "/identity", Map.of("shoeSize", 9));
        assertThat(unknownField.status()).isEqualTo(400);
        var malformed = api.sendRaw("PUT", "/recruits/" + pid + "/identity", api.token("spec-a"), "{\"givenName\": ", "application/json", Map.of());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("malformed_json");
        var notJson = api.sendRaw("PUT", "/recruits/" + pid + "/identity", api.token("spec-a"), "name=x", "text/plain", Map.of());
        assertThat(notJson.status()).isEqualTo(415);
        // Its own client: the server closes the connection after refusing a body mid-way.
        var oversized = TestService.client(APP).sendRaw("PUT", "/recruits/" + pid + "/identity", api.token("spec-a"),
                "{\"givenName\": \"" + "x".repeat(2 << 20) + "\"}", "application/json", Map.of());
        assertThat(oversized.status()).isEqualTo(413);
        var screening = api.post("spec-a", "/recruits/" + pid + "/screening", Map.of("trialGroup", "B-OOW", "answers", Map.of()));
        assertThat(screening.status()).isEqualTo(422);
        assertThat(screening.body().get("fieldErrors").findValuesAsText("field")).containsExactly("trialGroup");
        var oldForm = api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-2", "answers", Recruits.agreeAll()));
        assertThat(oldForm.status()).isEqualTo(422);
        var partial = api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", Map.of("take_part", true)));
        assertThat(partial.status()).isEqualTo(422);
        assertThat(partial.body().get("fieldErrors")).hasSize(4);
        var baseline = new HashMap<>(Recruits.baseline(random));
        baseline.put("gender", 7);
        assertThat(api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", baseline)).status()).isEqualTo(422);
        assertThat(api.get("spec-a", "/recruits/12345678").status()).isEqualTo(404);
        assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", "1234-567"), Map.of()).status()).isEqualTo(422);
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void declinedRequiredStatementsBlockRandomisationAndAreRecorded() {
        String pid = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north")).body().get("participantId").asText();
        Map<String, Boolean> answers = new HashMap<>(Recruits.agreeAll());
        answers.put("take_part", false);
        var declined = api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", answers));
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.body().get("agreed").asBoolean()).isFalse();
        var ineligible = new HashMap<>(Recruits.eligibleAnswers("A-OOW"));
        ineligible.put("over_18", false);
        var screened = api.post("spec-a", "/recruits/" + pid + "/screening", Map.of("trialGroup", "A-OOW", "answers", ineligible));
        assertThat(screened.body().get("eligible").asBoolean()).isFalse();
        assertThat(screened.body().get("failedCriteria").findValuesAsText("id")).containsExactly("over_18");
        var notReady = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
        assertThat(notReady.status()).isEqualTo(409);
        assertThat(notReady.body().get("fieldErrors").findValuesAsText("field")).contains("screening", "agreement", "identity", "baseline");
    }

    @Test
    void exportsFollowTheContractAndLeaveOutWhomTheyMust() throws Exception {
        Map<String, Object> optedOut = Recruits.identity(random);
        String active = randomised("spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
        String noSurvey = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", optedOut, random);
        Map<String, Boolean> agreement = new HashMap<>(Recruits.agreeAll());
        agreement.put("survey_contact", false);
        agreement.put("admin_linkage", false);
        api.post("spec-a", "/recruits/" + noSurvey + "/agreement", Map.of("formVersion", "agree-3", "answers", agreement));
        assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", noSurvey), Map.of()).status()).isEqualTo(200);
        String withdrawn = randomised("spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        String died = randomised("spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        String erased = randomised("spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString();
        assertThat(api.post("manager", "/recruits/" + withdrawn + "/status", Map.of("kind", "withdrawn_research", "effectiveDate", today, "reason", "asked")).status()).isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + died + "/status", Map.of("kind", "deceased", "effectiveDate", today, "reason", "informed by family")).status()).isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + erased + "/erasure", Map.of("requestedOn", java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString(), "ground", "participant_request", "confirmed", true)).status()).isEqualTo(204);
        assertThat(api.get("manager", "/recruits/" + erased).status()).isEqualTo(404);

        var participants = api.get("custodian", "/exports/participants.csv");
        assertThat(participants.status()).isEqualTo(200);
        List<String> lines = participants.text().lines().toList();
        assertThat(lines.get(0)).startsWith("participant_id,site,area,trial_group,arm,randomised_at,nino,nhs_number,date_of_birth,sex,postcode,consent_admin_linkage");
        assertThat(lines.get(0)).contains(",status,status_date").endsWith(",export_version,arm_label");
        String activeLine = lines.stream().filter(l -> l.startsWith(active)).findFirst().orElseThrow();
        assertThat(activeLine).as("the arm's label beside its code")
                .endsWith(activeLine.split(",")[4].equals("treatment") ? ",IPS employment support" : ",usual support");
        assertThat(participants.text()).contains(active).contains(noSurvey).contains(withdrawn).contains(died).doesNotContain(erased);
        String diedLine = lines.stream().filter(l -> l.startsWith(died)).findFirst().orElseThrow();
        assertThat(diedLine).contains(",deceased," + today);
        assertThat(lines.stream().filter(l -> l.startsWith(withdrawn)).findFirst().orElseThrow()).contains(",withdrawn," + today);
        String noSurveyLine = lines.stream().filter(l -> l.startsWith(noSurvey)).findFirst().orElseThrow();
        assertThat(noSurveyLine.split(",")[11]).isEqualTo("false");
        assertThat(lines.stream().filter(l -> l.startsWith(active)).findFirst().orElseThrow().split(",")[5])
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?[+-]\\d\\d:\\d\\d");

        var frame = api.get("fieldwork", "/exports/sample-frame.csv");
        assertThat(frame.status()).isEqualTo(200);
        assertThat(frame.text()).contains(active).doesNotContain(noSurvey).doesNotContain(withdrawn).doesNotContain(died).doesNotContain(erased);
        assertThat(frame.text().lines().findFirst().orElseThrow()).doesNotContain("arm");
        assertThat(api.get("fieldwork", "/exports/participants.csv").status()).isEqualTo(403);
        assertThat(api.get("analyst", "/exports/participants.csv").status()).isEqualTo(403);

        var baseline = api.get("custodian", "/exports/baseline.csv");
        assertThat(baseline.text().lines().findFirst().orElseThrow()).startsWith("participant_id,questionnaire_version,gender,ethnicity")
                .contains("health_conditions_1,").contains("health_conditions_21,").contains("jsse_9");
        assertThat(baseline.text()).doesNotContain(erased);

        var chain = api.get("admin", "/audit/verification");
        assertThat(chain.body().get("intact").asBoolean()).as(chain.toString()).isTrue();
        long erasedSlots = TestService.jdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM allocation a JOIN erasure e ON e.person_key = a.person_key").mapTo(Long.class).one());
        assertThat(erasedSlots).isEqualTo(1);
    }

    @Test
    void identifiersAreCorrectedWithAReasonAfterRandomisationAndAudited() {
        Map<String, Object> person = Recruits.identity(random);
        String pid = randomised("spec-a", "A", "A-north", "A-IW", person, random);
        assertThat(api.put("spec-a", "/recruits/" + pid + "/identity", person).status()).isEqualTo(409);
        var noReason = api.post("manager", "/recruits/" + pid + "/corrections", Map.of("fields", Map.of("familyName", "Jones")));
        assertThat(noReason.status()).isEqualTo(422);
        var corrected = api.post("manager", "/recruits/" + pid + "/corrections",
                Map.of("fields", Map.of("familyName", "Jones", "dateOfBirth", "1970-01-01"), "reason", "typed wrongly at baseline"));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(corrected.body().get("displayName").asText()).endsWith("Jones");
        String details = TestService.jdbi(APP).withHandle(h -> h.createQuery(
                "SELECT details FROM audit_event WHERE action = 'identity_corrected' ORDER BY seq DESC LIMIT 1").mapTo(String.class).one());
        assertThat(details).contains("familyName").doesNotContain("Jones").doesNotContain("1970");
        var flagged = api.post("manager", "/recruits/" + pid + "/flags", Map.of("kind", "found_ineligible", "note", "was in work"));
        assertThat(flagged.body().get("flags").findValuesAsText("")).isEmpty();
        assertThat(flagged.body().get("flags").get(0).asText()).isEqualTo("found_ineligible");
        assertThat(flagged.body().path("allocation").path("arm").asText()).isIn("treatment", "control");
    }
}
