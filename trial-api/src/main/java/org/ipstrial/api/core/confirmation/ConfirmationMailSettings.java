package org.ipstrial.api.core.confirmation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The confirmation e-mail to the trial office (config/trial-api.yml, docs/confirmations.md). Off
 * unless {@code smtpHost} is set; then {@code from} and at least one {@code to} are required.
 */
public class ConfirmationMailSettings {
    @JsonProperty
    private String smtpHost;

    @Min(1) @Max(65535) @JsonProperty
    private int smtpPort = 25;

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

    public String getSmtpHost() {
        return smtpHost;
    }

    public int getSmtpPort() {
        return smtpPort;
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
}
