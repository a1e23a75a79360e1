package org.ipstrial.api.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.ipstrial.api.api.TwoFactorViews;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.LoginRefused;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.api.db.SessionDao;
import org.ipstrial.api.db.TwoFactorDao;
import org.ipstrial.api.db.UserDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Two-factor sign-in: enrolment (a TOTP secret, confirmed by a first code, and ten recovery codes),
 * the second step of a sign-in, and the admin's reset. See docs/security.md#two-factor-sign-in.
 * Secrets and codes are never logged nor audited; the audit log says only that something happened.
 */
public final class TwoFactorService {
    /** The name authenticator apps show beside the account. */
    public static final String ISSUER = "IPS trial";
    public static final int RECOVERY_CODES = 10;
    /** 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
    private static final int SECRET_BYTES = 20;
    private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final int RECOVERY_LENGTH = 10;

    private final Jdbi jdbi;
    private final UserService users;
    private final PasswordHasher hasher;
    private final TotpCodes codes = new TotpCodes();
    private final Optional<TwoFactorKey> key;
    private final Clock clock;
    private final Set<Role> requiredFor;
    private final SecureRandom random = new SecureRandom();

    /** {@code key} empty: no key file configured, so nobody can enrol (allowed only while no role requires it). */
    public TwoFactorService(Jdbi jdbi, UserService users, PasswordHasher hasher, Optional<TwoFactorKey> key, Clock clock,
            Set<Role> requiredFor) {
        if (key.isEmpty() && !requiredFor.isEmpty()) {
            throw new IllegalStateException("security.twoFactorRequiredFor names " + requiredFor
                    + ": set security.twoFactorKeyFile (TRIAL_TWO_FACTOR_KEY_FILE) to the file of the key that encrypts the secrets");
        }
        this.jdbi = jdbi;
        this.users = users;
        this.hasher = hasher;
        this.key = key;
        this.clock = clock;
        this.requiredFor = Set.copyOf(requiredFor);
    }

    /** The user of a session that may enrol: a complete session, or one that waits for the enrolment its role requires. */
    public TrialUser enrollingUser(String token) {
        TwoFactorDao.LiveSession session = liveSession(token);
        if (PendingStep.code.name().equals(session.pending())) {
            throw secondFactorRequired();
        }
        refuseUntilPasswordChanged(session);
        return user(session);
    }

    /**
     * A complete session of a user who signed in with a one-time code gets what {@link PasswordChangeGate}
     * gives it: nothing but the password change. A pending one may go on with its step, so that a
     * user whose role requires a second factor can enrol and then choose a password.
     */
    private static void refuseUntilPasswordChanged(TwoFactorDao.LiveSession session) {
        if (session.pending() == null && session.passwordChangeRequired()) {
            throw new org.ipstrial.api.core.errors.Forbidden("password_change_required",
                    "Choose a new password first (POST /api/v1/session/password): you signed in with a one-time code.");
        }
    }

    public TwoFactorViews.TwoFactorStatus status(TrialUser user) {
        return jdbi.withExtension(TwoFactorDao.class, dao -> {
            boolean enrolled = dao.factor(user.id()).map(f -> f.confirmedAt() != null).orElse(false);
            return new TwoFactorViews.TwoFactorStatus(enrolled, requiredFor.contains(user.role()),
                    enrolled ? dao.unusedRecoveryCodes(user.id()).size() : 0);
        });
    }

