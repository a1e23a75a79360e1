package org.ipstrial.api.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** Logins, sessions, lock-out and the admin's user management. */
public final class UserService {
    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final int maxFailedLogins;
    private final Duration lockout;
    private final SecureRandom random = new SecureRandom();
    private java.util.Set<String> siteCodes = java.util.Set.of();

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

    /** The trial's site codes: a user's site must be one of them. */
    public UserService withSites(java.util.Set<String> codes) {
        this.siteCodes = java.util.Set.copyOf(codes);
        return this;
    }

    /** A new session for a correct password; counts failures and locks the account after too many. */
    public record NewSession(String token, Instant expiresAt, TrialUser user) {
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
        if (!correct || user.disabled()) {
            if (!correct) {
                // Counted by the database, not from the row read above: wrong guesses sent at once
                // would otherwise each write the same count and never lock the account.
                jdbi.useTransaction(h -> {
                    UserDao dao = h.attach(UserDao.class);
                    int failures = dao.countFailedLogin(user.id());
                    if (failures >= maxFailedLogins) {
                        dao.recordLoginOutcome(user.id(), 0, now.plus(lockout));
                        AuditLog.append(h, now, user.username(), "account_locked", "user:" + user.id(), Map.of("failedLogins", failures));
                    }
                });
            }
            throw new LoginRefused("login_failed", "The username or password is wrong.");
        }
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
        Instant expires = now.plus(sessionLifetime);
        if (!jdbi.withExtension(SessionDao.class, dao -> dao.startUnlessLocked(tokenHash(token), user.id(), now, expires))) {
            throw new LoginRefused("account_locked", "Too many failed attempts: this account is locked for now.");
        }
        return new NewSession(token, expires, toUser(user.id(), user.username(), user.role(), user.site()));
    }

    public Optional<TrialUser> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> SessionDao.find(h, tokenHash(token), clock.instant()))
                .map(s -> toUser(s.id(), s.username(), s.role(), s.site()));
    }

    public void logout(String token) {
        jdbi.useExtension(SessionDao.class, dao -> dao.delete(tokenHash(token)));
    }

    public List<UserAccount> list() {
        return jdbi.withExtension(UserDao.class, UserDao::all).stream()
                .map(u -> new UserAccount(u.username(), Role.valueOf(u.role()), u.site(), u.disabled(),
                        u.lockedUntil() != null && u.lockedUntil().isAfter(clock.instant())))
                .toList();
    }

    /** A new user; every field at fault is named at once (role is a {@link Role} name). */
    public UserAccount create(TrialUser admin, String username, String roleName, String site, String password) {
        Role role = checkNewUser(username, roleName, site, password);
        try {
            jdbi.useTransaction(h -> {
                long id = h.attach(UserDao.class).insert(username, hasher.hash(password), role.name(), site);
                AuditLog.append(h, clock.instant(), admin.username(), "user_created", "user:" + id,
                        Map.of("role", role.name(), "site", site == null ? "" : site));
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new Conflict("username_taken", "A user with this username already exists.");
            }
            throw e;
        }
        return new UserAccount(username, role, site, false, false);
    }

    /** Creates a user without an acting admin: the demo users at first start. */
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
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).setSite(user.id(), site);
            h.attach(SessionDao.class).deleteForUser(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_site_assigned", "user:" + user.id(), Map.of("site", site));
        });
    }

    public void resetPassword(TrialUser admin, String username, String password) {
        UserRow user = existing(username);
        if (password == null || password.length() < PasswordHasher.MINIMUM_LENGTH) {
            throw InvalidRequest.field("password", "must have at least " + PasswordHasher.MINIMUM_LENGTH + " characters");
        }
        String hash = hasher.hash(password);
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).setPassword(user.id(), hash);
            h.attach(SessionDao.class).deleteForUser(user.id());
            AuditLog.append(h, clock.instant(), admin.username(), "user_password_reset", "user:" + user.id(), Map.of());
        });
    }

    private void checkSite(String site) {
        if (site != null && !siteCodes.isEmpty() && !siteCodes.contains(site)) {
            throw InvalidRequest.field("site", "must be one of the trial's sites " + new java.util.TreeSet<>(siteCodes));
        }
    }

    private UserRow existing(String username) {
        return jdbi.withExtension(UserDao.class, dao -> dao.byUsername(username))
                .orElseThrow(() -> new NotFound("user_not_found", "There is no user with this username."));
    }

    private Role checkNewUser(String username, String roleName, String site, String password) {
        var errors = new java.util.ArrayList<org.ipstrial.api.api.ErrorBody.FieldError>();
        if (username == null || !username.matches(USERNAME_PATTERN)) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("username",
                    "must be 3 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter"));
        }
        Role role = java.util.Arrays.stream(Role.values()).filter(r -> r.name().equals(roleName)).findFirst().orElse(null);
        if (roleName == null) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("role", "is required"));
        } else if (role == null) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("role", "must be one of " + java.util.Arrays.toString(Role.values())));
        } else if (role == Role.specialist && (site == null || site.isBlank())) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("site", "is required for a specialist"));
        }
        if (site != null && !site.isBlank() && !siteCodes.isEmpty() && !siteCodes.contains(site)) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("site", "must be one of the trial's sites " + new java.util.TreeSet<>(siteCodes)));
        }
        if (password == null || password.length() < PasswordHasher.MINIMUM_LENGTH) {
            errors.add(new org.ipstrial.api.api.ErrorBody.FieldError("password",
                    "must have at least " + PasswordHasher.MINIMUM_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return role;
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
