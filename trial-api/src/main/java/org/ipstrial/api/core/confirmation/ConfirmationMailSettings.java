package org.ipstrial.api.core.confirmation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The confirmation e-mail to the trial office (config/trial-api.yml, docs/confirmations.md). Off
 * unless {@code smtpHost} is set; then {@code from} and at least one {@code to} are required.
 * The SMTP password is never a setting: only the name of the file or environment variable it is in.
 */
public class ConfirmationMailSettings {
    /** STARTTLS on the SMTP connection: never, when the server offers it, or always (no delivery without it). */
    public enum StartTls { off, optional, required }

    @JsonProperty
    private String smtpHost;

    @Min(1) @Max(65535) @JsonProperty
    private int smtpPort = 25;

    /** Required by default: a server that does not offer STARTTLS gets nothing, rather than the text in clear. */
    @NotNull @JsonProperty
    private StartTls startTls = StartTls.required;

    /** The SMTP login, when the server wants one (then exactly one of passwordFile and passwordVariable). */
    @JsonProperty
    private String username;

    /** A file outside the repository holding the SMTP password (one line; a final line break is ignored). */
    @JsonProperty
    private String passwordFile;

    /** Or the name of the environment variable holding the SMTP password. */
    @JsonProperty
    private String passwordVariable;

    @JsonProperty
    private String from;

    @NotNull @JsonProperty
    private List<String> to = List.of();

    /** True: the e-mail never says the arm (a trial office that must stay blind to allocations). */
    @JsonProperty
    private boolean blindToArm = true;

    /** How often the sender looks for confirmations still to send (it is also woken after each randomisation). */
    @NotNull @JsonProperty
    private Duration pollInterval = Duration.minutes(1);

    /** How long after a failed attempt the next one is made. */
    @NotNull @JsonProperty
    private Duration retryAfter = Duration.minutes(5);

    /** Connect, read and write time-outs of the SMTP connection. */
    @NotNull @JsonProperty
    private Duration timeout = Duration.seconds(20);

    public boolean isEnabled() {
        return smtpHost != null && !smtpHost.isBlank();
    }

    @AssertTrue(message = "needs from and at least one to address when smtpHost is set")
    public boolean isComplete() {
        return !isEnabled() || (from != null && !from.isBlank() && !to.isEmpty() && to.stream().noneMatch(t -> t == null || t.isBlank()));
    }

    @AssertTrue(message = "a username needs exactly one of passwordFile and passwordVariable, and either needs a username")
    public boolean isPasswordSourceClear() {
        boolean file = present(passwordFile);
        boolean variable = present(passwordVariable);
        return present(username) ? file != variable : !file && !variable;
    }

    /** A password crosses the network only inside TLS: sending it in clear is allowed to this host itself alone. */
    @AssertTrue(message = "a username and password are sent only with startTls: required (or to a server on this host)")
    public boolean isPasswordProtected() {
        return !isEnabled() || !present(username) || startTls == StartTls.required || loopback(smtpHost);
    }

    public String getSmtpHost() {
        return smtpHost;
    }

    public int getSmtpPort() {
        return smtpPort;
    }

    public StartTls getStartTls() {
        return startTls;
    }

    public Optional<String> getUsername() {
        return present(username) ? Optional.of(username) : Optional.empty();
    }

    /**
     * The SMTP password, read now from its file or environment variable ({@code environment} is
     * {@code System::getenv} outside tests). Empty without a username. A missing or empty source
     * stops the service at start, naming the file or variable, never a value.
     */
    public Optional<String> password(Function<String, String> environment) {
        if (!present(username)) {
            return Optional.empty();
        }
        String password;
        String source;
        if (present(passwordFile)) {
            source = "confirmationMail.passwordFile " + passwordFile;
            try {
                password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + source, e);
            }
            password = password.replaceFirst("\\R\\z", "");
        } else {
            source = "confirmationMail.passwordVariable " + passwordVariable;
            password = environment.apply(passwordVariable);
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(source + " holds no password");
        }
        return Optional.of(password);
    }

    public String getFrom() {
        return from;
    }

    public List<String> getTo() {
        return List.copyOf(to);
    }

    public boolean isBlindToArm() {
        return blindToArm;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public Duration getTimeout() {
        return timeout;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** Loopback by name or literal address, without a look-up (validation must not wait on DNS). */
    static boolean loopback(String host) {
        return host != null && (host.equalsIgnoreCase("localhost") || host.equals("::1") || host.equals("[::1]")
                || host.matches("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}"));
    }
}
