package org.ipstrial.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may call what, for every endpoint the running service has: the list of endpoints is read from
 * the Jersey application itself, so an endpoint added without a line in {@link #MATRIX} fails here.
 * Then logins: lock-out after repeated failures, disabled users, expired sessions.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RoleMatrixIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("roles"));
    static ApiClient api;

    /** Anyone, without a session. */
    static final Set<Role> PUBLIC = Set.of();
    static final Set<Role> EVERY_ROLE = EnumSet.allOf(Role.class);

    /** Method and path template (as Jersey writes it, under /api/v1) to the roles allowed; PUBLIC needs no session. */
    static final Map<String, Set<Role>> MATRIX = new LinkedHashMap<>();

    static {
        MATRIX.put("POST /session", PUBLIC);
        MATRIX.put("GET /session", EVERY_ROLE);
        MATRIX.put("DELETE /session", EVERY_ROLE);
        // Everyone changes their own password (and, after signing in with a one-time code, must first).
        MATRIX.put("POST /session/password", EVERY_ROLE);
        // Two-factor sign-in: the second step and the enrolment take the session themselves (a sign-in
        // still pending reaches them, TwoFactorIT); with a complete session the code step answers 409.
        MATRIX.put("POST /session/code", EVERY_ROLE);
        MATRIX.put("GET /two-factor", EVERY_ROLE);
        // Called here it starts an enrolment that nobody confirms: sign-in is unchanged by it.
        MATRIX.put("POST /two-factor/enrolment", EVERY_ROLE);
        MATRIX.put("POST /two-factor/enrolment/confirmation", EVERY_ROLE);
        MATRIX.put("DELETE /two-factor/users/{username}", EnumSet.of(Role.admin));
        MATRIX.put("GET /openapi.{type:json|yaml}", PUBLIC);
        MATRIX.put("POST /recruits", EnumSet.of(Role.specialist));
        MATRIX.put("GET /recruits", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("GET /recruits/{participantId}", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("POST /recruits/{participantId}/screening", EnumSet.of(Role.specialist));
        MATRIX.put("POST /recruits/{participantId}/agreement", EnumSet.of(Role.specialist));
        MATRIX.put("PUT /recruits/{participantId}/identity", EnumSet.of(Role.specialist));
        MATRIX.put("PUT /recruits/{participantId}/baseline", EnumSet.of(Role.specialist));
        MATRIX.put("GET /forms", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("POST /randomisations", EnumSet.of(Role.specialist));
        // Whoever reads the recruit's allocation (the recruit view) may print its confirmation.
        MATRIX.put("GET /recruits/{participantId}/allocation/confirmation.pdf", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("POST /recruits/{participantId}/status", EnumSet.of(Role.manager));
        MATRIX.put("POST /recruits/{participantId}/erasure", EnumSet.of(Role.manager));
        MATRIX.put("POST /recruits/{participantId}/corrections", EnumSet.of(Role.manager, Role.specialist));
        MATRIX.put("POST /recruits/{participantId}/flags", EnumSet.of(Role.manager));
        MATRIX.put("GET /exports/participants.csv", EnumSet.of(Role.custodian));
        MATRIX.put("GET /exports/baseline.csv", EnumSet.of(Role.custodian));
        MATRIX.put("GET /exports/sample-frame.csv", EnumSet.of(Role.fieldwork));
        MATRIX.put("GET /users", EnumSet.of(Role.admin));
        MATRIX.put("POST /users", EnumSet.of(Role.admin));
        MATRIX.put("PUT /users/{username}/disabled", EnumSet.of(Role.admin));
        MATRIX.put("PUT /users/{username}/site", EnumSet.of(Role.admin));
        MATRIX.put("PUT /users/{username}/role", EnumSet.of(Role.admin));
        MATRIX.put("POST /users/{username}/unlock", EnumSet.of(Role.admin));
        MATRIX.put("POST /users/{username}/password-reset", EnumSet.of(Role.admin));
        MATRIX.put("GET /sites", EnumSet.of(Role.admin));
        MATRIX.put("GET /design", EnumSet.of(Role.statistician));
        MATRIX.put("POST /design/verification", EnumSet.of(Role.statistician));
        MATRIX.put("GET /audit/verification", EnumSet.of(Role.admin, Role.statistician, Role.manager));
        // A recruit's audit trail: managers (their site's recruits) and the statistician (identifiers masked).
        MATRIX.put("GET /recruits/{participantId}/audit", EnumSet.of(Role.manager, Role.statistician));
        MATRIX.put("GET /recruits/{participantId}/audit.csv", EnumSet.of(Role.manager, Role.statistician));
        MATRIX.put("GET /audit/trail", EnumSet.of(Role.manager, Role.statistician));
        MATRIX.put("GET /audit/trail.csv", EnumSet.of(Role.manager, Role.statistician));
        MATRIX.put("GET /reports/structure", EnumSet.of(Role.specialist, Role.manager, Role.statistician));
        // The monitoring pack: both read its open part; its closed part (part=closed) answers 403 to a manager (MonitoringPackIT).
        for (String report : new String[] {"recruitment", "recruitment.csv", "recruitment-weekly.csv", "consort", "consort.csv",
                "consort.svg", "balance", "balance.csv", "monitoring-pack.pdf", "minimisation-balance", "minimisation-balance.csv"}) {
            MATRIX.put("GET /reports/" + report, EnumSet.of(Role.manager, Role.statistician));
        }
        // Live arm counts per stratum: the statistician's alone.
        MATRIX.put("GET /reports/sequence", EnumSet.of(Role.statistician));
        MATRIX.put("GET /reports/sequence.csv", EnumSet.of(Role.statistician));
        // Delivery to the treatment group: specialists of the recruit's site write, managers see, correct and delete.
        MATRIX.put("POST /recruits/{participantId}/delivery", EnumSet.of(Role.specialist));
        MATRIX.put("GET /recruits/{participantId}/delivery", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("POST /delivery/employer-contacts", EnumSet.of(Role.specialist));
        MATRIX.put("POST /delivery/records/{recordId}/correction", EnumSet.of(Role.manager));
        MATRIX.put("POST /delivery/records/{recordId}/deletion", EnumSet.of(Role.manager));
        MATRIX.put("POST /delivery/specialist-fte", EnumSet.of(Role.manager));
        MATRIX.put("GET /delivery/specialist-fte", EnumSet.of(Role.manager));
        MATRIX.put("GET /delivery/caseload", EnumSet.of(Role.specialist, Role.manager));
        MATRIX.put("GET /fidelity/scale", EnumSet.of(Role.manager));
        MATRIX.put("POST /fidelity/reviews", EnumSet.of(Role.manager));
        MATRIX.put("GET /fidelity/reviews", EnumSet.of(Role.manager));
        MATRIX.put("PUT /fidelity/reviews/{reviewId}/actions/{actionId}", EnumSet.of(Role.manager));
        for (String report : new String[] {"delivery", "delivery.csv", "delivery-publication.csv", "fidelity", "fidelity.csv"}) {
            MATRIX.put("GET /reports/" + report, EnumSet.of(Role.manager));
        }
        MATRIX.put("GET /exports/delivery.csv", EnumSet.of(Role.custodian));
        // The follow-up survey list: fieldwork (contact details on rows due or overdue) and managers (never contact details).
        MATRIX.put("GET /followup", EnumSet.of(Role.fieldwork, Role.manager));
        MATRIX.put("GET /followup.csv", EnumSet.of(Role.fieldwork, Role.manager));
        MATRIX.put("POST /recruits/{participantId}/followup/{wave}/attempts", EnumSet.of(Role.fieldwork));
        MATRIX.put("POST /recruits/{participantId}/followup/{wave}/done", EnumSet.of(Role.fieldwork, Role.manager));
    }

    /** A test user of each role. */
    static final Map<Role, String> USER_OF_ROLE = Map.of(Role.specialist, "spec-a", Role.manager, "manager",
            Role.statistician, "statistician", Role.custodian, "custodian", Role.fieldwork, "fieldwork",
            Role.analyst, "analyst", Role.admin, "admin");

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    /** Every endpoint of the running application, from Jersey's own model of its resources. */
    static Set<String> endpointsOfTheRunningService() {
        return endpointsOf(APP);
    }

    /** The same for another running service (TwoFactorIT's, with the second factor required). */
    static Set<String> endpointsOf(DropwizardAppExtension<TrialConfiguration> app) {
        var config = app.getEnvironment().jersey().getResourceConfig();
        List<Class<?>> classes = new ArrayList<>(config.getClasses());
        config.getInstances().forEach(i -> classes.add(i.getClass()));
        Set<String> endpoints = new TreeSet<>();
        for (Class<?> type : classes) {
            if (Resource.isAcceptable(type) && Resource.getPath(type) != null) {
                collect(Resource.from(type), "", endpoints);
            }
        }
        for (Resource resource : config.getResources()) {
            collect(resource, "", endpoints);
        }
        return endpoints;
    }

    static void collect(Resource resource, String parent, Set<String> into) {
        String path = (parent + "/" + (resource.getPath() == null ? "" : resource.getPath())).replaceAll("/+", "/");
        path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (ResourceMethod method : resource.getResourceMethods()) {
            into.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, into);
        }
    }

    @Test
    void everyEndpointOfTheServiceIsInTheMatrixAndNoOtherIs() {
        Set<String> endpoints = endpointsOfTheRunningService();
        assertThat(endpoints).as("endpoints found in the running application").hasSizeGreaterThan(20);
        assertThat(endpoints).as("endpoints nobody listed in the role matrix").isSubsetOf(MATRIX.keySet());
        assertThat(MATRIX.keySet()).as("endpoints listed that the service does not have").isSubsetOf(endpoints);
    }

    @Test
    void withoutASessionEveryEndpointButLoginAndTheOpenApiDocumentIs401() {
        for (String endpoint : endpointsOfTheRunningService()) {
            var answer = call(endpoint, null);
            if (MATRIX.get(endpoint) == PUBLIC) {
                assertThat(answer.status()).as(endpoint + " " + answer).isEqualTo(200);
            } else {
                assertThat(answer.status()).as(endpoint + " " + answer).isEqualTo(401);
                assertThat(answer.code()).as(endpoint).isEqualTo("not_authenticated");
            }
        }
        // A token that names no session is the same as none.
        var forged = api.send("GET", "/design", "not-a-real-token", null, Map.of());
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void eachRoleGetsExactlyTheEndpointsItIsAllowed() {
        Map<String, String> wrong = new TreeMap<>();
        for (String endpoint : endpointsOfTheRunningService()) {
            Set<Role> allowed = MATRIX.get(endpoint);
            for (Role role : Role.values()) {
                // Logging out ends the session: that call gets a session of its own.
                String token = endpoint.equals("DELETE /session") ? freshToken(USER_OF_ROLE.get(role)) : api.token(USER_OF_ROLE.get(role));
                var answer = call(endpoint, token);
                boolean mayCall = allowed == PUBLIC || allowed.contains(role);
                if (mayCall && (answer.status() == 401 || answer.status() == 403 || answer.status() >= 500)) {
                    wrong.put(endpoint + " as " + role, "refused or failed: " + answer);
                }
                if (!mayCall && answer.status() != 403) {
                    wrong.put(endpoint + " as " + role, "expected 403: " + answer);
                }
                if (!mayCall) {
                    assertThat(answer.code()).as(endpoint + " as " + role).isEqualTo("forbidden");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Calls an endpoint with a harmless request: placeholders name nobody, bodies are empty or change nothing real. */
    static ApiClient.Answer call(String endpoint, String token) {
        return call(api, endpoint, token);
    }

    static ApiClient.Answer call(ApiClient api, String endpoint, String token) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                .replace("{participantId}", "00000000")
                .replace("{username}", "nobody-here")
                .replace("{wave}", "4m").replace("{recordId}", "0").replace("{reviewId}", "0").replace("{actionId}", "0")
                .replace("{type:json|yaml}", "json");
        Object body = null;
        if (endpoint.equals("POST /session")) {
            body = Map.of("username", "analyst", "password", TestService.PASSWORD);
        } else if (method.equals("POST") || method.equals("PUT")) {
            body = Map.of();
        }
        return api.send(method, path, token, body, Map.of());
    }

    static String freshToken(String username) {
        var login = api.send("POST", "/session", null, Map.of("username", username, "password", TestService.PASSWORD), Map.of());
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.body().get("token").asText();
    }

    static void createUser(String username, String password) {
        TestService.createUserThroughAdmin(api, username, "analyst", null, password);
    }

    static ApiClient.Answer login(String username, String password) {
        return api.send("POST", "/session", null, Map.of("username", username, "password", password), Map.of());
    }

    @Test
    void repeatedFailedLoginsLockTheAccountUntilAnAdminResetsIt() {
        int maxFailed = APP.getConfiguration().getSecurity().getMaxFailedLogins();
        String password = "a long enough password 1";
        createUser("lock-me", password);
        for (int i = 1; i < maxFailed; i++) {
            var refused = login("lock-me", "wrong password " + i);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.code()).isEqualTo("login_failed");
        }
        assertThat(login("lock-me", password).status()).as("a success before the limit clears the count").isEqualTo(200);
        for (int i = 1; i <= maxFailed + 2; i++) {
            assertThat(login("lock-me", "wrong password " + i).status()).isEqualTo(401);
        }
        var locked = login("lock-me", password);
        assertThat(locked.status()).as("even the right password, while locked").isEqualTo(401);
        assertThat(locked.code()).isEqualTo("account_locked");
        assertThat(locked.text()).doesNotContain(password);
        var listed = api.get("admin", "/users");
        assertThat(listed.body().findValues("username").stream().map(n -> n.asText()).toList()).contains("lock-me");
        for (var user : listed.body()) {
            if (user.get("username").asText().equals("lock-me")) {
                assertThat(user.get("locked").asBoolean()).isTrue();
            }
        }

        assertThat(api.post("admin", "/users/lock-me/unlock", null).status()).isEqualTo(204);
        assertThat(login("lock-me", password).status()).as("unlocking ends the lock; the password is unchanged").isEqualTo(200);

        for (int i = 1; i <= maxFailed; i++) {
            assertThat(login("lock-me", "wrong password " + i).status()).isEqualTo(401);
        }
        assertThat(login("lock-me", password).code()).isEqualTo("account_locked");
        var reset = api.post("admin", "/users/lock-me/password-reset", null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(login("lock-me", password).status()).as("the old password").isEqualTo(401);
        assertThat(login("lock-me", reset.body().get("oneTimeCode").asText()).status()).as("a reset ends the lock").isEqualTo(200);
    }

    /** Who signed in with a one-time code may only choose a password, ask who they are, and log out: every other call is 403. */
    @Test
    void aUserAwaitingAPasswordChangeGetsNothingElseUntilTheyChooseOne() {
        var created = api.post("admin", "/users", Map.of("username", "must-change", "role", "admin"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String code = created.body().get("oneTimeCode").asText();
        var session = login("must-change", code);
        assertThat(session.status()).as(session.toString()).isEqualTo(200);
        String token = session.body().get("token").asText();
        Set<String> allowed = Set.of("GET /session", "DELETE /session", "POST /session/password");
        Map<String, String> wrong = new TreeMap<>();
        for (String endpoint : endpointsOfTheRunningService()) {
            if (MATRIX.get(endpoint) == PUBLIC || allowed.contains(endpoint)) {
                continue;
            }
            var answer = call(endpoint, token);
            if (answer.status() != 403 || !answer.code().equals("password_change_required")) {
                wrong.put(endpoint, answer.toString());
            }
        }
        assertThat(wrong).as("an admin's every call but the allowed ones, before choosing a password").isEmpty();
        var me = api.send("GET", "/session", token, null, Map.of());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("passwordChangeRequired").asBoolean()).isTrue();

        var changed = api.send("POST", "/session/password", token,
                Map.of("currentPassword", code, "newPassword", "a password of my own 5"), Map.of());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(api.send("GET", "/users", token, null, Map.of()).status()).as("the same session, now let through").isEqualTo(200);
        assertThat(api.send("GET", "/session", token, null, Map.of()).body().get("passwordChangeRequired").asBoolean()).isFalse();
    }

    @Test
    void failedLoginsSentAtOnceStillLockTheAccount() throws Exception {
        int maxFailed = APP.getConfiguration().getSecurity().getMaxFailedLogins();
        String password = "a long enough password 3";
        createUser("parallel-guesses", password);
        int attempts = 4 * maxFailed;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<ApiClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int guess = i;
                answers.add(pool.submit(() -> login("parallel-guesses", "wrong guess " + guess)));
            }
            for (Future<ApiClient.Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(401);
            }
        } finally {
            pool.shutdown();
        }
        var locked = login("parallel-guesses", password);
        assertThat(locked.status()).as("%d wrong guesses at once must lock the account: %s", attempts, locked).isEqualTo(401);
        assertThat(locked.code()).isEqualTo("account_locked");
    }

    @Test
    void aDisabledUserIsRefusedAndTheirSessionsEnd() {
        String password = "a long enough password 4";
        createUser("disable-me", password);
        var session = login("disable-me", password);
        String token = session.body().get("token").asText();
        assertThat(api.send("GET", "/session", token, null, Map.of()).status()).isEqualTo(200);
        assertThat(api.put("admin", "/users/disable-me/disabled", Map.of("disabled", true)).status()).isEqualTo(204);
        assertThat(api.send("GET", "/session", token, null, Map.of()).status()).as("the old session").isEqualTo(401);
        var refused = login("disable-me", password);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("login_failed");
        assertThat(api.put("admin", "/users/disable-me/disabled", Map.of("disabled", false)).status()).isEqualTo(204);
        assertThat(login("disable-me", password).status()).isEqualTo(200);
    }

    @Test
    void anExpiredSessionIsRefusedAndLoggingOutEndsASession() throws Exception {
        String token = freshToken("manager");
        assertThat(api.send("GET", "/forms", token, null, Map.of()).status()).isEqualTo(200);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        int changed = TestService.jdbi(APP).withHandle(h -> h.createUpdate(
                "UPDATE user_session SET expires_at = now() - interval '1 second' WHERE token_hash = :h").bind("h", hash).execute());
        assertThat(changed).isEqualTo(1);
        var expired = api.send("GET", "/forms", token, null, Map.of());
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.code()).isEqualTo("not_authenticated");
        var viaCookie = api.send("GET", "/forms", null, null, Map.of("Cookie", "trial_session=" + token));
        assertThat(viaCookie.status()).isEqualTo(401);

        String other = freshToken("manager");
        assertThat(api.send("GET", "/forms", null, null, Map.of("Cookie", "trial_session=" + other)).status()).isEqualTo(200);
        assertThat(api.send("DELETE", "/session", other, null, Map.of()).status()).isEqualTo(204);
        assertThat(api.send("GET", "/forms", other, null, Map.of()).status()).isEqualTo(401);
        assertThat(Arrays.asList(Role.values())).hasSize(USER_OF_ROLE.size());
    }
}
