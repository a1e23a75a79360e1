package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import java.util.Random;
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
 * Every request body with several fields at fault: one 422 names all of them at once (not the
 * first found), and nothing changes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EveryFieldAtOnceIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("every-field"));
    static ApiClient api;
    Random random;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        for (String user : new String[] {"spec-a", "spec-b", "manager", "admin"}) {
            api.token(user); // logged in before any snapshot: a first login adds a session row
        }
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    static void names(String what, ApiClient.Answer answer, String... fields) {
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(422);
        assertThat(answer.body().get("fieldErrors").findValuesAsText("field")).as(what + ": " + answer).containsExactlyInAnyOrder(fields);
        assertThat(answer.body().get("message").asText()).as(what).isEqualTo(fields.length + " fields need correcting.");
    }

    @Test
    void theFirstAppointmentsBodies() {
        var before = TestService.everyRow(APP);
        names("new recruit, empty", api.post("spec-a", "/recruits", Map.of()), "site", "area");
        names("new recruit, no such site and no area", api.post("spec-a", "/recruits", Map.of("site", "Z")), "site", "area");
        names("new recruit, another site and its area wrong", api.post("spec-a", "/recruits", Map.of("site", "B", "area", "A-north")),
                "site", "area");
        TestService.assertUnchanged(APP, before);

        String pid = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north")).body().get("participantId").asText();
        var created = TestService.everyRow(APP);
        names("screening, empty", api.post("spec-a", "/recruits/" + pid + "/screening", Map.of()), "trialGroup", "answers");
        names("screening, another site's group and no answers", api.post("spec-a", "/recruits/" + pid + "/screening",
                Map.of("trialGroup", "B-OOW")), "trialGroup", "answers");
        names("agreement, empty", api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of()), "formVersion", "answers");
        names("agreement, old form and no answers", api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-2")),
                "formVersion", "answers");
        names("identity, empty", api.put("spec-a", "/recruits/" + pid + "/identity", Map.of()),
                "givenName", "familyName", "dateOfBirth", "sex", "postcode", "surveyMode", "phone");
        names("baseline, two items wrong", api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers",
                with(Recruits.baseline(random), Map.of("gender", 7, "eq5d_vas", 500)))), "answers.gender", "answers.eq5d_vas");
        TestService.assertUnchanged(APP, created);
    }

    static Map<String, Object> with(Map<String, Object> base, Map<String, Object> changes) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.putAll(changes);
        return copy;
    }

    @Test
    void theFollowUpAndUserBodies() {
        String pid = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
        assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of()).status()).isEqualTo(200);
        var before = TestService.everyRow(APP);
        String recruit = "/recruits/" + pid;
        names("status, empty", api.post("manager", recruit + "/status", Map.of()), "kind", "effectiveDate", "reason");
        names("erasure, not confirmed and nothing else", api.post("manager", recruit + "/erasure", Map.of("confirmed", false)),
                "confirmed", "requestedOn", "ground");
        names("erasure, confirmed, free text for a ground and a date that is not one", api.post("manager", recruit + "/erasure",
                Map.of("confirmed", true, "ground", "asked by phone", "requestedOn", "yesterday")), "requestedOn", "ground");
        names("correction, empty", api.post("manager", recruit + "/corrections", Map.of()), "fields", "reason");
        names("correction, a wrong value, a field not correctable here and no reason", api.post("manager", recruit + "/corrections",
                Map.of("fields", Map.of("nhsNumber", "1234567890", "phone", "07700 900123"))), "nhsNumber", "fields.phone", "reason");
        names("flag, empty", api.post("manager", recruit + "/flags", Map.of()), "kind", "note");
        names("user, empty", api.post("admin", "/users", Map.of()), "username", "role");
        names("user, everything wrong", api.post("admin", "/users", Map.of("username", "X", "role", "wizard", "site", "Z")),
                "username", "role", "site");
        names("role change, no such role at no such site", api.put("admin", "/users/analyst/role", Map.of("role", "wizard",
                "site", "Z")), "role", "site");
        names("own password, neither right", api.post("manager", "/session/password", Map.of("currentPassword", "not it",
                "newPassword", "short")), "currentPassword", "newPassword");
        TestService.assertUnchanged(APP, before);
        assertThat(api.get("manager", recruit).body().get("status").asText()).isEqualTo("active");
    }
}
