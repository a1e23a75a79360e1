package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
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
 * Bad input to the follow-up, user and session endpoints (the first appointment's own fields are
 * in {@link WorkflowIT}): each a 4xx with a code, a message and the field at fault, and nothing in
 * the database changed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
public class BadInputIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("bad-input"));
    static ApiClient api;
    Random random;

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    @BeforeAll
    static void loggedIn() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        for (String user : List.of("spec-a", "spec-b", "manager", "admin")) {
            api.token(user);
        }
    }

    /** Every row of every table (sessions and login counters aside, which a login attempt may touch). */
    static Map<String, List<String>> everything() {
        return TestService.everyRow(APP);
    }

    static void unchanged(Map<String, List<String>> before) {
        TestService.assertUnchanged(APP, before);
    }

    /** A 4xx in the service's error shape naming exactly these fields; the offending value never echoed. */
    /** A refusal as every refusal must be: the status and code, a message, and exactly the fields named. */
    public static void refused(String what, ApiClient.Answer answer, int status, String code, String... fields) {
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(status);
        assertThat(answer.body().path("code").isTextual()).as(what + ": code").isTrue();
        if (code != null) {
            assertThat(answer.code()).as(what).isEqualTo(code);
        }
        assertThat(answer.body().path("message").asText()).as(what + ": message").isNotBlank();
        assertThat(answer.body().path("fieldErrors").isArray()).as(what + ": fieldErrors").isTrue();
        assertThat(answer.body().get("fieldErrors").findValuesAsText("field")).as(what + ": fields").containsExactlyInAnyOrder(fields);
        answer.body().get("fieldErrors").forEach(e -> assertThat(e.path("message").asText()).as(what).isNotBlank());
    }

    String randomised(Map<String, Object> identity) {
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", identity, random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        return pid;
    }

    static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        if (value == null) {
            copy.remove(field);
        } else {
            copy.put(field, value);
        }
        return copy;
    }

    @Test
    void statusChanges() {
        String pid = randomised(Recruits.identity(random));
        String path = "/recruits/" + pid + "/status";
        String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
        String tomorrow = LocalDate.now(ZoneId.of("Europe/London")).plusDays(1).toString();
        Map<String, Object> good = Map.of("kind", "withdrawn_service", "effectiveDate", today, "reason", "moved away");
        var before = everything();
        refused("no kind", api.post("manager", path, with(good, "kind", null)), 422, "invalid_fields", "kind");
        refused("unknown kind", api.post("manager", path, with(good, "kind", "moved")), 422, "invalid_fields", "kind");
        refused("no date", api.post("manager", path, with(good, "effectiveDate", null)), 422, "invalid_fields", "effectiveDate");
        refused("not a date", api.post("manager", path, with(good, "effectiveDate", "23/11/2026")), 422, "invalid_fields", "effectiveDate");
        refused("no such day", api.post("manager", path, with(good, "effectiveDate", "2026-02-30")), 422, "invalid_fields", "effectiveDate");
        refused("future", api.post("manager", path, with(good, "effectiveDate", tomorrow)), 422, "invalid_fields", "effectiveDate");
        refused("before recruitment", api.post("manager", path, with(good, "effectiveDate", "2001-01-01")), 422, "invalid_fields", "effectiveDate");
        refused("no reason", api.post("manager", path, with(good, "reason", null)), 422, "invalid_fields", "reason");
        refused("blank reason", api.post("manager", path, with(good, "reason", "   ")), 422, "invalid_fields", "reason");
        refused("long reason", api.post("manager", path, with(good, "reason", "x".repeat(1001))), 422, "invalid_fields", "reason");
        refused("everything wrong", api.post("manager", path, Map.of("kind", "", "effectiveDate", "", "reason", "")), 422,
                "invalid_fields", "kind", "effectiveDate", "reason");
        refused("kind of the wrong type", api.post("manager", path, with(good, "kind", List.of("deceased"))), 400, "invalid_json", "kind");
        refused("unknown field", api.post("manager", path, with(good, "cause", "x")), 400, "invalid_json", "cause");
        refused("no body", api.sendRaw("POST", path, api.token("manager"), null, null, Map.of()), 422, null, "body");
        refused("no such recruit", api.post("manager", "/recruits/12345678/status", good), 404, null);
        unchanged(before);
        var dead = api.post("manager", path, Map.of("kind", "deceased", "effectiveDate", today, "reason", "informed"));
        assertThat(dead.status()).isEqualTo(200);
        var deadTwice = everything();
        refused("a second death", api.post("manager", path, Map.of("kind", "deceased", "effectiveDate", today, "reason", "again")), 409,
                "already_deceased");
        unchanged(deadTwice);
    }

    @Test
    void erasure() {
        String pid = randomised(Recruits.identity(random));
        String path = "/recruits/" + pid + "/erasure";
        var before = everything();
        String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
        Map<String, Object> good = Map.of("requestedOn", today, "ground", "participant_request", "confirmed", true);
        refused("not confirmed", api.post("manager", path, with(good, "confirmed", false)), 422, "invalid_fields", "confirmed");
        refused("confirmation missing", api.post("manager", path, with(good, "confirmed", null)), 400, "invalid_json", "confirmed");
        refused("confirmation as text", api.post("manager", path, with(good, "confirmed", "yes")), 400, "invalid_json", "confirmed");
        refused("no ground", api.post("manager", path, with(good, "ground", null)), 422, "invalid_fields", "ground");
        refused("free text for a ground", api.post("manager", path, with(good, "ground", "Mr Smith asked by phone")), 422, "invalid_fields", "ground");
        refused("no request date", api.post("manager", path, with(good, "requestedOn", null)), 422, "invalid_fields", "requestedOn");
        refused("request date not a date", api.post("manager", path, with(good, "requestedOn", "23/11/2026")), 422, "invalid_fields", "requestedOn");
        refused("request date in the future", api.post("manager", path, with(good, "requestedOn", LocalDate.parse(today).plusDays(1).toString())),
                422, "invalid_fields", "requestedOn");
        refused("request date before the recruit was seen", api.post("manager", path, with(good, "requestedOn", "2020-01-01")),
                422, "invalid_fields", "requestedOn");
        refused("unknown field", api.post("manager", path, with(good, "everything", true)), 400, "invalid_json", "everything");
        refused("no body", api.sendRaw("POST", path, api.token("manager"), null, null, Map.of()), 422, null, "confirmed");
        refused("no such recruit", api.post("manager", "/recruits/12345678/erasure", good), 404, null);
        unchanged(before);
    }

    @Test
    void corrections() {
        Map<String, Object> other = Recruits.identity(random);
        randomised(other);
        String pid = randomised(Recruits.identity(random));
        String path = "/recruits/" + pid + "/corrections";
        var before = everything();
        refused("no fields", api.post("manager", path, Map.of("reason", "typo")), 422, "invalid_fields", "fields");
        refused("empty fields", api.post("manager", path, Map.of("fields", Map.of(), "reason", "typo")), 422, "invalid_fields", "fields");
        refused("not correctable here", api.post("manager", path, Map.of("fields", Map.of("phone", "07700 900123"), "reason", "typo")), 422,
                "invalid_fields", "fields.phone");
        refused("no such field", api.post("manager", path, Map.of("fields", Map.of("shoeSize", "9"), "reason", "typo")), 422,
                "invalid_fields", "fields.shoeSize");
        refused("no reason", api.post("manager", path, Map.of("fields", Map.of("familyName", "Jones"))), 422, "invalid_fields", "reason");
        refused("long reason", api.post("manager", path, Map.of("fields", Map.of("familyName", "Jones"), "reason", "x".repeat(1001))), 422,
                "invalid_fields", "reason");
        Map<String, String> badValues = new java.util.LinkedHashMap<>();
        badValues.put("nationalInsuranceNumber", "QQ123456Z");
        badValues.put("nhsNumber", "1234567890");
        badValues.put("givenName", "");
        badValues.put("familyName", "x".repeat(201));
        badValues.put("dateOfBirth", "1980-02-31");
        badValues.put("sex", "m");
        badValues.put("postcode", "NOT A POSTCODE");
        badValues.forEach((field, value) -> {
            var answer = api.post("manager", path, Map.of("fields", Map.of(field, value), "reason", "typo"));
            refused(field + " invalid", answer, 422, null, field);
            if (value.length() >= 5) {
                assertThat(answer.text()).as("the value is never echoed").doesNotContain(value);
            }
        });
        refused("value of the wrong type", api.post("manager", path, Map.of("fields", Map.of("familyName", 7), "reason", "typo")), 400,
                "invalid_json", "fields.familyName");
        var sameAsOther = api.post("manager", path, Map.of("fields", Map.of("nationalInsuranceNumber", other.get("nationalInsuranceNumber")),
                "reason", "typo"));
        refused("would make two randomised records one person", sameAsOther, 409, "duplicate_person");
        assertThat(sameAsOther.text()).doesNotContain(other.get("nationalInsuranceNumber").toString());
        refused("a specialist of another site", api.send("POST", path, api.token("spec-b"),
                Map.of("fields", Map.of("familyName", "Jones"), "reason", "typo"), Map.of()), 404, null);
        unchanged(before);
    }

    @Test
    void flags() {
        String pid = randomised(Recruits.identity(random));
        String notRandomised = Recruits.ready(api, "spec-a", "A", "A-east", "A-IW", Recruits.identity(random), random);
        String path = "/recruits/" + pid + "/flags";
        var before = everything();
        refused("no kind", api.post("manager", path, Map.of("note", "was in work")), 422, "invalid_fields", "kind");
        refused("unknown kind", api.post("manager", path, Map.of("kind", "suspicious", "note", "was in work")), 422, "invalid_fields", "kind");
        refused("no note", api.post("manager", path, Map.of("kind", "found_ineligible")), 422, "invalid_fields", "note");
        refused("blank note", api.post("manager", path, Map.of("kind", "found_ineligible", "note", " ")), 422, "invalid_fields", "note");
        refused("long note", api.post("manager", path, Map.of("kind", "found_ineligible", "note", "x".repeat(1001))), 422,
                "invalid_fields", "note");
        refused("both", api.post("manager", path, Map.of()), 422, "invalid_fields", "kind", "note");
        refused("note of the wrong type", api.post("manager", path, Map.of("kind", "found_ineligible", "note", Map.of())), 400,
                "invalid_json", "note");
        refused("not randomised", api.post("manager", "/recruits/" + notRandomised + "/flags", Map.of("kind", "wrong_stratum", "note", "x")),
                409, "not_randomised");
        unchanged(before);
    }

    @Test
    void userManagement() {
        String password = "a long enough password";
        var before = everything();
        Map<String, Object> good = Map.of("username", "new-user", "role", "analyst");
        for (String username : List.of("", "ab", "Upper", "has space", "1digitfirst", "x".repeat(41), "semi;colon")) {
            refused("username " + username, api.post("admin", "/users", with(good, "username", username)), 422, "invalid_fields", "username");
        }
        refused("no username", api.post("admin", "/users", with(good, "username", null)), 422, "invalid_fields", "username");
        refused("taken", api.post("admin", "/users", with(good, "username", "manager")), 409, "username_taken");
        refused("unknown role", api.post("admin", "/users", with(good, "role", "wizard")), 422, "invalid_fields", "role");
        refused("no role", api.post("admin", "/users", with(good, "role", null)), 422, "invalid_fields", "role");
        refused("specialist without a site", api.post("admin", "/users", with(good, "role", "specialist")), 422, "invalid_fields", "site");
        refused("specialist at no such site", api.post("admin", "/users", Map.of("username", "new-user", "role", "specialist",
                "site", "Z")), 422, "invalid_fields", "site");
        refused("a password set by the admin", api.post("admin", "/users", with(good, "password", password)), 400, "invalid_json", "password");
        refused("role of the wrong type", api.post("admin", "/users", with(good, "role", List.of("admin"))), 400, "invalid_json", "role");
        refused("unknown field", api.post("admin", "/users", with(good, "superuser", true)), 400, "invalid_json", "superuser");
        refused("no body", api.sendRaw("POST", "/users", api.token("admin"), null, null, Map.of()), 422, null, "body");

        refused("site blank", api.put("admin", "/users/spec-b/site", Map.of("site", " ")), 422, "invalid_fields", "site");
        refused("site missing", api.put("admin", "/users/spec-b/site", Map.of()), 422, "invalid_fields", "site");
        refused("no such site", api.put("admin", "/users/spec-b/site", Map.of("site", "Z")), 422, "invalid_fields", "site");
        refused("site of nobody", api.put("admin", "/users/nobody-here/site", Map.of("site", "A")), 404, "user_not_found");
        refused("password reset of nobody", api.post("admin", "/users/nobody-here/password-reset", null), 404, "user_not_found");
        refused("disabled as text", api.put("admin", "/users/spec-b/disabled", Map.of("disabled", "yes")), 400, "invalid_json", "disabled");
        refused("disable nobody", api.put("admin", "/users/nobody-here/disabled", Map.of("disabled", true)), 404, "user_not_found");
        unchanged(before);
        assertThat(api.post("admin", "/users", good).status()).as("the good request works").isEqualTo(201);
    }

    @Test
    void login() {
        var before = everything();
        refused("no username", api.send("POST", "/session", null, Map.of("password", TestService.PASSWORD), Map.of()), 401, "login_failed");
        refused("no password", api.send("POST", "/session", null, Map.of("username", "manager"), Map.of()), 401, "login_failed");
        refused("no body", api.sendRaw("POST", "/session", null, null, null, Map.of()), 401, "login_failed");
        refused("username of the wrong type", api.send("POST", "/session", null, Map.of("username", List.of("manager"),
                "password", TestService.PASSWORD), Map.of()), 400, "invalid_json", "username");
        refused("unknown field", api.send("POST", "/session", null, Map.of("username", "manager", "password", TestService.PASSWORD,
                "remember", true), Map.of()), 400, "invalid_json", "remember");
        var malformed = api.sendRaw("POST", "/session", null, "{\"username\": \"manager\", \"password\": ", "application/json", Map.of());
        refused("malformed", malformed, 400, "malformed_json");
        assertThat(malformed.text()).doesNotContain("manager");
        refused("not JSON", api.sendRaw("POST", "/session", null, "username=manager", "application/x-www-form-urlencoded", Map.of()), 415,
                "unsupported_media_type");
        var wrongPassword = api.send("POST", "/session", null, Map.of("username", "analyst", "password", "not the password"), Map.of());
        refused("wrong password", wrongPassword, 401, "login_failed");
        var unknownUser = api.send("POST", "/session", null, Map.of("username", "nobody-here", "password", "not the password"), Map.of());
        assertThat(unknownUser.body()).as("an unknown user and a wrong password look the same").isEqualTo(wrongPassword.body());
        assertThat(wrongPassword.text()).doesNotContain("not the password");
        unchanged(before);
    }
}
