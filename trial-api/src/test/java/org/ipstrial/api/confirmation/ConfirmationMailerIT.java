package org.ipstrial.api.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.util.HashMap;
import java.util.Map;
import org.ipstrial.api.core.confirmation.ConfirmationMailSettings;
import org.ipstrial.api.core.confirmation.ConfirmationMailer;
import org.ipstrial.api.core.confirmation.ConfirmationMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mailer against a real SMTP server (GreenMail on loopback, a free port): it logs in with the
 * configured username and password, a wrong password delivers nothing, and with STARTTLS required a
 * server that does not offer it gets nothing (GreenMail offers no STARTTLS, so that is what it shows).
 */
class ConfirmationMailerIT {
    static final ConfirmationMessage NOTE = new ConfirmationMessage("IPS demo trial: participant 1234-5678 randomised", "A note.\n");
    GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = ConfirmationCheck.smtpServer(0);
        smtp.setUser("trial-service@example.org", "trial-service", "right-password");
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    ConfirmationMailSettings settings(Map<String, Object> more) {
        Map<String, Object> given = new HashMap<>(Map.of("smtpHost", "127.0.0.1", "smtpPort", smtp.getSmtp().getPort(), "startTls", "off",
                "from", "trial-service@example.org", "to", java.util.List.of("trial-office@example.org"), "timeout", "5 seconds"));
        given.putAll(more);
        return ConfirmationMailSettingsTest.settings(given);
    }

    static ConfirmationMailer mailer(ConfirmationMailSettings settings, String password) {
        return new ConfirmationMailer(settings, Map.of("TRIAL_SMTP_PASSWORD", password)::get);
    }

    @Test
    void withTheRightPasswordTheNoteIsDelivered() throws Exception {
        var login = settings(Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD"));
        mailer(login, "right-password").send(NOTE);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo(NOTE.subject());
    }

    @Test
    void withAWrongPasswordTheServerRefusesAndNothingIsDelivered() {
        var login = settings(Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD"));
        assertThatThrownBy(() -> mailer(login, "wrong-password").send(NOTE)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void withStartTlsRequiredAServerWithoutItGetsNothing() {
        var required = settings(Map.of("startTls", "required", "username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD"));
        assertThatThrownBy(() -> mailer(required, "right-password").send(NOTE)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void withStartTlsOptionalAServerWithoutItStillGetsTheNote() throws Exception {
        mailer(settings(Map.of("startTls", "optional")), "unused").send(NOTE);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }
}
