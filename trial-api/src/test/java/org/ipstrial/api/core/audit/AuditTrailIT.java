package org.ipstrial.api.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail viewer's API over a real service and database: a recruit's history in words with
 * its values before and after, who sees which values, the filters and their 422s, the CSV, and the
 * recruit's chain verified at each request, found broken where a superuser changed or removed events.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuditTrailIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("audit-trail"));
    static final String TODAY = LocalDate.now(ZoneId.of("Europe/London")).toString();
    static ApiClient api;
    Random random;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        TestService.createUserThroughAdmin(api, "manager-b", "manager", "B", TestService.PASSWORD);
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    /** A recruit's whole story at site A, with a manager's correction, flag and withdrawal; the values it used. */
    record Story(String participantId, Map<String, Object> person, String correctedName, String correctionReason) {}

    Story story() {
        Map<String, Object> person = Recruits.identity(random);
        var created = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pid = created.body().get("participantId").asText();
        Map<String, Boolean> notYet = new java.util.HashMap<>(Recruits.eligibleAnswers("A-OOW"));
        notYet.put("not_working", false);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/screening", Map.of("trialGroup", "A-OOW", "answers", notYet)).status())
                .isEqualTo(200);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/screening",
                Map.of("trialGroup", "A-OOW", "answers", Recruits.eligibleAnswers("A-OOW"))).status()).isEqualTo(200);
        assertThat(api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", Recruits.agreeAll()))
                .status()).isEqualTo(200);
        assertThat(api.put("spec-a", "/recruits/" + pid + "/identity", person).status()).isEqualTo(200);
        assertThat(api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", Recruits.baseline(random))).status()).isEqualTo(200);
        assertThat(api.post("spec-a", "/randomisations", Map.of("participantId", pid)).status()).isEqualTo(200);
        String corrected = "Corrected" + random.nextInt(1_000_000);
        // A reason a spreadsheet would run as a formula, were it not quoted.
        String reason = "=spelt wrongly at intake " + random.nextInt(1000);
        assertThat(api.post("manager", "/recruits/" + pid + "/corrections", Map.of("fields", Map.of("givenName", corrected), "reason", reason))
                .status()).isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + pid + "/flags", Map.of("kind", "found_ineligible", "note", "was in work")).status())
                .isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + pid + "/status",
                Map.of("kind", "withdrawn_service", "effectiveDate", TODAY, "reason", "moved away")).status()).isEqualTo(200);
        return new Story(pid, person, corrected, reason);
    }

    static JsonNode event(JsonNode trail, String action) {
        for (JsonNode e : trail.get("events")) {
            if (e.get("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " in " + trail);
    }

    static List<JsonNode> events(JsonNode trail, String action) {
        List<JsonNode> found = new ArrayList<>();
        trail.get("events").forEach(e -> {
            if (e.get("action").asText().equals(action)) {
                found.add(e);
            }
        });
        return found;
    }

    static Map<String, JsonNode> changes(JsonNode event) {
        Map<String, JsonNode> byField = new java.util.LinkedHashMap<>();
        event.get("changes").forEach(c -> byField.put(c.get("field").asText(), c));
        return byField;
    }

    @Test
    void aManagerSeesTheWholeHistoryWithValuesBeforeAndAfterAndTheReasons() {
        Story story = story();
        var answer = api.get("manager", "/recruits/" + story.participantId() + "/audit");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode trail = answer.body();
        assertThat(trail.get("chain").get("status").asText()).isEqualTo("ok");
        assertThat(trail.get("chain").get("events").asInt()).isEqualTo(10);
        assertThat(trail.get("totalEvents").asInt()).isEqualTo(10);
        assertThat(trail.get("events").findValuesAsText("action")).containsExactly("recruit_created", "screened", "screened",
                "agreement_taken", "identity_recorded", "baseline_recorded", "randomised", "identity_corrected", "flagged", "withdrawn_service");
        assertThat(trail.get("events").findValuesAsText("user")).containsExactly("spec-a", "spec-a", "spec-a", "spec-a", "spec-a",
                "spec-a", "spec-a", "manager", "manager", "manager");
        List<Long> positions = new ArrayList<>();
        trail.get("events").forEach(e -> positions.add(e.get("position").asLong()));
        assertThat(positions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(trail.get("identifiersMasked").asBoolean()).isFalse();
        assertThat(trail.get("displayName").asText()).isEqualTo(story.correctedName() + " " + story.person().get("familyName"));

        var created = changes(event(trail, "recruit_created"));
        assertThat(created.get("site").get("from").isNull()).isTrue();
        assertThat(created.get("site").get("to").asText()).isEqualTo("A");
        // The second screening: what changed from the first.
        var rescreened = changes(events(trail, "screened").get(1));
        assertThat(rescreened.keySet()).containsExactlyInAnyOrder("eligible", "failedCriteria");
        assertThat(rescreened.get("eligible").get("from").asText()).isEqualTo("false");
        assertThat(rescreened.get("eligible").get("to").asText()).isEqualTo("true");
        assertThat(rescreened.get("failedCriteria").get("to").asText()).isEqualTo("none");
        assertThat(events(trail, "screened").get(0).get("summary").asText()).startsWith("Screened for trial group A-OOW: not eligible");

        // Names as the manager sees them elsewhere; other identifiers masked; the earlier name was overwritten.
        var recorded = changes(event(trail, "identity_recorded"));
        assertThat(recorded.get("givenName").get("to").asText()).isEqualTo("(not kept)");
        assertThat(recorded.get("nationalInsuranceNumber").get("to").asText()).isEqualTo("[masked]");
        var corrected = event(trail, "identity_corrected");
        assertThat(changes(corrected).get("givenName").get("from").asText()).isEqualTo("(not kept)");
        assertThat(changes(corrected).get("givenName").get("to").asText()).isEqualTo(story.correctedName());
        assertThat(corrected.get("reason").asText()).isEqualTo(story.correctionReason());
        assertThat(event(trail, "flagged").get("reason").asText()).isEqualTo("was in work");
        var withdrawn = event(trail, "withdrawn_service");
        assertThat(changes(withdrawn).get("status").get("from").asText()).isEqualTo("active");
        assertThat(changes(withdrawn).get("status").get("to").asText()).isEqualTo("withdrawn_service");
        assertThat(withdrawn.get("reason").asText()).isEqualTo("moved away");
        // The arm, but not the place in the stratum's sequence, which with earlier arms would hint at the next.
        var randomised = changes(event(trail, "randomised"));
        assertThat(randomised.get("arm").get("to").asText()).isIn("treatment", "control");
        assertThat(randomised).doesNotContainKey("sequence");

        for (String key : List.of("nationalInsuranceNumber", "nhsNumber", "dateOfBirth", "postcode", "phone", "email", "address")) {
            assertThat(answer.text()).as(key).doesNotContain(story.person().get(key).toString());
        }
    }

    @Test
    void theStatisticianSeesSequenceNumbersButNoIdentifierOrReason() {
        Story story = story();
        var answer = api.get("statistician", "/recruits/" + story.participantId() + "/audit");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode trail = answer.body();
        assertThat(trail.get("identifiersMasked").asBoolean()).isTrue();
        assertThat(trail.get("displayName").asText()).isEqualTo("[masked]");
        assertThat(changes(event(trail, "randomised")).get("sequence").get("to").asLong()).isPositive();
        assertThat(changes(event(trail, "identity_corrected")).get("givenName").get("to").asText()).isEqualTo("[masked]");
        assertThat(event(trail, "identity_corrected").get("reason").asText()).isEqualTo("[masked]");
        assertThat(event(trail, "withdrawn_service").get("reason").asText()).isEqualTo("[masked]");
        var csv = api.get("statistician", "/recruits/" + story.participantId() + "/audit.csv");
        assertThat(csv.status()).isEqualTo(200);
        for (String text : List.of(answer.text(), csv.text())) {
            for (Object value : story.person().values()) {
                if (value.toString().length() > 8) {
                    assertThat(text).doesNotContain(value.toString());
                }
            }
            assertThat(text).doesNotContain(story.correctedName()).doesNotContain("spelt wrongly").doesNotContain("moved away")
                    .doesNotContain("was in work");
        }
    }

    @Test
    void filtersNarrowTheEventsAndBadValuesAre422NamingTheParameter() {
        Story story = story();
        String path = "/recruits/" + story.participantId() + "/audit";
        assertThat(api.get("manager", path + "?action=screened").body().get("events")).hasSize(2);
        var byManager = api.get("manager", path + "?user=manager").body();
        assertThat(byManager.get("events").findValuesAsText("action")).containsExactly("identity_corrected", "flagged", "withdrawn_service");
        assertThat(byManager.get("totalEvents").asInt()).isEqualTo(10);
        assertThat(byManager.get("filters").get("user").asText()).isEqualTo("manager");
        assertThat(api.get("manager", path + "?user=manager&action=flagged").body().get("events")).hasSize(1);
        assertThat(api.get("manager", path + "?from=" + TODAY + "&to=" + TODAY).body().get("events")).hasSize(10);
        String tomorrow = LocalDate.parse(TODAY).plusDays(1).toString();
        String yesterday = LocalDate.parse(TODAY).minusDays(1).toString();
        assertThat(api.get("manager", path + "?from=" + tomorrow).body().get("events")).isEmpty();
        assertThat(api.get("manager", path + "?to=" + yesterday).body().get("events")).isEmpty();
        // The filters change what is shown, never the chain's check.
        assertThat(api.get("manager", path + "?to=" + yesterday).body().get("chain").get("events").asInt()).isEqualTo(10);

        for (String[] bad : new String[][] {{"action=bogus", "action"}, {"from=2026-13-01", "from"}, {"to=yesterday", "to"},
                {"from=" + TODAY + "&to=" + yesterday, "to"}, {"user=" + "x".repeat(101), "user"}}) {
            for (String suffix : List.of("", ".csv")) {
                var refused = api.get("manager", "/recruits/" + story.participantId() + "/audit" + suffix + "?" + bad[0]);
                assertThat(refused.status()).as(bad[0] + suffix).isEqualTo(422);
                assertThat(refused.body().get("fieldErrors").findValuesAsText("field")).as(bad[0]).containsExactly(bad[1]);
            }
        }
        var both = api.get("manager", path + "?action=bogus&from=soon");
        assertThat(both.body().get("fieldErrors").findValuesAsText("field")).containsExactlyInAnyOrder("action", "from");
    }

    @Test
    void aManagerOfAnotherSiteAndAnUnknownRecruitGet404() {
        Story story = story();
        for (String suffix : List.of("", ".csv")) {
            var other = api.get("manager-b", "/recruits/" + story.participantId() + "/audit" + suffix);
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.code()).isEqualTo("recruit_not_found");
            assertThat(api.get("manager", "/recruits/00000000/audit" + suffix).status()).isEqualTo(404);
            assertThat(api.get("manager", "/recruits/not-an-id/audit" + suffix).status()).isEqualTo(404);
        }
    }

    @Test
    void theCsvHasTheSameChangesAsTheJsonWithFreeTextThatCannotRunAsAFormula() throws IOException {
        Story story = story();
        JsonNode trail = api.get("manager", "/recruits/" + story.participantId() + "/audit").body();
        var csv = api.get("manager", "/recruits/" + story.participantId() + "/audit.csv?user=manager");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.raw().headers().firstValue("Content-Disposition").orElse("")).contains("audit-" + story.participantId() + ".csv");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.text())).getRecords();
        List<String> expected = new ArrayList<>();
        for (JsonNode e : trail.get("events")) {
            if (e.get("user").asText().equals("manager")) {
                e.get("changes").forEach(c -> expected.add(e.get("action").asText() + "|" + c.get("field").asText() + "|"
                        + c.get("from").asText("") + "|" + c.get("to").asText("")));
            }
        }
        assertThat(rows.stream().map(r -> r.get("action") + "|" + r.get("field") + "|" + r.get("from") + "|" + r.get("to")).toList())
                .containsExactlyElementsOf(expected);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("participant_id")).isEqualTo(story.participantId());
            assertThat(r.get("chain_status")).isEqualTo("ok");
        });
        CSVRecord correction = rows.stream().filter(r -> r.get("action").equals("identity_corrected")).findFirst().orElseThrow();
        assertThat(correction.get("reason")).isEqualTo("'" + story.correctionReason());
    }

    @Test
    void theRecruitsChainIsVerifiedAtEachRequestAndFoundBrokenWhereItWasChanged() {
        Story changed = story();
        Story removed = story();
        Story untouched = story();
        ((TrialApplication) APP.getApplication()).sealer().seal();
        JsonNode sealed = api.get("manager", "/recruits/" + removed.participantId() + "/audit").body().get("chain");
        assertThat(sealed.get("status").asText()).isEqualTo("ok");
        assertThat(sealed.get("sealedThrough").asLong()).isEqualTo(10);
        assertThat(sealed.get("unsealedEvents").asLong()).isZero();
        assertThat(sealed.get("checkpoint").asLong()).isPositive();

        // A superuser changes the second screening's details, triggers off.
        long screeningSeq = api.get("manager", "/recruits/" + changed.participantId() + "/audit?action=screened").body()
                .get("events").get(1).get("seq").asLong();
        AuditIT.asOwnerWithTriggersOff(TestService.ownerJdbi(APP), h -> h.execute(
                "UPDATE audit_event SET details = replace(details, 'true', 'false') WHERE seq = ?", screeningSeq));
        JsonNode broken = api.get("statistician", "/recruits/" + changed.participantId() + "/audit").body();
        assertThat(broken.get("chain").get("status").asText()).isEqualTo("broken");
        assertThat(broken.get("chain").get("brokenAtSeq").asLong()).isEqualTo(screeningSeq);
        assertThat(broken.get("chain").get("brokenAtPosition").asLong()).isEqualTo(3);
        assertThat(broken.get("chain").get("problem").asText()).contains("event 3").contains("does not match its hash");
        // The trail still shows what the record now says, beside the warning.
        assertThat(broken.get("events")).hasSize(10);

        // The newest event removed and the head moved back: the checkpoint that sealed it tells.
        JsonNode last = api.get("manager", "/recruits/" + removed.participantId() + "/audit").body().get("events").get(9);
        JsonNode previous = api.get("manager", "/recruits/" + removed.participantId() + "/audit").body().get("events").get(8);
        List<String> previousHashes = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT unnest(ARRAY[prev_hash, hash]) FROM audit_event WHERE seq = :s").bind("s", previous.get("seq").asLong())
                .mapTo(String.class).list());
        AuditIT.asOwnerWithTriggersOff(TestService.ownerJdbi(APP), h -> {
            String chain = h.createQuery("SELECT chain FROM audit_event WHERE seq = :s").bind("s", last.get("seq").asLong())
                    .mapTo(String.class).one();
            h.execute("DELETE FROM audit_event WHERE seq = ?", last.get("seq").asLong());
            h.execute("UPDATE audit_chain SET seq = 9, prev_hash = ?, hash = ? WHERE chain = ?", previousHashes.get(0), previousHashes.get(1), chain);
        });
        JsonNode cut = api.get("manager", "/recruits/" + removed.participantId() + "/audit").body();
        assertThat(cut.get("events")).hasSize(9);
        assertThat(cut.get("chain").get("status").asText()).isEqualTo("broken");
        assertThat(cut.get("chain").get("brokenAtPosition").asLong()).isEqualTo(10);
        assertThat(cut.get("chain").get("problem").asText()).contains("event 10").contains("sealed in checkpoint").contains("missing");
        var csv = api.get("manager", "/recruits/" + removed.participantId() + "/audit.csv");
        assertThat(csv.text().lines().skip(1)).allSatisfy(line -> assertThat(line).contains(",broken,"));

        // The trial-wide trail lists both recruits as broken, and marks their events.
        JsonNode wide = api.get("statistician", "/audit/trail?site=A&limit=500").body();
        Map<String, JsonNode> brokenChains = new java.util.HashMap<>();
        wide.get("brokenChains").forEach(b -> brokenChains.put(b.get("participantId").asText(), b));
        assertThat(brokenChains).containsKeys(changed.participantId(), removed.participantId())
                .doesNotContainKey(untouched.participantId());
        assertThat(brokenChains.get(changed.participantId()).get("brokenAtSeq").asLong()).isEqualTo(screeningSeq);
        wide.get("events").forEach(e -> assertThat(e.get("chainStatus").asText()).as(e.toString())
                .isEqualTo(brokenChains.containsKey(e.get("participantId").asText()) ? "broken" : "ok"));

        // Each recruit's chain is its own: another recruit's still verifies.
        assertThat(api.get("manager", "/recruits/" + untouched.participantId() + "/audit").body().get("chain").get("status").asText())
                .isEqualTo("ok");
    }

    @Test
    void theTrialWideTrailPagesNewestFirstBySiteWithTheSameChangesAndRefusesBadFilters() {
        Story atA = story();
        String atB = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        assertThat(api.post("spec-b", "/randomisations", Map.of("participantId", atB)).status()).isEqualTo(200);

        // Site B: only its recruits, newest first, in pages that follow on without a gap or an overlap.
        JsonNode first = api.get("manager", "/audit/trail?site=B&limit=4").body();
        assertThat(first.get("events")).hasSize(4);
        assertThat(first.get("filters").get("site").asText()).isEqualTo("B");
        List<Long> seqs = new ArrayList<>();
        JsonNode page = first;
        while (true) {
            page.get("events").forEach(e -> {
                assertThat(e.get("site").asText()).isEqualTo("B");
                assertThat(e.get("chainStatus").asText()).isEqualTo("ok");
                seqs.add(e.get("event").get("seq").asLong());
            });
            if (page.get("nextBefore").isNull()) {
                break;
            }
            page = api.get("manager", "/audit/trail?site=B&limit=4&before=" + page.get("nextBefore").asLong()).body();
        }
        assertThat(seqs).isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
        List<Long> bySql = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("""
                SELECT e.seq FROM audit_event e JOIN recruit r ON e.subject = r.person_key::text WHERE r.site = 'B' ORDER BY e.seq DESC""")
                .mapTo(Long.class).list());
        assertThat(seqs).isEqualTo(bySql);

        // The same events in words as the recruit's own trail, with its before and after.
        JsonNode own = api.get("manager", "/recruits/" + atA.participantId() + "/audit").body();
        JsonNode wide = api.get("manager", "/audit/trail?site=A&user=manager&limit=3").body();
        List<JsonNode> ownByManager = new ArrayList<>();
        own.get("events").forEach(e -> {
            if (e.get("user").asText().equals("manager")) {
                ownByManager.add(0, e);
            }
        });
        for (int i = 0; i < 3; i++) {
            assertThat(wide.get("events").get(i).get("participantId").asText()).isEqualTo(atA.participantId());
            assertThat(wide.get("events").get(i).get("event")).isEqualTo(ownByManager.get(i));
        }
        var csv = api.get("manager", "/audit/trail.csv?site=A&action=identity_corrected&limit=1");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.text()).startsWith("participant_id,site,seq,").contains(atA.participantId() + ",A,")
                .contains("'" + atA.correctionReason());

        // A manager bound to site B sees site B only; the statistician sees no name or reason.
        JsonNode ownSite = api.get("manager-b", "/audit/trail?limit=500").body();
        assertThat(ownSite.get("events").findValuesAsText("site")).isNotEmpty().containsOnly("B");
        var refused = api.get("manager-b", "/audit/trail?site=A");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("fieldErrors").findValuesAsText("field")).containsExactly("site");
        var masked = api.get("statistician", "/audit/trail?site=A&limit=500");
        assertThat(masked.text()).doesNotContain(atA.correctedName()).doesNotContain("spelt wrongly").doesNotContain("moved away");

        for (String[] bad : new String[][] {{"site=Z", "site"}, {"limit=0", "limit"}, {"limit=501", "limit"}, {"before=soon", "before"},
                {"action=bogus", "action"}, {"from=2026-02-30", "from"}}) {
            var answer = api.get("manager", "/audit/trail?" + bad[0]);
            assertThat(answer.status()).as(bad[0]).isEqualTo(422);
            assertThat(answer.body().get("fieldErrors").findValuesAsText("field")).as(bad[0]).containsExactly(bad[1]);
        }
        assertThat(api.get("manager", "/audit/trail.csv?limit=5001").status()).isEqualTo(422);
        assertThat(api.get("manager", "/audit/trail?site=B&limit=2&action=randomised").body().get("events").findValuesAsText("action"))
                .isNotEmpty().containsOnly("randomised");
    }
}
