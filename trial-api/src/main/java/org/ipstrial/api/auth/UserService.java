package org.ipstrial.api.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.api.UserAccount;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.LoginRefused;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.api.db.SessionDao;
import org.ipstrial.api.db.UserDao;
import org.ipstrial.api.db.UserDao.UserRow;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Logins, sessions, lock-out, the admin's user management and each user's own password change. */
public final class UserService {
    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final int maxFailedLogins;
    private final Duration lockout;
    private final SecureRandom random = new SecureRandom();
    private java.util.Set<String> siteCodes = java.util.Set.of();
    private Duration oneTimeCodeLifetime = Duration.ofHours(24);
    private java.util.Set<Role> twoFactorRequiredFor = java.util.Set.of();

    /** What a username may be (the OpenAPI document says the same). */
    public static final String USERNAME_PATTERN = "[a-z][a-z0-9._-]{2,39}";

    public UserService(Jdbi jdbi, PasswordHasher hasher, Clock clock, Duration sessionLifetime, int maxFailedLogins, Duration lockout) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
        this.maxFailedLogins = maxFailedLogins;
        this.lockout = lockout;
    }

    /** How long a session lasts from its start (the cookie's max-age: the service's clock is not the browser's). */
    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    /** The trial's site codes: a user's site must be one of them. */
    public UserService withSites(java.util.Set<String> codes) {
        this.siteCodes = java.util.Set.copyOf(codes);
        return this;
    }

    /** How long a one-time code (a new user's, or after a reset) works. */
    public UserService withOneTimeCodeLifetime(Duration lifetime) {
        this.oneTimeCodeLifetime = lifetime;
        return this;
    }

    /** The roles whose users sign in with a second factor (docs/security.md#two-factor-sign-in). */
    public UserService withTwoFactorRequiredFor(java.util.Set<Role> roles) {
        this.twoFactorRequiredFor = java.util.Set.copyOf(roles);
        return this;
    }

    /**
     * A new session for a correct password; counts failures and locks the account after too many.
     * While {@code pending} names a step, the session serves only that step (the second factor's
     * code, or the enrolment a role requires) and nothing else.
     */
    public record NewSession(String token, Instant expiresAt, TrialUser user, Optional<PendingStep> pending) {
        @Override
        public String toString() {
            return "NewSession[" + user.username() + "]";
        }
    }

    public NewSession login(String username, String password) {
        if (username == null || password == null) {
            throw new LoginRefused("login_failed", "The username or password is wrong.");
        }
        Instant now = clock.instant();
        Optional<UserRow> found = jdbi.withExtension(UserDao.class, dao -> dao.byUsername(username));
        if (found.isEmpty()) {
            hasher.spendEqualTime(password);
            throw new LoginRefused("login_failed", "The username or password is wrong.");
        }
        UserRow user = found.get();
        if (user.lockedUntil() != null && user.lockedUntil().isAfter(now)) {
            throw new LoginRefused("account_locked", "Too many failed attempts: this account is locked until "
                    + user.lockedUntil().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES) + " (UTC).");
        }
        boolean correct = hasher.matches(password, user.passwordHash());
        if (!correct || user.disabled() || user.oneTimeCodeExpired(now)) {
            if (!correct) {
                countFailure(user.id(), user.username(), now);
            }
            throw new LoginRefused("login_failed", "The username or password is wrong.");
        }
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        Instant expires = now.plus(sessionLifetime);
        boolean enrolmentRequired = twoFactorRequiredFor.contains(Role.valueOf(user.role()));
        Optional<String> pending = jdbi.withExtension(SessionDao.class,
                dao -> dao.startUnlessLocked(tokenHash(token), user.id(), now, expires, enrolmentRequired));
        if (pending.isEmpty()) {
            throw new LoginRefused("account_locked", "Too many failed attempts: this account is locked for now.");
        }
        return new NewSession(token, expires, toUser(user.id(), user.username(), user.role(), user.site()),
                PendingStep.of(pending.get()));
    }

    /**
     * One more failed attempt (a wrong password, or a wrong second-factor code), counted by the
     * database, not from a row read before: wrong guesses sent at once would otherwise each write the
     * same count and never lock the account. The attempt that reaches the limit locks it and ends the
     * sign-ins still waiting for their second step.
     */
    void countFailure(long userId, String username, Instant now) {
        jdbi.useTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            int failures = dao.countFailedLogin(userId);
            if (failures >= maxFailedLogins) {
                dao.recordLoginOutcome(userId, 0, now.plus(lockout));
                h.attach(SessionDao.class).deletePendingForUser(userId);
                AuditLog.append(h, now, username, "account_locked", "user:" + userId, Map.of("failedLogins", failures));
            }
        });
    }

    /** The step a session still waits for, when the token names a live session that is not complete. */
    public Optional<PendingStep> pendingStep(String token) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> SessionDao.pendingStep(h, tokenHash(token), clock.instant())).flatMap(PendingStep::of);
    }

    public Optional<TrialUser> authenticate(String token) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> SessionDao.find(h, tokenHash(token), clock.instant()))
                .map(s -> new TrialUser(s.id(), s.username(), Role.valueOf(s.role()), Optional.ofNullable(s.site()),
                        s.passwordChangeRequired()));
    }

    /**
     * Ends the session a token names, complete or still waiting for its second step (an unfinished
     * sign-in on a shared computer must be endable too); false when the token names no live session.
     */
    public boolean logout(String token) {
        return plausible(token) && jdbi.withExtension(SessionDao.class, dao -> dao.delete(tokenHash(token), clock.instant()));
    }

    /** Whether a token could be one the service gave (anything else is not looked up). */
    static boolean plausible(String token) {
        return token != null && !token.isBlank() && token.length() <= 100;
    }

    public List<UserAccount> list() {
        Instant now = clock.instant();
        return jdbi.withExtension(UserDao.class, UserDao::all).stream().map(u -> account(u, now)).toList();
    }

    private static UserAccount account(UserRow u, Instant now) {
        boolean locked = u.lockedUntil() != null && u.lockedUntil().isAfter(now);
        return new UserAccount(u.username(), Role.valueOf(u.role()), u.site(), u.disabled(), locked,
                locked ? u.lockedUntil() : null, u.passwordChangeRequired(), u.oneTimeCodeExpiresAt(), u.lastLoginAt());
    }

    /** What the admin is shown once: the code the user signs in with, and until when it works. */
    public record OneTimeCode(UserAccount user, String oneTimeCode, Instant expiresAt) {
        @Override
        public String toString() {
            return "OneTimeCode[" + user.username() + ", redacted]";
        }
    }

    /**
     * A new user, who signs in with the one-time code returned (shown to the admin once) and must
     * then choose a password. Every field at fault is named at once (role is a {@link Role} name).
     */
    public OneTimeCode create(TrialUser admin, String username, String roleName, String site) {
        Role role = checkNewUser(username, roleName, site);
        String code = newOneTimeCode();
        Instant expires = clock.instant().plus(oneTimeCodeLifetime);
        String codeHash = hasher.hash(code);
        long id;
        try {
            id = jdbi.inTransaction(h -> {
                long created = h.attach(UserDao.class).insertWithOneTimeCode(username, codeHash, role.name(), blankToNull(site), expires);
                AuditLog.append(h, clock.instant(), admin.username(), "user_created", "user:" + created,
                        Map.of("role", role.name(), "site", site == null ? "" : site));
                return created;
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new Conflict("username_taken", "A user with this username already exists.");
            }
            throw e;
        }
        return new OneTimeCode(account(existing(username), clock.instant()), code, expires);
    }

    /** Creates a user with a password, without an acting admin: the demo users at first start, and tests. */
    public void createInitial(String username, Role role, String site, String password) {
        jdbi.useTransaction(h -> {
            long id = h.attach(UserDao.class).insert(username, hasher.hash(password), role.name(), site);
            AuditLog.append(h, clock.instant(), "system", "user_created", "user:" + id,
                    Map.of("role", role.name(), "site", site == null ? "" : site));
        });
    }

    public boolean noUsers() {
        return jdbi.withExtension(UserDao.class, UserDao::count) == 0;
    }

    public void setDisabled(TrialUser admin, String username, boolean disabled) {
        UserRow user = existing(username);
        jdbi.useTransaction(h -> {
            if (disabled) {
                keepAnActiveAdmin(h, user, "disabled");
            }
            h.attach(UserDao.class).setDisabled(user.id(), disabled);
            if (disabled) {
                h.attach(SessionDao.class).deleteForUser(user.id());
            }
            AuditLog.append(h, clock.instant(), admin.username(), disabled ? "user_disabled" : "user_enabled", "user:" + user.id(), Map.of());
        });
    }

    public void assignSite(TrialUser admin, String username, String site) {
        UserRow user = existing(username);
        if (site == null || site.isBlank()) {
            throw InvalidRequest.field("site", "is required");
        }
        checkSite(site);
        if (!SITE_BOUND.contains(Role.valueOf(user.role()))) {
            throw InvalidRequest.field("site", "is only for a specialist or a manager: a " + user.role() + " works across sites");
        }
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).setSite(user.id(), site);
            h.attach(SessionDao.class).deleteForUser(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_site_assigned", "user:" + user.id(), Map.of("site", site));
        });
    }

    /**
     * A new role, and the site that goes with it: a specialist needs one, any other role may keep
     * one (a manager bound to a site) or have none. Ends the user's sessions.
     */
    public void changeRole(TrialUser admin, String username, String roleName, String site) {
        UserRow user = existing(username);
        var errors = new ArrayList<FieldError>();
        Role role = roleProblem(roleName, site, errors);
        siteProblem(site, errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        String newSite = blankToNull(site);
        jdbi.useTransaction(h -> {
            if (role != Role.admin) {
                keepAnActiveAdmin(h, user, "given another role");
            }
            h.attach(UserDao.class).setRole(user.id(), role.name(), newSite);
            h.attach(SessionDao.class).deleteForUser(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_role_changed", "user:" + user.id(),
                    Map.of("from", user.role(), "to", role.name(), "site", newSite == null ? "" : newSite));
        });
    }

    /** Ends a lock-out after failed logins at once, instead of at its end. */
    public void unlock(TrialUser admin, String username) {
        UserRow user = existing(username);
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).unlock(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_unlocked", "user:" + user.id(), Map.of());
        });
    }

    /**
     * Replaces the user's password by a one-time code (shown to the admin once): their sessions
     * end, any lock-out ends, and at the next sign-in they must choose a new password. The admin
     * never learns a password the user keeps.
     */
    public OneTimeCode resetPassword(TrialUser admin, String username) {
        UserRow user = existing(username);
        String code = newOneTimeCode();
        Instant expires = clock.instant().plus(oneTimeCodeLifetime);
        String codeHash = hasher.hash(code);
        jdbi.useTransaction(h -> {
            keepAnActiveAdmin(h, user, "given a one-time code (until it is used the account cannot administer)");
            h.attach(UserDao.class).setOneTimeCode(user.id(), codeHash, expires);
            h.attach(SessionDao.class).deleteForUser(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_password_reset", "user:" + user.id(), Map.of());
        });
        return new OneTimeCode(account(existing(username), clock.instant()), code, expires);
    }

    /**
     * The signed-in user's own new password. With a one-time code this is the only call they may
     * make ({@link PasswordChangeGate}); their other sessions end, the one that made the change goes on.
     */
    public void changeOwnPassword(TrialUser self, String sessionToken, String currentPassword, String newPassword) {
        UserRow user = existing(self.username());
        var errors = new ArrayList<FieldError>();
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add(new FieldError("currentPassword", "is required"));
        } else if (!hasher.matches(currentPassword, user.passwordHash())) {
            errors.add(new FieldError("currentPassword", user.passwordChangeRequired()
                    ? "is not the one-time code this account has now (a code works once: ask an admin for a new one)"
                    : "does not match your current password"));
        } else if (user.oneTimeCodeExpired(clock.instant())) {
            errors.add(new FieldError("currentPassword", "is a one-time code that has expired: ask an admin for a new one"));
        }
        passwordProblem("newPassword", newPassword).ifPresent(errors::add);
        if (newPassword != null && newPassword.equals(currentPassword)) {
            errors.add(new FieldError("newPassword", "must differ from the current password or code"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        String hash = hasher.hash(newPassword);
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).setOwnPassword(user.id(), hash);
            h.attach(SessionDao.class).deleteOthersOfUser(user.id(), tokenHash(sessionToken));
            AuditLog.append(h, clock.instant(), self.username(), "password_changed", "user:" + user.id(),
                    Map.of("fromOneTimeCode", user.passwordChangeRequired()));
        });
    }

    /**
     * Refuses (422) an admin action that would leave the trial without an active admin: one who is
     * not disabled and signs in with a password of their own. Locks every admin row first, so two
     * admins acting on each other at once cannot both pass.
     */
    private static void keepAnActiveAdmin(org.jdbi.v3.core.Handle h, UserRow target, String what) {
        List<UserRow> admins = h.attach(UserDao.class).lockAdmins();
        if (admins.stream().noneMatch(a -> a.id() == target.id())) {
            return;
        }
        long othersActive = admins.stream()
                .filter(a -> a.id() != target.id() && !a.disabled() && !a.passwordChangeRequired())
                .count();
        if (othersActive == 0) {
            throw new InvalidRequest("last_active_admin",
                    "This is the last active admin: it cannot be " + what + ". Make another user an admin first.",
                    List.of(new FieldError("username", "is the last active admin")));
        }
    }

    /** A random one-time code: 25 characters from 32 that are hard to mistake for one another (125 bits), in groups of five. */
    private String newOneTimeCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            if (i > 0 && i % 5 == 0) {
                code.append('-');
            }
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    /** 32 symbols: no I, O, 0 or 1, which are easily read as one another. */
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private void checkSite(String site) {
        if (site != null && !siteCodes.isEmpty() && !siteCodes.contains(site)) {
            throw InvalidRequest.field("site", "must be one of the trial's sites " + new java.util.TreeSet<>(siteCodes));
        }
    }

    private UserRow existing(String username) {
        return jdbi.withExtension(UserDao.class, dao -> dao.byUsername(username))
                .orElseThrow(() -> new NotFound("user_not_found", "There is no user with this username."));
    }

    private Role checkNewUser(String username, String roleName, String site) {
        var errors = new ArrayList<FieldError>();
        if (username == null || !username.matches(USERNAME_PATTERN)) {
            errors.add(new FieldError("username", "must be 3 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter"));
        }
        Role role = roleProblem(roleName, site, errors);
        siteProblem(site, errors);
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return role;
    }

    /** The roles that work for one site: a specialist always, a manager when given one. */
    private static final java.util.Set<Role> SITE_BOUND = java.util.EnumSet.of(Role.specialist, Role.manager);

    private static Role roleProblem(String roleName, String site, List<FieldError> errors) {
        Role role = java.util.Arrays.stream(Role.values()).filter(r -> r.name().equals(roleName)).findFirst().orElse(null);
        if (roleName == null) {
            errors.add(new FieldError("role", "is required"));
        } else if (role == null) {
            errors.add(new FieldError("role", "must be one of " + java.util.Arrays.toString(Role.values())));
        } else if (role == Role.specialist && (site == null || site.isBlank())) {
            errors.add(new FieldError("site", "is required for a specialist"));
        } else if (!SITE_BOUND.contains(role) && site != null && !site.isBlank()) {
            errors.add(new FieldError("site", "is only for a specialist or a manager: a " + role + " works across sites"));
        }
        return role;
    }

    private void siteProblem(String site, List<FieldError> errors) {
        if (site != null && !site.isBlank() && !siteCodes.isEmpty() && !siteCodes.contains(site)) {
            errors.add(new FieldError("site", "must be one of the trial's sites " + new java.util.TreeSet<>(siteCodes)));
        }
    }

    /** The rule every password meets, wherever it is set. */
    static Optional<FieldError> passwordProblem(String field, String password) {
        if (password == null || password.length() < PasswordHasher.MINIMUM_LENGTH) {
            return Optional.of(new FieldError(field, "must have at least " + PasswordHasher.MINIMUM_LENGTH + " characters"));
        }
        return Optional.empty();
    }

    private static String blankToNull(String site) {
        return site == null || site.isBlank() ? null : site;
    }

    static TrialUser toUser(long id, String username, String role, String site) {
        return new TrialUser(id, username, Role.valueOf(role), Optional.ofNullable(site));
    }

    static byte[] tokenHash(String token) {
        return Sha256.of(token);
    }

    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
