package org.ipstrial.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Sessions, lock-out and the demo users. */
public class SecuritySettings {
    @NotNull @JsonProperty
    private Duration sessionLifetime = Duration.hours(8);

    /** Failed logins in a row that lock an account. */
    @Min(1) @JsonProperty
    private int maxFailedLogins = 5;

    @NotNull @JsonProperty
    private Duration lockout = Duration.minutes(15);

    /** How long the one-time code an admin gets for a new user or a password reset works (docs/security.md). */
    @NotNull @JsonProperty
    private Duration oneTimeCodeLifetime = Duration.hours(24);

    /** BCrypt cost: 2^cost rounds. 12 is about a quarter of a second here; tests use less. */
    @Min(4) @Max(31) @JsonProperty
    private int passwordHashCost = 12;

    /**
     * The session cookie's Secure flag (browsers then send it over HTTPS only). auto: on, unless the
     * browser addressed the service by a loopback name or address (localhost, 127.0.0.1, ::1: the
     * demo and the tests, over plain HTTP on the same machine); always: on (behind a TLS proxy
     * that forwards to a loopback address without the original Host); never: off.
     */
    @NotNull @JsonProperty
    private SecureCookie secureCookie = SecureCookie.auto;

    public enum SecureCookie { auto, always, never }

    /** Create one demo user per role at first start (password from TRIAL_DEMO_PASSWORD or printed once). */
    @JsonProperty
    private boolean createDemoUsers = false;

    /**
     * How often the audit sealer folds the chains' heads into a checkpoint. Events committed since
     * the last checkpoint are covered by their own chains only: removing the newest events of a
     * chain is detected once they are sealed.
     */
    @NotNull @JsonProperty
    private Duration auditSealInterval = Duration.seconds(1);

    /**
     * The roles whose users must sign in with a second factor (TOTP): a user of one of them who
     * has none can only enrol after the password. Others may enrol if they wish.
     */
    @NotNull @JsonProperty
    private java.util.Set<org.ipstrial.api.auth.Role> twoFactorRequiredFor = java.util.EnumSet.of(
            org.ipstrial.api.auth.Role.custodian, org.ipstrial.api.auth.Role.statistician, org.ipstrial.api.auth.Role.admin);

    /** The file of the AES key that encrypts the two-factor secrets (64 hex digits), outside the repository; empty: none. */
    @JsonProperty
    private String twoFactorKeyFile;

    /** Demo and tests only: write a new two-factor key when the file does not exist. */
    @JsonProperty
    private boolean generateTwoFactorKeyIfMissing = false;

    public java.util.Set<org.ipstrial.api.auth.Role> getTwoFactorRequiredFor() {
        return twoFactorRequiredFor;
    }

    public java.util.Optional<String> getTwoFactorKeyFile() {
        return twoFactorKeyFile == null || twoFactorKeyFile.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(twoFactorKeyFile);
    }

    public boolean isGenerateTwoFactorKeyIfMissing() {
        return generateTwoFactorKeyIfMissing;
    }

    public Duration getAuditSealInterval() {
        return auditSealInterval;
    }

    public Duration getSessionLifetime() {
        return sessionLifetime;
    }

    public int getMaxFailedLogins() {
        return maxFailedLogins;
    }

    public Duration getLockout() {
        return lockout;
    }

    public Duration getOneTimeCodeLifetime() {
        return oneTimeCodeLifetime;
    }

    public int getPasswordHashCost() {
        return passwordHashCost;
    }

    public SecureCookie getSecureCookie() {
        return secureCookie;
    }

    public boolean isCreateDemoUsers() {
        return createDemoUsers;
    }
}
