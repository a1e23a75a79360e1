package org.ipstrial.api.confirmation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipstrial.api.core.confirmation.ConfirmationMailSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The e-mail's settings as the YAML gives them: where the SMTP password may come from, and when it may be sent. */
class ConfirmationMailSettingsTest {
    @TempDir
    Path folder;

    static ConfirmationMailSettings settings(Map<String, Object> given) {
        Map<String, Object> all = new HashMap<>(Map.of("smtpHost", "smtp.example.org", "smtpPort", 587,
                "from", "trial-service@example.org", "to", java.util.List.of("trial-office@example.org")));
        all.putAll(given);
        return Jackson.newObjectMapper().convertValue(all, ConfirmationMailSettings.class);
    }

    static Set<String> violations(ConfirmationMailSettings settings) {
        return Validators.newValidator().validate(settings).stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
    }

    @Test
    void offWithoutAHostAndThenNothingElseIsAsked() {
        ConfirmationMailSettings off = Jackson.newObjectMapper().convertValue(Map.of(), ConfirmationMailSettings.class);
        assertThat(off.isEnabled()).isFalse();
        assertThat(violations(off)).isEmpty();
    }

    @Test
    void startTlsIsRequiredUnlessSaidOtherwise() {
        assertThat(settings(Map.of()).getStartTls()).isEqualTo(ConfirmationMailSettings.StartTls.required);
        assertThat(settings(Map.of("startTls", "optional")).getStartTls()).isEqualTo(ConfirmationMailSettings.StartTls.optional);
        assertThat(violations(settings(Map.of()))).isEmpty();
    }

    @Test
    void aUsernameNeedsExactlyOnePasswordSourceAndAPasswordSourceNeedsAUsername() {
        String rule = "a username needs exactly one of passwordFile and passwordVariable, and either needs a username";
        assertThat(violations(settings(Map.of("username", "trial-service")))).containsExactly(rule);
        assertThat(violations(settings(Map.of("username", "trial-service", "passwordFile", "/run/secrets/smtp",
                "passwordVariable", "TRIAL_SMTP_PASSWORD")))).containsExactly(rule);
        assertThat(violations(settings(Map.of("passwordVariable", "TRIAL_SMTP_PASSWORD")))).containsExactly(rule);
        assertThat(violations(settings(Map.of("username", "trial-service", "passwordFile", "/run/secrets/smtp")))).isEmpty();
        assertThat(violations(settings(Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD")))).isEmpty();
    }

    @Test
    void aPasswordIsNeverSentInClearToAnotherHost() {
        String rule = "a username and password are sent only with startTls: required (or to a server on this host)";
        Map<String, Object> login = Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD");
        for (String weak : new String[] {"off", "optional"}) {
            Map<String, Object> given = new HashMap<>(login);
            given.put("startTls", weak);
            assertThat(violations(settings(given))).as(weak).containsExactly(rule);
            for (String here : new String[] {"127.0.0.1", "localhost", "::1", "127.1.2.3"}) {
                given.put("smtpHost", here);
                assertThat(violations(settings(given))).as(weak + " to " + here).isEmpty();
            }
            // Only a literal loopback: a name that merely starts like one is another host.
            given.put("smtpHost", "127.0.0.1.example.org");
            assertThat(violations(settings(given))).containsExactly(rule);
        }
        // Without a login there is no password to protect: a relay that offers no TLS may be used.
        assertThat(violations(settings(Map.of("startTls", "off")))).isEmpty();
    }

    @Test
    void thePasswordIsReadFromItsFileWithoutTheFinalLineBreak() throws Exception {
        Path file = folder.resolve("smtp-password");
        Files.writeString(file, "s3cret with spaces \n");
        var settings = settings(Map.of("username", "trial-service", "passwordFile", file.toString()));
        assertThat(settings.password(name -> { throw new AssertionError("no variable is read: " + name); }))
                .contains("s3cret with spaces ");
    }

    @Test
    void thePasswordIsReadFromItsEnvironmentVariable() {
        var settings = settings(Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD"));
        assertThat(settings.password(Map.of("TRIAL_SMTP_PASSWORD", "from-the-environment")::get)).contains("from-the-environment");
        assertThat(settings(Map.of()).password(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void aMissingOrEmptyPasswordStopsTheStartNamingTheSourceNeverAValue() throws Exception {
        var variable = settings(Map.of("username", "trial-service", "passwordVariable", "TRIAL_SMTP_PASSWORD"));
        assertThatThrownBy(() -> variable.password(Map.<String, String>of()::get))
                .hasMessage("confirmationMail.passwordVariable TRIAL_SMTP_PASSWORD holds no password");
        Path missing = folder.resolve("not-there");
        var file = settings(Map.of("username", "trial-service", "passwordFile", missing.toString()));
        assertThatThrownBy(() -> file.password(Map.<String, String>of()::get)).hasMessageContaining(missing.toString());
        Path empty = Files.writeString(folder.resolve("empty"), "\n");
        var emptyFile = settings(Map.of("username", "trial-service", "passwordFile", empty.toString()));
        assertThatThrownBy(() -> emptyFile.password(Map.<String, String>of()::get)).hasMessageEndingWith("holds no password");
    }
}
