package org.ipstrial.api.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.ipstrial.api.auth.Role;

/** A user as the admin sees it (never the password hash, never a one-time code). */
public record UserAccount(
        String username,
        Role role,
        @Schema(description = "The user's site; required for a specialist, optional for a manager") String site,
        boolean disabled,
        @Schema(description = "Locked after too many failed logins, until lockedUntil or an admin unlocks it") boolean locked,
        @Schema(description = "While locked: when the lock-out ends by itself") Instant lockedUntil,
        @Schema(description = "Signs in with a one-time code and must choose a password before anything else") boolean passwordChangeRequired,
        @Schema(description = "While a one-time code is outstanding: when it stops working") Instant oneTimeCodeExpiresAt,
        @Schema(description = "When the user last signed in (absent: never, or before release 0.7.0)") Instant lastLoginAt) {}
