package org.ipstrial.api.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.db.ConfirmationOutbox;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The e-mail in the open mode ({@code blindToArm: false}: the trial office may know the arm), sent
 * with SMTP authentication, the password read from a file outside the configuration, to a real SMTP
 * server (GreenMail on loopback) that knows the service's login. ConfirmationIT is the blind mode.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConfirmationOpenModeIT {
    static final String LOGIN = "trial-service";
    static final String PASSWORD = "open-mode-test-password";
    static final Path FOLDER = TestService.newFolder("confirmation-open");
    static final Path PASSWORD_FILE = passwordFile(FOLDER.resolve("smtp-password"));
    static final GreenMail SMTP = ConfirmationCheck.smtpServer(0);
    static final GreenMailUser SERVICE = SMTP.setUser("trial-service@example.org", LOGIN, PASSWORD);
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(FOLDER,
            ConfigOverride.config("confirmationMail.smtpHost", "127.0.0.1"),
            ConfigOverride.config("confirmationMail.smtpPort", String.valueOf(SMTP.getSmtp().getPort())),
            ConfigOverride.config("confirmationMail.from", "trial-service@example.org"),
            ConfigOverride.config("confirmationMail.blindToArm", "false"),
            // GreenMail offers no STARTTLS; a password may go in clear only to this host (ConfirmationMailSettingsTest).
            ConfigOverride.config("confirmationMail.startTls", "off"),
            ConfigOverride.config("confirmationMail.username", LOGIN),
            ConfigOverride.config("confirmationMail.passwordFile", PASSWORD_FILE.toString()),
            ConfigOverride.config("confirmationMail.pollInterval", "1 hour"),
            ConfigOverride.config("confirmationMail.retryAfter", "0 seconds"));
    static ApiClient api;
    Random random;

    static Path passwordFile(Path file) {
        try {
            return Files.writeString(file, PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
        SERVICE.setPassword(PASSWORD);
    }

    void drain() throws Exception {
        ((TrialApplication) APP.getApplication()).confirmationSender().orElseThrow().drainNow();
    }

    long metric(String name) {
        return APP.getEnvironment().metrics().counter(name).getCount();
    }

    String randomised(Map<String, Object> person) {
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", person, random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "open-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        return pid;
    }

    MimeMessage[] mailFor(String pid) {
        String shown = pid.substring(0, 4) + "-" + pid.substring(4);
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(shown);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
    }

    @Test
    void theOpenModeEmailSaysTheArmAndTheNextStepAndStillNoIdentifier() throws Exception {
        Map<String, Object> person = Recruits.identity(random);
        long sentBefore = metric("confirmations.mail.sent");
        String pid = randomised(person);
        drain();
        MimeMessage[] mails = mailFor(pid);
        assertThat(mails).hasSize(1);
        var allocation = api.get("spec-a", "/recruits/" + pid).body().path("allocation");
        String words = allocation.path("armLabel").asText();
        assertThat(words).isIn("IPS employment support", "usual support");
        String subject = mails[0].getSubject();
        String body = GreenMailUtil.getBody(mails[0]);
        String raw = GreenMailUtil.getWholeMessage(mails[0]);
        assertThat(body).contains(ConfirmationCheck.TRIAL, pid.substring(0, 4) + "-" + pid.substring(4), "Site A (city region A)",
                "Randomised by: spec-a", "Allocation: " + words, "Next step: " + allocation.path("nextStep").asText().substring(0, 20))
                .doesNotContain("stays blind");
        // The arm in the trial's words, never its code; and only in the body, never in the subject a mail list shows.
        assertThat(subject).doesNotContainIgnoringCase(words);
        for (String everything : new String[] {subject, body, raw}) {
            assertThat(everything).doesNotContainIgnoringCase("treatment").doesNotContainIgnoringCase("control");
            ConfirmationCheck.hasNoIdentifier(assertThat(everything), person);
            assertThat(everything).doesNotContain(PASSWORD);
        }
        assertThat(metric("confirmations.mail.sent")).isEqualTo(sentBefore + 1);
    }

    @Test
    void aPasswordTheServerNoLongerAcceptsLeavesTheEmailQueuedCountedAndSentOnceItIsAcceptedAgain() throws Exception {
        SERVICE.setPassword("changed-at-the-server");
        long failedBefore = metric("confirmations.mail.failed");
        String pid = randomised(Recruits.identity(random));
        drain();
        assertThat(mailFor(pid)).isEmpty();
        assertThat(metric("confirmations.mail.failed")).isGreaterThan(failedBefore);
        String failure = TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT m.last_failure FROM confirmation_mail m JOIN allocation a ON a.id = m.allocation_id
                JOIN recruit r ON r.person_key = a.person_key WHERE r.participant_id = :pid AND m.sent_at IS NULL""")
                .bind("pid", pid).mapTo(String.class).one());
        assertThat(failure).isEqualTo("AuthenticationFailedException");

        SERVICE.setPassword(PASSWORD);
        drain();
        assertThat(mailFor(pid)).hasSize(1);
        assertThat(TestService.jdbi(APP).withHandle(ConfirmationOutbox::unsent)).isZero();
    }
}
