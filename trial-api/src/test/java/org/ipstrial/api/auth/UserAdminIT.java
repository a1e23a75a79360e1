package org.ipstrial.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import com.fasterxml.jackson.databind.JsonNode;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.resources.BadInputIT;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin's user administration through the API, against a real service and PostgreSQL: one-time
 * codes for new users and resets, the forced password change, lock-out and unlock, roles and
 * sites, the last-admin guard, the sites overview, and what the audit log records of each.
 * (Who may call each endpoint is {@link RoleMatrixIT}'s.)
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UserAdminIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("user-admin"));
    static ApiClient api;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    static ApiClient.Answer login(String username, String password) {
        return api.send("POST", "/session", null, Map.of("username", username, "password", password), Map.of());
    }

    static ApiClient.Answer changePassword(String token, String current, String next) {
        return api.send("POST", "/session/password", token, Map.of("currentPassword", current, "newPassword", next), Map.of());
    }

    static JsonNode listed(String username) {
        for (JsonNode user : api.get("admin", "/users").body()) {
            if (user.get("username").asText().equals(username)) {
                return user;
            }
        }
        throw new AssertionError(username + " is not listed");
    }

    static String tokenOf(ApiClient.Answer login) {
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.body().get("token").asText();
    }

    /** The audit events about a user, oldest first: action and details. */
    static List<String> auditOf(String username) {
        return TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT e.action || ' ' || e.details FROM audit_event e JOIN app_user u ON e.subject = 'user:' || u.id
                WHERE u.username = :u ORDER BY e.seq""").bind("u", username).mapTo(String.class).list());
    }

    @Test
    void aNewUserGetsAOneTimeCodeShownOnceAndMustChooseAPasswordBeforeAnythingElse() {
        var created = api.post("admin", "/users", Map.of("username", "new-manager", "role", "manager", "site", "A"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        String code = created.body().get("oneTimeCode").asText();
        assertThat(code).matches("([A-HJ-NP-Z2-9]{5}-){4}[A-HJ-NP-Z2-9]{5}");
        Instant expires = Instant.parse(created.body().get("expiresAt").asText());
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(23), Duration.ofHours(24));
        assertThat(created.body().at("/user/passwordChangeRequired").asBoolean()).isTrue();
        assertThat(created.body().at("/user/site").asText()).isEqualTo("A");

        String stored = TestService.jdbi(APP).withHandle(h -> h.createQuery("SELECT password_hash FROM app_user WHERE username = 'new-manager'")
                .mapTo(String.class).one());
        assertThat(stored).as("only a bcrypt hash of the code is kept").startsWith("$2b$").doesNotContain(code);
        assertThat(api.get("admin", "/users").text()).as("the list never shows a code").doesNotContain(code);
        JsonNode listed = listed("new-manager");
        assertThat(listed.get("passwordChangeRequired").asBoolean()).isTrue();
        assertThat(listed.get("oneTimeCodeExpiresAt").isNull()).isFalse();
        assertThat(listed.path("lastLoginAt").isNull() || listed.path("lastLoginAt").isMissingNode()).as("never signed in").isTrue();

        String token = tokenOf(login("new-manager", code));
        var gated = api.send("GET", "/forms", token, null, Map.of());
        assertThat(gated.status()).isEqualTo(403);
        assertThat(gated.code()).isEqualTo("password_change_required");
        assertThat(api.send("GET", "/session", token, null, Map.of()).body().get("passwordChangeRequired").asBoolean()).isTrue();
        assertThat(listed("new-manager").get("lastLoginAt").isNull()).as("signing in is recorded").isFalse();

        var wrongCode = changePassword(token, "ABCDE-ABCDE-ABCDE-ABCDE-ABCDE", "a password of my own");
        BadInputIT.refused("a wrong code", wrongCode, 422, "invalid_fields", "currentPassword");
        BadInputIT.refused("a short password", changePassword(token, code, "too short"), 422, "invalid_fields", "newPassword");
        BadInputIT.refused("the code again", changePassword(token, code, code), 422, "invalid_fields", "newPassword");
        BadInputIT.refused("nothing", api.send("POST", "/session/password", token, Map.of(), Map.of()), 422, "invalid_fields",
                "currentPassword", "newPassword");
        assertThat(api.send("GET", "/forms", token, null, Map.of()).status()).as("still gated after refusals").isEqualTo(403);

        assertThat(changePassword(token, code, "a password of my own").status()).isEqualTo(204);
        assertThat(api.send("GET", "/forms", token, null, Map.of()).status()).as("the same session works now").isEqualTo(200);
        assertThat(listed("new-manager").get("passwordChangeRequired").asBoolean()).isFalse();
        assertThat(listed("new-manager").get("oneTimeCodeExpiresAt").isNull()).isTrue();
        var usedCode = login("new-manager", code);
        assertThat(usedCode.status()).as("a code works once").isEqualTo(401);
        assertThat(usedCode.code()).isEqualTo("login_failed");
        BadInputIT.refused("the used code as current password", changePassword(token, code, "yet another password"), 422,
                "invalid_fields", "currentPassword");
        assertThat(login("new-manager", "a password of my own").status()).isEqualTo(200);

        assertThat(auditOf("new-manager")).containsExactly(
                "user_created {\"role\":\"manager\",\"site\":\"A\"}",
                "password_changed {\"fromOneTimeCode\":true}");
        assertThat(String.join(" ", auditOf("new-manager"))).doesNotContain("new-manager").doesNotContain(code);
    }

    @Test
    void aResetGivesANewCodeEndsSessionsAndTheLockOutAndTheOldPasswordStopsWorking() {
        String password = "the first password 1";
        TestService.createUserThroughAdmin(api, "forgetful", "analyst", null, password);
        String oldSession = tokenOf(login("forgetful", password));

        var first = api.post("admin", "/users/forgetful/password-reset", null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(api.send("GET", "/session", oldSession, null, Map.of()).status()).as("sessions end").isEqualTo(401);
        assertThat(login("forgetful", password).status()).as("the old password").isEqualTo(401);

        var second = api.post("admin", "/users/forgetful/password-reset", null);
        String code = second.body().get("oneTimeCode").asText();
        assertThat(code).isNotEqualTo(first.body().get("oneTimeCode").asText());
        assertThat(login("forgetful", first.body().get("oneTimeCode").asText()).status()).as("the first code, replaced").isEqualTo(401);

        int maxFailed = APP.getConfiguration().getSecurity().getMaxFailedLogins();
        for (int i = 0; i < maxFailed; i++) {
            login("forgetful", "a wrong guess " + i);
        }
        assertThat(login("forgetful", code).code()).isEqualTo("account_locked");
        assertThat(listed("forgetful").get("locked").asBoolean()).isTrue();
        assertThat(listed("forgetful").get("lockedUntil").isNull()).isFalse();
        assertThat(api.post("admin", "/users/forgetful/unlock", null).status()).isEqualTo(204);
        assertThat(listed("forgetful").get("locked").asBoolean()).isFalse();
        String token = tokenOf(login("forgetful", code));
        assertThat(changePassword(token, code, "the second password 2").status()).isEqualTo(204);
        assertThat(login("forgetful", "the second password 2").status()).isEqualTo(200);

        assertThat(auditOf("forgetful")).extracting(e -> e.substring(0, e.indexOf(' '))).containsExactly("user_created",
                "password_changed", "user_password_reset", "user_password_reset", "account_locked", "user_unlocked", "password_changed");
        assertThat(String.join(" ", auditOf("forgetful"))).doesNotContain(code).doesNotContain("forgetful");
    }

    @Test
    void anExpiredCodeNoLongerSignsInNorChangesThePassword() {
        var created = api.post("admin", "/users", Map.of("username", "too-late", "role", "fieldwork"));
        String code = created.body().get("oneTimeCode").asText();
        String token = tokenOf(login("too-late", code));
        expireCode("too-late");
        var before = TestService.everyRow(APP);
        var expired = changePassword(token, code, "a password of my own");
        BadInputIT.refused("an expired code", expired, 422, "invalid_fields", "currentPassword");
        assertThat(expired.body().at("/fieldErrors/0/message").asText()).contains("expired");
        var refused = login("too-late", code);
        assertThat(refused.status()).as("the right code, expired, is refused as a wrong one is").isEqualTo(401);
        assertThat(refused.code()).isEqualTo("login_failed");
        assertThat(api.send("GET", "/followup", token, null, Map.of()).code()).isEqualTo("password_change_required");
        TestService.assertUnchanged(APP, before);

        var reset = api.post("admin", "/users/too-late/password-reset", null);
        String fresh = reset.body().get("oneTimeCode").asText();
        assertThat(changePassword(tokenOf(login("too-late", fresh)), fresh, "a password of my own").status()).isEqualTo(204);
    }

    static void expireCode(String username) {
        int changed = TestService.jdbi(APP).withHandle(h -> h.createUpdate(
                "UPDATE app_user SET one_time_code_expires_at = now() - interval '1 second' WHERE username = :u").bind("u", username).execute());
        assertThat(changed).isEqualTo(1);
    }

    @Test
    void rolesAndSitesChangeWithTheirRulesAndEndTheUsersSessions() {
        TestService.createUserThroughAdmin(api, "moving", "analyst", null, "a long enough password");
        String session = tokenOf(login("moving", "a long enough password"));
        var before = TestService.everyRow(APP);
        BadInputIT.refused("a specialist without a site", api.put("admin", "/users/moving/role", Map.of("role", "specialist")), 422,
                "invalid_fields", "site");
        BadInputIT.refused("an unknown role", api.put("admin", "/users/moving/role", Map.of("role", "wizard")), 422,
                "invalid_fields", "role");
        BadInputIT.refused("no role", api.put("admin", "/users/moving/role", Map.of()), 422, "invalid_fields", "role");
        BadInputIT.refused("an unknown site", api.put("admin", "/users/moving/role", Map.of("role", "manager", "site", "Z")), 422,
                "invalid_fields", "site");
        BadInputIT.refused("an unknown site", api.put("admin", "/users/moving/site", Map.of("site", "Z")), 422, "invalid_fields", "site");
        BadInputIT.refused("an unknown field", api.put("admin", "/users/moving/role", Map.of("role", "manager", "sites", "A")), 400,
                "invalid_json", "sites");
        for (String[] call : new String[][] {{"PUT", "/users/nobody-here/role"}, {"PUT", "/users/nobody-here/site"},
                {"PUT", "/users/nobody-here/disabled"}, {"POST", "/users/nobody-here/unlock"}, {"POST", "/users/nobody-here/password-reset"}}) {
            Object body = call[1].endsWith("role") ? Map.of("role", "manager") : call[1].endsWith("site") ? Map.of("site", "A")
                    : call[1].endsWith("disabled") ? Map.of("disabled", true) : null;
            BadInputIT.refused("an unknown user", api.send(call[0], call[1], api.token("admin"), body, Map.of()), 404, "user_not_found");
        }
        TestService.assertUnchanged(APP, before);

        assertThat(api.put("admin", "/users/moving/role", Map.of("role", "specialist", "site", "B")).status()).isEqualTo(204);
        assertThat(api.send("GET", "/session", session, null, Map.of()).status()).as("sessions end").isEqualTo(401);
        String asSpecialist = tokenOf(login("moving", "a long enough password"));
        var me = api.send("GET", "/session", asSpecialist, null, Map.of()).body();
        assertThat(me.get("role").asText()).isEqualTo("specialist");
        assertThat(me.get("site").asText()).isEqualTo("B");
        assertThat(api.put("admin", "/users/moving/site", Map.of("site", "A")).status()).isEqualTo(204);
        assertThat(listed("moving").get("site").asText()).isEqualTo("A");
        assertThat(api.put("admin", "/users/moving/role", Map.of("role", "statistician")).status()).isEqualTo(204);
        assertThat(listed("moving").path("site").isNull()).as("no site given: none kept").isTrue();

        assertThat(api.put("admin", "/users/moving/disabled", Map.of("disabled", true)).status()).isEqualTo(204);
        assertThat(listed("moving").get("disabled").asBoolean()).isTrue();
        assertThat(login("moving", "a long enough password").status()).isEqualTo(401);
        assertThat(api.put("admin", "/users/moving/disabled", Map.of("disabled", false)).status()).isEqualTo(204);
        assertThat(login("moving", "a long enough password").status()).isEqualTo(200);

        assertThat(auditOf("moving")).containsSubsequence(
                "user_role_changed {\"from\":\"analyst\",\"site\":\"B\",\"to\":\"specialist\"}",
                "user_site_assigned {\"site\":\"A\"}",
                "user_role_changed {\"from\":\"specialist\",\"site\":\"\",\"to\":\"statistician\"}",
                "user_disabled {}", "user_enabled {}");
    }

    /** The trial always keeps an admin who can sign in: no admin action may leave it without one. */
    @Test
    void theLastActiveAdminCannotBeDisabledDemotedOrResetAndTwoAdminsCannotDisableEachOtherAtOnce() throws Exception {
        var before = TestService.everyRow(APP);
        for (var refused : List.of(api.put("admin", "/users/admin/disabled", Map.of("disabled", true)),
                api.put("admin", "/users/admin/role", Map.of("role", "manager")),
                api.post("admin", "/users/admin/password-reset", null))) {
            BadInputIT.refused("the last active admin", refused, 422, "last_active_admin", "username");
            assertThat(refused.body().get("message").asText()).contains("last active admin");
        }
        TestService.assertUnchanged(APP, before);

        var second = api.post("admin", "/users", Map.of("username", "second-admin", "role", "admin"));
        String code = second.body().get("oneTimeCode").asText();
        BadInputIT.refused("an admin still to choose a password does not count", api.put("admin", "/users/admin/disabled",
                Map.of("disabled", true)), 422, "last_active_admin", "username");
        String secondToken = tokenOf(login("second-admin", code));
        assertThat(changePassword(secondToken, code, "the second admin's password").status()).isEqualTo(204);

        // Two admins, each disabling the other at the same moment: never both.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<ApiClient.Answer> firstDisablesSecond = () -> api.put("admin", "/users/second-admin/disabled", Map.of("disabled", true));
            Callable<ApiClient.Answer> secondDisablesFirst = () -> api.send("PUT", "/users/admin/disabled", secondToken,
                    Map.of("disabled", true), Map.of());
            Future<ApiClient.Answer> a = pool.submit(firstDisablesSecond);
            Future<ApiClient.Answer> b = pool.submit(secondDisablesFirst);
            int done = (a.get().status() == 204 ? 1 : 0) + (b.get().status() == 204 ? 1 : 0);
            assertThat(done).as("%s / %s", a.get(), b.get()).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        long active = TestService.jdbi(APP).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM app_user WHERE role = 'admin' AND NOT disabled AND NOT password_change_required").mapTo(Long.class).one());
        assertThat(active).isEqualTo(1);
        // Put things back: whoever is left enables the other, and the second admin leaves the role.
        boolean firstLeft = TestService.jdbi(APP).withHandle(h -> h.createQuery(
                "SELECT disabled FROM app_user WHERE username = 'second-admin'").mapTo(Boolean.class).one());
        api.forget("admin");
        String survivor = firstLeft ? api.token("admin") : tokenOf(login("second-admin", "the second admin's password"));
        String other = firstLeft ? "second-admin" : "admin";
        assertThat(api.send("PUT", "/users/" + other + "/disabled", survivor, Map.of("disabled", false), Map.of()).status()).isEqualTo(204);
        assertThat(api.send("PUT", "/users/second-admin/role", survivor, Map.of("role", "analyst"), Map.of()).status()).isEqualTo(204);
        BadInputIT.refused("alone again", api.send("PUT", "/users/admin/role", tokenOf(login("admin", TestService.PASSWORD)),
                Map.of("role", "analyst"), Map.of()), 422, "last_active_admin", "username");
    }

    @Test
    void theSitesPageListsEachSiteOfTheTrialWithItsUsersByRoleAndItsRecruitCounts() {
        var before = api.get("admin", "/sites");
        assertThat(before.status()).isEqualTo(200);
        var definition = TestService.trial(APP).definition();
        assertThat(before.body().get("sites").findValuesAsText("code"))
                .containsExactlyElementsOf(definition.sites().stream().map(s -> s.code()).toList());
        JsonNode siteA = before.body().get("sites").get(0);
        assertThat(siteA.at("/usersByRole/specialist").findValuesAsText("username")).contains("spec-a").doesNotContain("spec-b");
        assertThat(before.body().at("/usersWithoutSite/statistician").findValuesAsText("username")).contains("statistician");
        long recruitsAtA = siteA.get("recruits").asLong();

        String area = definition.sites().get(0).areas().get(0).code();
        assertThat(api.post("spec-a", "/recruits", Map.of("site", "A", "area", area)).status()).isEqualTo(201);
        JsonNode after = api.get("admin", "/sites").body().get("sites");
        assertThat(after.get(0).get("recruits").asLong()).isEqualTo(recruitsAtA + 1);
        assertThat(after.get(0).get("randomised").asLong()).isEqualTo(siteA.get("randomised").asLong());
        assertThat(after.get(1).get("recruits").asLong()).isEqualTo(before.body().get("sites").get(1).get("recruits").asLong());
        assertThat(api.get("admin", "/sites").text()).as("counts, never a recruit").doesNotContain("participantId");
    }
}
