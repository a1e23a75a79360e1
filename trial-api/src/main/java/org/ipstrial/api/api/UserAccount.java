package org.ipstrial.api.api;

import org.ipstrial.api.auth.Role;

/** A user as the admin sees it (never the password hash). */
public record UserAccount(String username, Role role, String site, boolean disabled, boolean locked) {}
