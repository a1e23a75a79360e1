package org.ipstrial.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.reports.MutableClock;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two-factor sign-in through the running service, on a clock the test sets: the second factor
 * required for custodian, statistician and admin, as the service's own configuration has it.
 * Each test has users of its own, so lock-outs and used steps do not cross tests.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TwoFactorIT {
    /** A step boundary plus 10 s, so a step either side is a whole step away. */
    static final Instant START = Instant.ofEpochSecond(TotpCodes.stepAt(Instant.parse("2026-03-02T09:00:00Z")) * 30 + 10);
    static final MutableClock CLOCK = new MutableClock(START);
    static final java.nio.file.Path FOLDER = TestService.newFolder("two-factor");
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(FOLDER, CLOCK,
            ConfigOverride.config("security.twoFactorRequiredFor", "custodian,statistician,admin"));
    static final TotpCodes CODES = new TotpCodes();
    static ApiClient api;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    static void createUser(String username, Role role) {
        new UserService(TestService.jdbi(APP), new PasswordHasher(4), CLOCK, Duration.ofHours(8), 3, Duration.ofMinutes(15))
                .createInitial(username, role, role == Role.specialist ? "A" : null, TestService.PASSWORD);
    }

    static ApiClient.Answer login(String username) {
        return api.send("POST", "/session", null, Map.of("username", username, "password", TestService.PASSWORD), Map.of());
    }

    static ApiClient.Answer code(String token, String code) {
        return api.send("POST", "/session/code", token, Map.of("code", code), Map.of());
    }

    static void at(long step) {
        CLOCK.set(Instant.ofEpochSecond(step * 30 + 10));
    }

    static long now() {
        return TotpCodes.stepAt(CLOCK.instant());
    }

    record Enrolled(String username, byte[] secret, List<String> recoveryCodes, String token) {}

    /** Signs in with the password, enrols, confirms with the current step's code; the session is usable then. */
    static Enrolled enrol(String username) {
        ApiClient.Answer login = login(username);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.body().get("token").asText();
        ApiClient.Answer started = api.send("POST", "/two-factor/enrolment", token, null, Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String base32 = started.body().get("secret").asText();
        assertThat(started.body().get("keyUri").asText()).startsWith("otpauth://totp/IPS%20trial:" + username + "?secret=" + base32);
        assertThat(started.body().get("qrCodeSvg").asText()).startsWith("<svg").contains("<path");
        byte[] secret = TotpCodes.fromBase32(base32);
        ApiClient.Answer confirmed = api.send("POST", "/two-factor/enrolment/confirmation", token,
                Map.of("code", CODES.codeOf(secret, now())), Map.of());
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        List<String> recovery = new ArrayList<>();
        confirmed.body().get("recoveryCodes").forEach(c -> recovery.add(c.asText()));
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
        return new Enrolled(username, secret, recovery, token);
    }

    /** The password step of an enrolled user: a session that waits for its code. */
    static String passwordStep(String username) {
        ApiClient.Answer login = login(username);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.body().get("pendingStep").asText()).isEqualTo("code");
        return login.body().get("token").asText();
    }

    static int auditEvents(String action, String username) {
        return TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT count(*) FROM audit_event e JOIN app_user u ON e.subject = 'user:' || u.id
                WHERE e.action = :action AND u.username = :username""").bind("action", action).bind("username", username)
                .mapTo(Integer.class).one());
    }

    @Test
    void enrolledUsersCodeIsAcceptedOneStepEitherSideOfNow() {
        createUser("tf-window", Role.statistician);
        at(TotpCodes.stepAt(START));
        Enrolled user = enrol("tf-window");
        assertThat(api.send("GET", "/design", user.token(), null, Map.of()).status())
                .as("the enrolment's session is usable once confirmed").isEqualTo(200);

        at(TotpCodes.stepAt(START) + 10);
        for (int offset = -1; offset <= 1; offset++) {
            String token = passwordStep("tf-window");
            ApiClient.Answer waiting = api.send("GET", "/design", token, null, Map.of());
            assertThat(waiting.status()).as("before the code").isEqualTo(401);
            assertThat(waiting.code()).isEqualTo("second_factor_required");
            ApiClient.Answer accepted = code(token, CODES.codeOf(user.secret(), now() + offset));
            assertThat(accepted.status()).as("offset " + offset + ": " + accepted).isEqualTo(200);
            assertThat(accepted.body().get("token").asText()).isEqualTo(token);
            assertThat(accepted.body().has("pendingStep") && !accepted.body().get("pendingStep").isNull()).isFalse();
            assertThat(api.send("GET", "/design", token, null, Map.of()).status()).as("after the code").isEqualTo(200);
        }
        assertThat(auditEvents("two_factor_enrolled", "tf-window")).isEqualTo(1);
        assertThat(auditEvents("two_factor_enrolment_started", "tf-window")).isEqualTo(1);
    }

    @Test
    void loggingOutEndsASignInStillWaitingForItsSecondStep() {
        createUser("tf-leave", Role.custodian);
        at(TotpCodes.stepAt(START) + 1100);
        String enrolling = login("tf-leave").body().get("token").asText();
        assertThat(api.send("GET", "/two-factor", enrolling, null, Map.of()).status()).isEqualTo(200);
        assertThat(api.send("DELETE", "/session", enrolling, null, Map.of()).status()).isEqualTo(204);
        ApiClient.Answer after = api.send("POST", "/two-factor/enrolment", enrolling, null, Map.of());
        assertThat(after.status()).as("nobody at the same computer can enrol on the account afterwards").isEqualTo(401);
        assertThat(after.code()).isEqualTo("not_authenticated");

        Enrolled user = enrol("tf-leave");
        at(TotpCodes.stepAt(START) + 1120);
        String waiting = passwordStep("tf-leave");
        assertThat(api.send("DELETE", "/session", waiting, null, Map.of()).status()).isEqualTo(204);
        ApiClient.Answer code = code(waiting, CODES.codeOf(user.secret(), now()));
        assertThat(code.status()).as("the code no longer opens it").isEqualTo(401);
        assertThat(code.code()).isEqualTo("not_authenticated");
        ApiClient.Answer again = api.send("DELETE", "/session", waiting, null, Map.of());
        assertThat(again.status()).as("an ended session cannot be ended twice").isEqualTo(401);
        assertThat(again.code()).isEqualTo("not_authenticated");
    }

    /** The user's last login as the users page shows it. */
    static Instant lastLogin(String username) {
        return TestService.jdbi(APP).withHandle(h -> h.createQuery("SELECT last_login_at FROM app_user WHERE username = :u")
                .bind("u", username).mapTo(java.time.OffsetDateTime.class).findOne().map(java.time.OffsetDateTime::toInstant).orElse(null));
    }

    @Test
    void theLastLoginIsASignInThatOpenedAUsableSessionNotThePasswordAlone() {
        createUser("tf-last-login", Role.statistician);
        at(TotpCodes.stepAt(START) + 1000);
        Instant enrolledAt = CLOCK.instant();
        Enrolled user = enrol("tf-last-login");
        assertThat(lastLogin("tf-last-login")).as("the enrolment's sign-in, once confirmed").isEqualTo(enrolledAt);

        at(TotpCodes.stepAt(START) + 1020);
        Instant signedInAt = CLOCK.instant();
        String token = passwordStep("tf-last-login");
        assertThat(lastLogin("tf-last-login")).as("the password alone is not a sign-in").isEqualTo(enrolledAt);
        assertThat(code(token, wrongCode(user.secret())).status()).isEqualTo(401);
        assertThat(lastLogin("tf-last-login")).as("nor is a wrong code").isEqualTo(enrolledAt);
        assertThat(code(token, CODES.codeOf(user.secret(), now())).status()).isEqualTo(200);
        assertThat(lastLogin("tf-last-login")).as("the code opened the session started at the password").isEqualTo(signedInAt);
    }

    @Test
    void aCodeTwoStepsAwayOrWrongIsRefusedAndTheSessionStaysUnusable() {
        createUser("tf-far", Role.custodian);
        at(TotpCodes.stepAt(START) + 100);
        Enrolled user = enrol("tf-far");
        at(TotpCodes.stepAt(START) + 120);
        String token = passwordStep("tf-far");
        for (int offset : new int[] {-2, 2}) {
            ApiClient.Answer refused = code(token, CODES.codeOf(user.secret(), now() + offset));
            assertThat(refused.status()).as("offset " + offset).isEqualTo(401);
            assertThat(refused.code()).isEqualTo("second_factor_failed");
        }
        assertThat(api.send("GET", "/exports/participants.csv", token, null, Map.of()).status()).isEqualTo(401);
        // A success before the limit (3 in the test configuration) clears the count.
        assertThat(code(token, CODES.codeOf(user.secret(), now())).status()).isEqualTo(200);

        String next = passwordStep("tf-far");
        String wrong = wrongCode(user.secret());
        ApiClient.Answer refused = code(next, wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("second_factor_failed");
        assertThat(refused.text()).doesNotContain(wrong);
        assertThat(api.send("GET", "/session", next, null, Map.of()).code()).isEqualTo("second_factor_required");
        ApiClient.Answer missing = api.send("POST", "/session/code", next, Map.of(), Map.of());
        assertThat(missing.status()).as("no code at all: bad input, not a failed attempt").isEqualTo(422);
        assertThat(missing.body().get("fieldErrors").get(0).get("field").asText()).isEqualTo("code");
        assertThat(code(next, CODES.codeOf(user.secret(), now() + 1)).status()).isEqualTo(200);
    }

    @Test
    void aUsedCodeOrAnEarlierStepsCodeIsRefusedAndOfTwoRacingRequestsOnlyOnePasses() throws Exception {
        createUser("tf-replay", Role.admin);
        at(TotpCodes.stepAt(START) + 200);
        Enrolled user = enrol("tf-replay");
        ApiClient.Answer sameStepAsEnrolment = code(passwordStep("tf-replay"), CODES.codeOf(user.secret(), now()));
        assertThat(sameStepAsEnrolment.status()).as("the confirming code's step is used").isEqualTo(401);

        at(TotpCodes.stepAt(START) + 210);
        String code = CODES.codeOf(user.secret(), now());
        assertThat(code(passwordStep("tf-replay"), code).status()).isEqualTo(200);
        ApiClient.Answer replay = code(passwordStep("tf-replay"), code);
        assertThat(replay.status()).as("the same code again").isEqualTo(401);
        assertThat(replay.code()).isEqualTo("second_factor_failed");
        String earlier = passwordStep("tf-replay");
        assertThat(code(earlier, CODES.codeOf(user.secret(), now() - 1)).status()).as("an earlier step's code").isEqualTo(401);
        // Cleared by a success before the third failure.
        at(TotpCodes.stepAt(START) + 211);
        assertThat(code(earlier, CODES.codeOf(user.secret(), now())).status()).isEqualTo(200);

        // Two sign-ins send the same new code at once: the guarded UPDATE lets exactly one through.
        at(TotpCodes.stepAt(START) + 212);
        String fresh = CODES.codeOf(user.secret(), now());
        String first = passwordStep("tf-replay");
        String second = passwordStep("tf-replay");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<ApiClient.Answer>> both = List.of(() -> code(first, fresh), () -> code(second, fresh));
            List<Integer> statuses = new ArrayList<>();
            for (Future<ApiClient.Answer> answer : pool.invokeAll(both)) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 401);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void eachRecoveryCodeWorksOnce() {
        createUser("tf-recovery", Role.statistician);
        at(TotpCodes.stepAt(START) + 300);
        Enrolled user = enrol("tf-recovery");
        String recovery = user.recoveryCodes().get(3);
        ApiClient.Answer used = code(passwordStep("tf-recovery"), recovery.toUpperCase().replace("-", " "));
        assertThat(used.status()).as("typed in capitals with a space: " + used).isEqualTo(200);
        ApiClient.Answer again = code(passwordStep("tf-recovery"), recovery);
        assertThat(again.status()).as("the same recovery code again").isEqualTo(401);
        assertThat(again.code()).isEqualTo("second_factor_failed");
        String token = passwordStep("tf-recovery");
        assertThat(code(token, user.recoveryCodes().get(7)).status()).isEqualTo(200);
        JsonNode status = api.send("GET", "/two-factor", token, null, Map.of()).body();
        assertThat(status.get("enrolled").asBoolean()).isTrue();
        assertThat(status.get("required").asBoolean()).isTrue();
        assertThat(status.get("recoveryCodesLeft").asInt()).isEqualTo(8);
        assertThat(auditEvents("two_factor_recovery_code_used", "tf-recovery")).isEqualTo(2);

        // Only hashes are stored: no recovery code and no secret in any row of the database.
        String secretHex = java.util.HexFormat.of().formatHex(user.secret());
        String everything = TestService.everyRow(APP).toString() + TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT string_agg(encode(secret_sealed, 'hex') || code_hash, ',') FROM two_factor f JOIN two_factor_recovery_code c USING (user_id)")
                .mapTo(String.class).one());
        assertThat(everything).contains("$2b$").doesNotContain(secretHex).doesNotContain(TotpCodes.base32(user.secret()));
        for (String code : user.recoveryCodes()) {
            assertThat(everything).doesNotContain(code).doesNotContain(code.replace("-", ""));
        }
    }

    @Test
    void wrongCodesCountTowardTheLockOutAndThePasswordAloneDoesNotResetTheCount() {
        createUser("tf-lock", Role.custodian);
        at(TotpCodes.stepAt(START) + 400);
        Enrolled user = enrol("tf-lock");
        at(TotpCodes.stepAt(START) + 410);
        String first = passwordStep("tf-lock");
        assertThat(code(first, wrongCode(user.secret())).status()).isEqualTo(401);
        assertThat(code(first, wrongCode(user.secret())).status()).isEqualTo(401);
        String second = passwordStep("tf-lock");
        ApiClient.Answer third = code(second, wrongCode(user.secret()));
        assertThat(third.status()).isEqualTo(401);
        // The third failure (the test configuration's limit) locked the account and ended both waiting sign-ins.
        ApiClient.Answer afterLock = code(second, CODES.codeOf(user.secret(), now()));
        assertThat(afterLock.status()).isEqualTo(401);
        assertThat(afterLock.code()).isEqualTo("not_authenticated");
        ApiClient.Answer locked = login("tf-lock");
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.code()).isEqualTo("account_locked");
        assertThat(auditEvents("account_locked", "tf-lock")).isEqualTo(1);

        CLOCK.set(CLOCK.instant().plus(Duration.ofMinutes(16)));
        String afterwards = passwordStep("tf-lock");
        assertThat(code(afterwards, CODES.codeOf(user.secret(), now())).status()).as("after the lock-out").isEqualTo(200);
    }

    @Test
    void aRequiredRoleWithoutASecondFactorMayOnlyEnrolAfterThePassword() {
        createUser("tf-required", Role.custodian);
        at(TotpCodes.stepAt(START) + 500);
        ApiClient.Answer login = login("tf-required");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().get("pendingStep").asText()).isEqualTo("enrolment");
        String token = login.body().get("token").asText();
        for (String path : new String[] {"/exports/participants.csv", "/session", "/recruits"}) {
            ApiClient.Answer refused = api.send("GET", path, token, null, Map.of());
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.code()).as(path).isEqualTo("two_factor_enrolment_required");
        }
        ApiClient.Answer noCode = code(token, "123456");
        assertThat(noCode.status()).as("no code is awaited").isEqualTo(409);
        JsonNode status = api.send("GET", "/two-factor", token, null, Map.of()).body();
        assertThat(status.get("required").asBoolean()).isTrue();
        assertThat(status.get("enrolled").asBoolean()).isFalse();

        ApiClient.Answer started = api.send("POST", "/two-factor/enrolment", token, null, Map.of());
        byte[] secret = TotpCodes.fromBase32(started.body().get("secret").asText());
        ApiClient.Answer wrong = api.send("POST", "/two-factor/enrolment/confirmation", token, Map.of("code", wrongCode(secret)), Map.of());
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.body().get("fieldErrors").get(0).get("field").asText()).isEqualTo("code");
        assertThat(api.send("GET", "/exports/participants.csv", token, null, Map.of()).status()).isEqualTo(401);
        ApiClient.Answer confirmed = api.send("POST", "/two-factor/enrolment/confirmation", token,
                Map.of("code", CODES.codeOf(secret, now())), Map.of());
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(api.send("GET", "/exports/participants.csv", token, null, Map.of()).status()).isEqualTo(200);
        ApiClient.Answer twice = api.send("POST", "/two-factor/enrolment", token, null, Map.of());
        assertThat(twice.status()).as("enrolled already").isEqualTo(409);
        assertThat(twice.code()).isEqualTo("two_factor_enrolled");
    }

    @Test
    void otherRolesMayEnrolAndThenSignInWithACodeToo() {
        createUser("tf-optional", Role.manager);
        at(TotpCodes.stepAt(START) + 600);
        ApiClient.Answer login = login("tf-optional");
        assertThat(login.body().path("pendingStep").isNull() || login.body().path("pendingStep").isMissingNode()).isTrue();
        String token = login.body().get("token").asText();
        assertThat(api.send("GET", "/forms", token, null, Map.of()).status()).isEqualTo(200);
        assertThat(api.send("GET", "/two-factor", token, null, Map.of()).body().get("required").asBoolean()).isFalse();

        Enrolled user = enrol("tf-optional");
        at(TotpCodes.stepAt(START) + 601);
        String next = passwordStep("tf-optional");
        assertThat(api.send("GET", "/forms", next, null, Map.of()).status()).isEqualTo(401);
        assertThat(code(next, CODES.codeOf(user.secret(), now())).status()).isEqualTo(200);
        assertThat(api.send("GET", "/forms", next, null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void anAdminResetsASecondFactorAuditedAndTheUserEnrolsAgain() {
        createUser("tf-admin", Role.admin);
        createUser("tf-lost-phone", Role.statistician);
        at(TotpCodes.stepAt(START) + 700);
        Enrolled admin = enrol("tf-admin");
        Enrolled user = enrol("tf-lost-phone");

        ApiClient.Answer notAdmin = api.send("DELETE", "/two-factor/users/tf-admin", user.token(), null, Map.of());
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/two-factor/users/nobody-here", admin.token(), null, Map.of()).code()).isEqualTo("user_not_found");
        ApiClient.Answer reset = api.send("DELETE", "/two-factor/users/tf-lost-phone", admin.token(), null, Map.of());
        assertThat(reset.status()).as(reset.toString()).isEqualTo(204);
        assertThat(api.send("GET", "/design", user.token(), null, Map.of()).status()).as("the user's sessions end").isEqualTo(401);
        assertThat(auditEvents("two_factor_reset", "tf-lost-phone")).isEqualTo(1);
        String actor = TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT e.actor FROM audit_event e JOIN app_user u ON e.subject = 'user:' || u.id
                WHERE e.action = 'two_factor_reset' AND u.username = 'tf-lost-phone'""").mapTo(String.class).one());
        assertThat(actor).isEqualTo("tf-admin");
        ApiClient.Answer again = api.send("DELETE", "/two-factor/users/tf-lost-phone", admin.token(), null, Map.of());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.code()).isEqualTo("two_factor_not_enrolled");

        ApiClient.Answer login = login("tf-lost-phone");
        assertThat(login.body().get("pendingStep").asText()).as("a required role enrols again").isEqualTo("enrolment");
        at(TotpCodes.stepAt(START) + 701);
        Enrolled anew = enrol("tf-lost-phone");
        assertThat(anew.secret()).isNotEqualTo(user.secret());
        assertThat(code(passwordStep("tf-lost-phone"), user.recoveryCodes().get(0)).status())
                .as("the old recovery codes went with the reset").isEqualTo(401);
    }

    @Test
    void aPendingSignInReachesItsOwnStepAndNothingElse() {
        createUser("tf-pending", Role.statistician);
        at(TotpCodes.stepAt(START) + 800);
        String enrolling = login("tf-pending").body().get("token").asText();
        Set<String> enrolment = Set.of("POST /session", "GET /openapi.{type:json|yaml}", "POST /session/code", "GET /two-factor",
                "POST /two-factor/enrolment", "POST /two-factor/enrolment/confirmation", "DELETE /session");
        checkOnlyReached(enrolling, enrolment, "two_factor_enrolment_required");

        Enrolled user = enrol("tf-pending");
        at(TotpCodes.stepAt(START) + 801);
        checkOnlyReached(passwordStep("tf-pending"), Set.of("POST /session", "GET /openapi.{type:json|yaml}", "POST /session/code",
                "DELETE /session"), "second_factor_required");
        assertThat(user.secret()).hasSize(20);
    }

    /**
     * Every endpoint of the service with this token: only {@code reached} answer other than 401
     * {@code refusal}. Logging out comes last: it ends the session the others are called with.
     */
    static void checkOnlyReached(String token, Set<String> reached, String refusal) {
        Map<String, String> wrong = new java.util.TreeMap<>();
        List<String> endpoints = new ArrayList<>(RoleMatrixIT.endpointsOf(APP));
        endpoints.sort(java.util.Comparator.comparing(e -> e.equals("DELETE /session")));
        for (String endpoint : endpoints) {
            ApiClient.Answer answer = RoleMatrixIT.call(api, endpoint, token);
            if (reached.contains(endpoint) && (answer.status() == 401 || answer.status() == 403 || answer.status() >= 500)) {
                wrong.put(endpoint, "refused or failed: " + answer);
            }
            if (!reached.contains(endpoint) && !(answer.status() == 401 && answer.code().equals(refusal))) {
                wrong.put(endpoint, "expected 401 " + refusal + ": " + answer);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aRequiredRoleSignedInWithAOneTimeCodeEnrolsFirstThenChoosesAPassword() {
        createUser("tf-admin-2", Role.admin);
        createUser("tf-new-custodian", Role.custodian);
        at(TotpCodes.stepAt(START) + 900);
        Enrolled admin = enrol("tf-admin-2");
        ApiClient.Answer reset = api.send("POST", "/users/tf-new-custodian/password-reset", admin.token(), null, Map.of());
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        String oneTimeCode = reset.body().get("oneTimeCode").asText();
        ApiClient.Answer login = api.send("POST", "/session", null, Map.of("username", "tf-new-custodian", "password", oneTimeCode), Map.of());
        assertThat(login.body().get("pendingStep").asText()).isEqualTo("enrolment");
        String token = login.body().get("token").asText();
        assertThat(api.send("POST", "/session/password", token, Map.of("currentPassword", oneTimeCode, "newPassword", "a brand new password"),
                Map.of()).code()).as("the enrolment comes first").isEqualTo("two_factor_enrolment_required");

        ApiClient.Answer started = api.send("POST", "/two-factor/enrolment", token, null, Map.of());
        byte[] secret = TotpCodes.fromBase32(started.body().get("secret").asText());
        assertThat(api.send("POST", "/two-factor/enrolment/confirmation", token, Map.of("code", CODES.codeOf(secret, now())), Map.of())
                .status()).isEqualTo(200);
        ApiClient.Answer gated = api.send("GET", "/exports/participants.csv", token, null, Map.of());
        assertThat(gated.status()).isEqualTo(403);
        assertThat(gated.code()).isEqualTo("password_change_required");
        assertThat(api.send("GET", "/two-factor", token, null, Map.of()).code()).isEqualTo("password_change_required");
        ApiClient.Answer changed = api.send("POST", "/session/password", token,
                Map.of("currentPassword", oneTimeCode, "newPassword", "a brand new password"), Map.of());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(api.send("GET", "/exports/participants.csv", token, null, Map.of()).status()).isEqualTo(200);
    }

    /** Six digits that are the code of no step within two of now. */
    static String wrongCode(byte[] secret) {
        java.util.Set<String> near = new java.util.HashSet<>();
        for (int offset = -2; offset <= 2; offset++) {
            near.add(CODES.codeOf(secret, now() + offset));
        }
        for (int candidate = 123456; ; candidate = (candidate + 111111) % 1_000_000) {
            String code = String.format("%06d", candidate);
            if (!near.contains(code)) {
                return code;
            }
        }
    }
}
