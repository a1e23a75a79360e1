package org.ipstrial.api.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
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
 * The allocation confirmation: the PDF read back with PDFBox, and the e-mail to a trial office that
 * stays blind to the arm, delivered to a real SMTP server (GreenMail) on loopback; the e-mail sent
 * after the commit, a mail server that is down neither failing nor undoing a randomisation.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConfirmationIT {
    static GreenMail smtp = ConfirmationCheck.smtpServer(0);
    static final int SMTP_PORT = smtp.getSmtp().getPort();
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("confirmation"),
            ConfigOverride.config("confirmationMail.smtpHost", "127.0.0.1"),
            ConfigOverride.config("confirmationMail.smtpPort", String.valueOf(SMTP_PORT)),
            ConfigOverride.config("confirmationMail.from", "trial-service@example.org"),
            ConfigOverride.config("confirmationMail.blindToArm", "true"),
            // GreenMail offers no STARTTLS; on loopback the service may send without it (ConfirmationMailerIT: required refuses).
            ConfigOverride.config("confirmationMail.startTls", "off"),
            // Only the randomisations' wakes and the test's own drains: nothing runs at a time the test did not choose.
            ConfigOverride.config("confirmationMail.pollInterval", "1 hour"),
            ConfigOverride.config("confirmationMail.retryAfter", "0 seconds"));
    static ApiClient api;
    Random random;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    String base() {
        return "http://127.0.0.1:" + APP.getLocalPort() + "/api/v1";
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
                Map.of("Idempotency-Key", "confirm-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        return pid;
    }

    MimeMessage[] mailFor(String pid) {
        String shown = pid.substring(0, 4) + "-" + pid.substring(4);
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(shown);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
    }

    @Test
    void thePdfSaysTheTrialParticipantTimeAllocationAndWhoRandomisedAndNoIdentifier() throws Exception {
        Map<String, Object> person = Recruits.identity(random);
        String pid = randomised(person);
        var view = api.get("spec-a", "/recruits/" + pid).body().path("allocation");
        String words = view.path("armLabel").asText();
        assertThat(words).isIn("IPS employment support", "usual support");

        var pdf = ConfirmationCheck.download(base(), api.token("spec-a"), "/recruits/" + pid + "/allocation/confirmation.pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.contentType()).startsWith("application/pdf");
        assertThat(pdf.disposition()).startsWith("attachment;").contains("allocation-confirmation-" + pid + ".pdf");
        assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        String text = ConfirmationCheck.pdfText(pdf.body());
        String when = java.time.format.DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss", java.util.Locale.UK)
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(view.path("allocatedAt").asText()));
        assertThat(text).contains(ConfirmationCheck.TRIAL, "Allocation confirmation", pid.substring(0, 4) + "-" + pid.substring(4),
                "Site A (city region A)", when + " UTC", "Randomised by", "spec-a", "Allocation", words,
                view.path("nextStep").asText().substring(0, 20));
        ConfirmationCheck.hasNoIdentifier(assertThat(text), person);

        // A manager reads the recruit's allocation today, so prints it too: the same text (only the file's random /ID differs).
        var managers = ConfirmationCheck.download(base(), api.token("manager"), "/recruits/" + pid + "/allocation/confirmation.pdf");
        assertThat(managers.status()).isEqualTo(200);
        assertThat(ConfirmationCheck.pdfText(managers.body())).isEqualTo(text);
    }

    @Test
    void aSpecialistOfAnotherSiteGets404AndSoDoesAnyoneBeforeRandomisation() throws Exception {
        String pid = randomised(Recruits.identity(random));
        var otherSite = ConfirmationCheck.download(base(), api.token("spec-b"), "/recruits/" + pid + "/allocation/confirmation.pdf");
        assertThat(otherSite.status()).isEqualTo(404);
        assertThat(new String(otherSite.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("recruit_not_found").doesNotContain("%PDF");

        String notYet = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
        var early = api.get("spec-a", "/recruits/" + notYet + "/allocation/confirmation.pdf");
        assertThat(early.status()).isEqualTo(404);
        assertThat(early.code()).isEqualTo("not_randomised");
        var nobody = api.get("spec-a", "/recruits/not-an-id/allocation/confirmation.pdf");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.code()).isEqualTo("recruit_not_found");
    }

    @Test
    void theTrialOfficeGetsOneEmailWithoutTheArmOrAnyIdentifier() throws Exception {
        Map<String, Object> person = Recruits.identity(random);
        // Whatever earlier tests left waiting goes first; a retry that falls due meanwhile is counted on both sides below.
        drain();
        long sentBefore = metric("confirmations.mail.sent");
        int receivedBefore = smtp.getReceivedMessages().length;
        String pid = randomised(person);
        drain();
        MimeMessage[] mails = mailFor(pid);
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails[0];
        assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly("trial-office@example.org");
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("trial-service@example.org");
        String subject = mail.getSubject();
        String body = GreenMailUtil.getBody(mail);
        String raw = GreenMailUtil.getWholeMessage(mail);
        assertThat(body).contains(ConfirmationCheck.TRIAL, pid.substring(0, 4) + "-" + pid.substring(4), "Site A (city region A)",
                "Randomised by: spec-a", "stays blind");
        for (String everything : new String[] {subject, body, raw}) {
            for (String arm : ConfirmationCheck.ARM_WORDS) {
                assertThat(everything).doesNotContainIgnoringCase(arm);
            }
            ConfirmationCheck.hasNoIdentifier(assertThat(everything), person);
        }
        // The next step says which arm it is: left out too.
        String nextStep = api.get("spec-a", "/recruits/" + pid).body().path("allocation").path("nextStep").asText();
        assertThat(raw).doesNotContain(nextStep.substring(0, 20));
        assertThat(metric("confirmations.mail.sent") - sentBefore).as("every e-mail the server received is counted as sent")
                .isEqualTo(smtp.getReceivedMessages().length - receivedBefore).isPositive();

        // A retry of the randomisation (same key) answers the same allocation and sends nothing more.
        var again = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "confirm-" + pid));
        assertThat(again.status()).isEqualTo(200);
        drain();
        assertThat(mailFor(pid)).hasSize(1);
    }

    @Test
    void aMailServerThatIsDownNeitherFailsNorUndoesTheRandomisationAndTheEmailGoesOnceItIsBack() throws Exception {
        smtp.stop();
        long failedBefore = metric("confirmations.mail.failed");
        String pid;
        try {
            pid = randomised(Recruits.identity(random));
            drain();
            assertThat(api.get("spec-a", "/recruits/" + pid).body().path("allocation").path("arm").asText()).isIn("treatment", "control");
            assertThat(metric("confirmations.mail.failed")).isGreaterThan(failedBefore);
            long unsent = TestService.jdbi(APP).withHandle(org.ipstrial.api.db.ConfirmationOutbox::unsent);
            assertThat(unsent).isGreaterThanOrEqualTo(1);
        } finally {
            smtp = ConfirmationCheck.smtpServer(SMTP_PORT);
        }
        drain();
        assertThat(mailFor(pid)).hasSize(1);
        assertThat(TestService.jdbi(APP).withHandle(org.ipstrial.api.db.ConfirmationOutbox::unsent)).isZero();
        Integer attempts = TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT m.attempts FROM confirmation_mail m JOIN allocation a ON a.id = m.allocation_id
                JOIN recruit r ON r.person_key = a.person_key WHERE r.participant_id = :pid""").bind("pid", pid).mapTo(Integer.class).one());
        assertThat(attempts).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRecruitErasedBeforeTheEmailWentIsNeverMailedAndNoLongerWaits() throws Exception {
        smtp.stop();
        String pid;
        try {
            pid = randomised(Recruits.identity(random));
            drain();
            assertThat(mailFor(pid)).isEmpty();
        } finally {
            smtp = ConfirmationCheck.smtpServer(SMTP_PORT);
        }
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString();
        var erased = api.post("manager", "/recruits/" + pid + "/erasure",
                Map.of("requestedOn", today, "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(204);
        drain();
        assertThat(mailFor(pid)).isEmpty();
        // The recruit's row is gone, so the confirmation is found by what is left: the allocation it belonged to.
        var left = TestService.jdbi(APP).withHandle(h -> h.createQuery("""
                SELECT m.last_failure FROM confirmation_mail m LEFT JOIN allocation a ON a.id = m.allocation_id
                LEFT JOIN recruit r ON r.person_key = a.person_key WHERE r.id IS NULL AND m.sent_at IS NULL""")
                .mapTo(String.class).list());
        assertThat(left).isNotEmpty().containsOnly("recruit erased");
        assertThat(TestService.jdbi(APP).withHandle(org.ipstrial.api.db.ConfirmationOutbox::unsent)).isZero();
        var pdf = api.get("manager", "/recruits/" + pid + "/allocation/confirmation.pdf");
        assertThat(pdf.status()).isEqualTo(404);
    }
}
