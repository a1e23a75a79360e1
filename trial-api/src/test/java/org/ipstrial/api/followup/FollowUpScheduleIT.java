package org.ipstrial.api.followup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.FollowUpService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The follow-up schedule on a real service and database: recruits randomised on past days (through
 * the real services with a hand-set clock), their windows and states as of today, who is left out,
 * who sees contact details, and the attempts and done entries with their audit events.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FollowUpScheduleIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("followup"));
    static ApiClient api;
    static final Map<String, String> PID = new HashMap<>();
    static final Map<String, LocalDate> RANDOMISED_ON = new HashMap<>();

    @BeforeAll
    static void recruits() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        FollowUpHistory history = new FollowUpHistory(APP, 20261204L);
        record Plan(String name, String site, int daysAgo, boolean surveyContact) {}
        for (Plan plan : List.of(new Plan("due4m", "A", 130, true), new Plan("overdue4m", "B", 200, true),
                new Plan("fresh", "A", 10, true), new Plan("longAgo", "B", 300, true), new Plan("attempted", "B", 200, true),
                new Plan("doneByHand", "B", 300, true), new Plan("withdrawnResearch", "A", 130, true),
                new Plan("deceased", "A", 130, true), new Plan("withdrawnService", "A", 130, true), new Plan("erased", "A", 130, true),
                new Plan("noSurveyConsent", "A", 130, false))) {
            PID.put(plan.name(), history.randomised(plan.site(), plan.daysAgo(), plan.surveyContact()));
            RANDOMISED_ON.put(plan.name(), history.dayOf(plan.daysAgo()));
        }
        Jdbi jdbi = TestService.jdbi(APP);
        TrialContext trial = history.trial();
        RecruitmentService recruitment = history.recruitment();
        FollowUpService followUp = new FollowUpService(jdbi, trial, recruitment);
        TrialUser manager = TestService.user(APP, "manager");
        String yesterday = LocalDate.now(TrialContext.TRIAL_ZONE).minusDays(1).toString();
        followUp.recordStatus(manager, PID.get("withdrawnResearch"), new RecruitRequests.StatusChange("withdrawn_research", yesterday, "asked"));
        followUp.recordStatus(manager, PID.get("deceased"), new RecruitRequests.StatusChange("deceased", yesterday, "informed"));
        followUp.recordStatus(manager, PID.get("withdrawnService"), new RecruitRequests.StatusChange("withdrawn_service", yesterday, "asked"));
        followUp.erase(manager, PID.get("erased"), new RecruitRequests.Erasure(yesterday, "participant_request", true));
    }

    static List<JsonNode> rows(String user, String query) {
        var answer = api.get(user, "/followup" + query);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return StreamSupport.stream(answer.body().get("rows").spliterator(), false).toList();
    }

    static JsonNode row(List<JsonNode> rows, String name, String wave) {
        return rows.stream().filter(r -> r.get("participantId").asText().equals(PID.get(name)) && r.get("wave").asText().equals(wave))
                .findFirst().orElseThrow(() -> new AssertionError(name + " " + wave + " not in " + rows));
    }

    static List<String> pids(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("participantId").asText()).distinct().toList();
    }

    @Test
    void windowsAndStatesComeFromTheRandomisationDate() {
        List<JsonNode> rows = rows("manager", "");
        JsonNode due = row(rows, "due4m", "4m");
        LocalDate target = RANDOMISED_ON.get("due4m").plusMonths(4);
        assertThat(due.get("randomisedOn").asText()).isEqualTo(RANDOMISED_ON.get("due4m").toString());
        assertThat(due.get("window").get("target").asText()).isEqualTo(target.toString());
        assertThat(due.get("window").get("opens").asText()).isEqualTo(target.minusDays(14).toString());
        assertThat(due.get("window").get("closes").asText()).isEqualTo(target.plusDays(56).toString());
        assertThat(due.get("state").asText()).isEqualTo("due");
        assertThat(row(rows, "due4m", "12m").get("state").asText()).isEqualTo("upcoming");
        assertThat(row(rows, "overdue4m", "4m").get("state").asText()).isEqualTo("overdue");
        assertThat(row(rows, "fresh", "4m").get("state").asText()).isEqualTo("upcoming");
        assertThat(row(rows, "fresh", "4m").get("window").get("opens").asText())
                .isEqualTo(RANDOMISED_ON.get("fresh").plusMonths(4).minusDays(14).toString());
        // The demo design takes effect in January 2026, so no recruit here is a year old: the 12-month window's
        // own boundaries are SurveyWaveTest's.
        assertThat(row(rows, "longAgo", "4m").get("state").asText()).isEqualTo("overdue");
        assertThat(row(rows, "longAgo", "12m").get("state").asText()).isEqualTo("upcoming");
        assertThat(row(rows, "withdrawnService", "4m").get("state").asText()).isEqualTo("due");
    }

    @Test
    void theWithdrawnFromResearchTheDeadTheErasedAndThoseWhoRefusedSurveyContactAreNotInTheList() {
        List<String> listed = pids(rows("fieldwork", ""));
        assertThat(listed).contains(PID.get("due4m"), PID.get("withdrawnService"));
        assertThat(listed).doesNotContain(PID.get("withdrawnResearch"), PID.get("deceased"), PID.get("erased"), PID.get("noSurveyConsent"));
    }

    @Test
    void fieldworkSeesContactDetailsOnlyOnRowsDueOrOverdueAndManagersNever() {
        for (JsonNode r : rows("fieldwork", "")) {
            boolean actNow = r.get("state").asText().equals("due") || r.get("state").asText().equals("overdue");
            assertThat(r.get("contact").isNull()).as(r.toString()).isEqualTo(!actNow);
            assertThat(r.has("arm")).isFalse();
        }
        JsonNode contact = row(rows("fieldwork", "?wave=4m&state=due"), "due4m", "4m").get("contact");
        String familyName = contact.get("familyName").asText();
        assertThat(familyName).isNotBlank();
        var managerAnswer = api.get("manager", "/followup");
        assertThat(managerAnswer.text()).doesNotContain("\"familyName\":\"" + familyName);
        assertThat(StreamSupport.stream(managerAnswer.body().get("rows").spliterator(), false))
                .allMatch(r -> r.get("contact").isNull());
        var managerCsv = api.get("manager", "/followup.csv");
        assertThat(managerCsv.status()).isEqualTo(200);
        assertThat(managerCsv.text().lines().findFirst().orElseThrow()).doesNotContain("family_name");
        assertThat(managerCsv.text()).doesNotContain(familyName);
        var fieldworkCsv = api.get("fieldwork", "/followup.csv?wave=4m");
        assertThat(fieldworkCsv.text().lines().findFirst().orElseThrow()).contains("family_name", "phone");
        assertThat(fieldworkCsv.text()).contains(familyName);
        String upcomingLine = fieldworkCsv.text().lines().filter(l -> l.startsWith(PID.get("fresh"))).findFirst().orElseThrow();
        assertThat(upcomingLine).contains(",upcoming,").endsWith(",,,,,,,");
    }

    @Test
    void filtersNarrowTheListAndBadValuesAre422NamingTheParameter() {
        assertThat(rows("manager", "?wave=12m")).allMatch(r -> r.get("wave").asText().equals("12m"));
        assertThat(rows("manager", "?state=overdue")).allMatch(r -> r.get("state").asText().equals("overdue")).isNotEmpty();
        List<JsonNode> siteB = rows("manager", "?site=B");
        assertThat(siteB).allMatch(r -> r.get("site").asText().equals("B"));
        assertThat(pids(siteB)).containsExactlyInAnyOrder(PID.get("overdue4m"), PID.get("longAgo"),
                PID.get("attempted"), PID.get("doneByHand"));
        for (String[] bad : new String[][] {{"wave", "6m"}, {"state", "late"}, {"site", "Z"}}) {
            for (String path : new String[] {"/followup", "/followup.csv"}) {
                var answer = api.get("fieldwork", path + "?" + bad[0] + "=" + bad[1]);
                assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
                assertThat(answer.body().get("fieldErrors").get(0).get("field").asText()).isEqualTo(bad[0]);
            }
        }
        var all = api.get("fieldwork", "/followup?wave=6m&state=late");
        assertThat(all.body().get("fieldErrors")).hasSize(2);
    }

    @Test
    void anAttemptIsLoggedAndAuditedAndACompletedInterviewMarksTheWaveDone() {
        String pid = PID.get("attempted");
        long auditBefore = auditEvents("followup_attempt");
        var first = api.post("fieldwork", "/recruits/" + pid + "/followup/4m/attempts",
                Map.of("date", LocalDate.now(TrialContext.TRIAL_ZONE).toString(), "outcome", "no_answer", "note", "try evenings"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().get("attempts").asInt()).isEqualTo(1);
        assertThat(first.body().get("state").asText()).isEqualTo("overdue");
        JsonNode listed = row(rows("fieldwork", "?wave=4m"), "attempted", "4m");
        assertThat(listed.get("attempts").asInt()).isEqualTo(1);
        assertThat(listed.get("lastAttempt").get("outcome").asText()).isEqualTo("no_answer");
        var second = api.post("fieldwork", "/recruits/" + pid + "/followup/4m/attempts",
                Map.of("date", LocalDate.now(TrialContext.TRIAL_ZONE).toString(), "outcome", "completed"));
        assertThat(second.body().get("attempts").asInt()).isEqualTo(2);
        assertThat(second.body().get("state").asText()).isEqualTo("done");
        JsonNode done = row(rows("fieldwork", "?wave=4m"), "attempted", "4m");
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("contact").isNull()).isTrue();
        assertThat(auditEvents("followup_attempt")).isEqualTo(auditBefore + 2);
        // The note is free text: kept with the attempt, never in the append-only audit log.
        long withNote = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM audit_event WHERE details LIKE '%evenings%'").mapTo(Long.class).one());
        assertThat(withNote).isZero();
        // The recruit's audit trail tells both attempts in words.
        var trail = api.get("manager", "/recruits/" + pid + "/audit?action=followup_attempt");
        assertThat(trail.status()).as(trail.toString()).isEqualTo(200);
        assertThat(trail.text()).contains("Survey contact attempt (4m): no answer").contains("Survey contact attempt (4m): completed");
        // The 12-month wave is untouched.
        assertThat(row(rows("fieldwork", "?wave=12m"), "attempted", "12m").get("attempts").asInt()).isZero();
    }

    @Test
    void aManualDoneEntryIsRecordedOnceAndAudited() {
        String pid = PID.get("doneByHand");
        long auditBefore = auditEvents("followup_done");
        var done = api.post("manager", "/recruits/" + pid + "/followup/12m/done",
                Map.of("completedOn", LocalDate.now(TrialContext.TRIAL_ZONE).minusDays(2).toString(), "source", "agency_return"));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.body().get("state").asText()).isEqualTo("done");
        assertThat(done.body().get("completedOn").asText()).isEqualTo(LocalDate.now(TrialContext.TRIAL_ZONE).minusDays(2).toString());
        assertThat(auditEvents("followup_done")).isEqualTo(auditBefore + 1);
        var again = api.post("fieldwork", "/recruits/" + pid + "/followup/12m/done",
                Map.of("completedOn", LocalDate.now(TrialContext.TRIAL_ZONE).toString(), "source", "manual"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_done");
        assertThat(auditEvents("followup_done")).isEqualTo(auditBefore + 1);
    }

    @Test
    void badInputIs422NamingTheFieldAndWritesNothing() {
        String pid = PID.get("due4m");
        String today = LocalDate.now(TrialContext.TRIAL_ZONE).toString();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("outcome", "no_answer"), "date"});
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("date", "03/12/2026", "outcome", "no_answer"), "date"});
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("date", LocalDate.now(TrialContext.TRIAL_ZONE).plusDays(1).toString(),
                "outcome", "no_answer"), "date"});
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("date", RANDOMISED_ON.get("due4m").minusDays(1).toString(),
                "outcome", "no_answer"), "date"});
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("date", today, "outcome", "moved_away"), "outcome"});
        cases.add(new Object[] {"/followup/4m/attempts", Map.of("date", today, "outcome", "no_answer", "note", "x".repeat(501)), "note"});
        cases.add(new Object[] {"/followup/6m/attempts", Map.of("date", today, "outcome", "no_answer"), "wave"});
        cases.add(new Object[] {"/followup/4m/done", Map.of("completedOn", today, "source", "guess"), "source"});
        cases.add(new Object[] {"/followup/4m/done", Map.of("source", "manual"), "completedOn"});
        var before = TestService.everyRow(APP);
        for (Object[] c : cases) {
            var answer = api.post("fieldwork", "/recruits/" + pid + c[0], c[1]);
            assertThat(answer.status()).as(c[0] + " " + c[1] + ": " + answer).isEqualTo(422);
            assertThat(answer.body().get("fieldErrors").get(0).get("field").asText()).as(answer.toString()).isEqualTo(c[2]);
        }
        var withdrawn = api.post("fieldwork", "/recruits/" + PID.get("withdrawnResearch") + "/followup/4m/attempts",
                Map.of("date", today, "outcome", "no_answer"));
        assertThat(withdrawn.status()).isEqualTo(409);
        assertThat(withdrawn.code()).isEqualTo("not_in_follow_up");
        var erased = api.post("fieldwork", "/recruits/" + PID.get("erased") + "/followup/4m/attempts",
                Map.of("date", today, "outcome", "no_answer"));
        assertThat(erased.status()).isEqualTo(404);
        TestService.assertUnchanged(APP, before);
    }

    @Test
    void anErasureTakesTheRecruitsAttemptsAndDoneEntriesWithIt() {
        String pid = PID.get("withdrawnService");
        String today = LocalDate.now(TrialContext.TRIAL_ZONE).toString();
        assertThat(api.post("fieldwork", "/recruits/" + pid + "/followup/4m/attempts",
                Map.of("date", today, "outcome", "completed")).status()).isEqualTo(200);
        var erased = api.post("manager", "/recruits/" + pid + "/erasure",
                Map.of("requestedOn", today, "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(204);
        assertThat(pids(rows("fieldwork", ""))).doesNotContain(pid);
        long left = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("""
                SELECT (SELECT count(*) FROM followup_attempt a WHERE NOT EXISTS (SELECT 1 FROM recruit r WHERE r.id = a.recruit_id))
                     + (SELECT count(*) FROM followup_done d WHERE NOT EXISTS (SELECT 1 FROM recruit r WHERE r.id = d.recruit_id))""")
                .mapTo(Long.class).one());
        assertThat(left).isZero();
    }

    static long auditEvents(String action) {
        return TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM audit_event WHERE action = :a")
                .bind("a", action).mapTo(Long.class).one());
    }
}