    /** A new secret for the user's app, waiting for its first code (a second start replaces a secret not yet confirmed). */
    public TwoFactorViews.TwoFactorEnrolment start(TrialUser user) {
        TwoFactorKey sealing = key.orElseThrow(() -> new Conflict("two_factor_not_configured",
                "Two-factor sign-in is not set up on this service (no key file): ask its operator."));
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            if (!h.attach(TwoFactorDao.class).start(user.id(), sealing.seal(secret, user.id()), now)) {
                throw alreadyEnrolled();
            }
            AuditLog.append(h, now, user.username(), "two_factor_enrolment_started", "user:" + user.id(), Map.of());
        });
        String uri = TotpCodes.keyUri(ISSUER, user.username(), secret);
        return new TwoFactorViews.TwoFactorEnrolment(TotpCodes.base32(secret), uri, EnrolmentQrCode.svg(uri), TotpCodes.DIGITS,
                (int) TotpCodes.STEP.getSeconds());
    }

    /**
     * The first code from the app confirms the secret: from then on sign-in asks for a code. The
     * answer holds the recovery codes, which exist from now on only as bcrypt hashes. A session that
     * waited for this enrolment may be used from now on.
     */
    public TwoFactorViews.RecoveryCodes confirm(TrialUser user, String token, String code) {
        requireCode(code);
        Instant now = clock.instant();
        TwoFactorDao.Factor factor = jdbi.withExtension(TwoFactorDao.class, dao -> dao.factor(user.id()))
                .orElseThrow(() -> new Conflict("two_factor_enrolment_not_started", "Start the enrolment first: POST /api/v1/two-factor/enrolment."));
        if (factor.confirmedAt() != null) {
            throw alreadyEnrolled();
        }
        byte[] secret = key.orElseThrow().open(factor.secretSealed(), user.id());
        OptionalLong step = codes.matchingStep(secret, code.strip(), now, Long.MIN_VALUE);
        if (step.isEmpty()) {
            throw InvalidRequest.field("code", "is not the app's code for this secret: check that the phone's clock is right and type the newest code");
        }
        List<String> recovery = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String plain = newRecoveryCode();
            recovery.add(plain.substring(0, 5) + "-" + plain.substring(5));
            hashes.add(hasher.hash(plain));
        }
        jdbi.useTransaction(h -> {
            TwoFactorDao dao = h.attach(TwoFactorDao.class);
            if (!dao.confirm(user.id(), factor.secretSealed(), step.getAsLong(), now)) {
                throw new Conflict("two_factor_enrolment_changed", "Another enrolment of this user happened meanwhile: start again.");
            }
            hashes.forEach(hash -> dao.addRecoveryCode(user.id(), hash));
            dao.completeSession(UserService.tokenHash(token), PendingStep.enrolment.name());
            AuditLog.append(h, now, user.username(), "two_factor_enrolled", "user:" + user.id(), Map.of("recoveryCodes", RECOVERY_CODES));
        });
        return new TwoFactorViews.RecoveryCodes(List.copyOf(recovery));
    }

    /**
     * The second step of a sign-in: the app's code (accepted one step either side of now, never a
     * step already used) or an unused recovery code. A wrong or replayed code counts as a failed
     * login toward the lock-out. Answers the session, now usable.
     */
    public UserService.NewSession completeSignIn(String token, String code) {
        TwoFactorDao.LiveSession session = liveSession(token);
        refuseUntilPasswordChanged(session);
        requireCode(code);
        Instant now = clock.instant();
        if (!PendingStep.code.name().equals(session.pending())) {
            throw new Conflict("no_second_factor_pending", "This session does not wait for a code.");
        }
        if (session.lockedUntil() != null && session.lockedUntil().isAfter(now)) {
            throw new LoginRefused("account_locked", "Too many failed attempts: this account is locked for now.");
        }
        String given = code.strip();
        boolean accepted = given.matches("\\d{" + TotpCodes.DIGITS + "}")
                ? acceptAppCode(session, token, given, now)
                : acceptRecoveryCode(session, token, given, now);
        if (!accepted) {
            users.countFailure(session.id(), session.username(), now);
            throw new LoginRefused("second_factor_failed", "The code is wrong or was used already: type the newest code from the app.");
        }
        return new UserService.NewSession(token, session.expiresAt(), user(session), Optional.empty());
    }

    private boolean acceptAppCode(TwoFactorDao.LiveSession session, String token, String given, Instant now) {
        TwoFactorDao.Factor factor = jdbi.withExtension(TwoFactorDao.class, dao -> dao.factor(session.id())).orElseThrow();
        byte[] secret = key.orElseThrow().open(factor.secretSealed(), session.id());
        OptionalLong step = codes.matchingStep(secret, given, now, factor.lastStep());
        if (step.isEmpty() || step.getAsLong() <= factor.lastStep()) {
            return false;
        }
        return jdbi.inTransaction(h -> {
            TwoFactorDao dao = h.attach(TwoFactorDao.class);
            // The guard, not the row read above, decides: of two requests with the same code, one passes.
            if (!dao.useStep(session.id(), step.getAsLong())) {
                return false;
            }
            return complete(dao, session, token);
        });
    }

    private boolean acceptRecoveryCode(TwoFactorDao.LiveSession session, String token, String given, Instant now) {
        String plain = given.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (plain.length() != RECOVERY_LENGTH) {
            return false;
        }
        List<TwoFactorDao.RecoveryCode> unused = jdbi.withExtension(TwoFactorDao.class, dao -> dao.unusedRecoveryCodes(session.id()));
        for (TwoFactorDao.RecoveryCode candidate : unused) {
            if (hasher.matches(plain, candidate.codeHash())) {
                return jdbi.inTransaction(h -> {
                    TwoFactorDao dao = h.attach(TwoFactorDao.class);
                    if (!dao.useRecoveryCode(candidate.id(), now) || !complete(dao, session, token)) {
                        return false;
                    }
                    AuditLog.append(h, now, session.username(), "two_factor_recovery_code_used", "user:" + session.id(),
                            Map.of("recoveryCodesLeft", unused.size() - 1));
                    return true;
                });
            }
        }
        return false;
    }

    private static boolean complete(TwoFactorDao dao, TwoFactorDao.LiveSession session, String token) {
        if (!dao.completeSession(UserService.tokenHash(token), PendingStep.code.name())) {
            return false;
        }
        dao.clearFailedLogins(session.id());
        return true;
    }

    /** Removes a user's second factor and recovery codes and ends their sessions (a lost phone); audited. */
    public void reset(TrialUser admin, String username) {
        long userId = jdbi.withExtension(UserDao.class, dao -> dao.byUsername(username))
                .orElseThrow(() -> new NotFound("user_not_found", "There is no user with this username.")).id();
        jdbi.useTransaction(h -> {
            TwoFactorDao dao = h.attach(TwoFactorDao.class);
            if (!dao.remove(userId)) {
                throw new NotFound("two_factor_not_enrolled", "This user has no second factor to reset.");
            }
            dao.removeRecoveryCodes(userId);
            h.attach(SessionDao.class).deleteForUser(userId);
            AuditLog.append(h, clock.instant(), admin.username(), "two_factor_reset", "user:" + userId, Map.of());
        });
    }

    private TwoFactorDao.LiveSession liveSession(String token) {
        Optional<TwoFactorDao.LiveSession> found = !UserService.plausible(token) ? Optional.empty()
                : jdbi.withExtension(TwoFactorDao.class, dao -> dao.session(UserService.tokenHash(token), clock.instant()));
        return found.orElseThrow(() -> LoginRefused.notAuthenticated());
    }

    private String newRecoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < RECOVERY_LENGTH; i++) {
            code.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
        }
        return code.toString();
    }

    private static void requireCode(String code) {
        if (code == null || code.isBlank()) {
            throw InvalidRequest.field("code", "is required");
        }
        if (code.length() > 40) {
            throw InvalidRequest.field("code", "must be the 6 digits from the app or a recovery code");
        }
    }

    private static Conflict alreadyEnrolled() {
        return new Conflict("two_factor_enrolled", "A second factor is already set up for this user: an admin can reset it.");
    }

    static LoginRefused secondFactorRequired() {
        return new LoginRefused("second_factor_required",
                "Type the code from your authenticator app first (POST /api/v1/session/code).");
    }

    static LoginRefused enrolmentRequired() {
        return new LoginRefused("two_factor_enrolment_required",
                "Your role signs in with a second factor: set one up first (POST /api/v1/two-factor/enrolment).");
    }

    private static TrialUser user(TwoFactorDao.LiveSession session) {
        return UserService.toUser(session.id(), session.username(), session.role(), session.site());
    }
}
