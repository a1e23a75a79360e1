package org.ipstrial.api.auth;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * The person behind a request: who, in which role, (for specialists) which site, and whether they
 * must choose a new password before anything else ({@link PasswordChangeGate}).
 */
public record TrialUser(long id, String username, Role role, Optional<String> site, boolean passwordChangeRequired)
        implements Principal {
    public TrialUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(site, "site");
    }

    /** A user with a password of their own. */
    public TrialUser(long id, String username, Role role, Optional<String> site) {
        this(id, username, role, site, false);
    }

    @Override
    public String getName() {
        return username;
    }

    /** Specialists act only on their own site; every other role is not bound to one. */
    public boolean maySeeSite(String siteCode) {
        return role != Role.specialist || site.map(siteCode::equals).orElse(false);
    }
}
