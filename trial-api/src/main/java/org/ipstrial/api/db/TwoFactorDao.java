package org.ipstrial.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** A user's second factor (the encrypted TOTP secret, its last used step), recovery codes, and sessions waiting for them. */
@RegisterConstructorMapper(TwoFactorDao.Factor.class)
@RegisterConstructorMapper(TwoFactorDao.LiveSession.class)
@RegisterConstructorMapper(TwoFactorDao.RecoveryCode.class)
public interface TwoFactorDao {
    record Factor(long userId, byte[] secretSealed, Instant confirmedAt, long lastStep) {
        @Override
        public String toString() {
            return "Factor[user " + userId + "]";
        }
    }

    /** A live session of an enabled user, complete or not ({@code pending}: the step it waits for, or null). */
    record LiveSession(long id, String username, String role, String site, String pending, Instant expiresAt, Instant lockedUntil,
            boolean passwordChangeRequired) {}

    record RecoveryCode(long id, String codeHash) {
        @Override
        public String toString() {
            return "RecoveryCode[" + id + "]";
        }
    }

    @SqlQuery("""
            SELECT u.id, u.username, u.role, u.site, s.pending, s.expires_at, u.locked_until, u.password_change_required
            FROM user_session s JOIN app_user u ON u.id = s.user_id
            WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND NOT u.disabled""")
    Optional<LiveSession> session(byte[] tokenHash, Instant now);

    @SqlQuery("SELECT user_id, secret_sealed, confirmed_at, last_step FROM two_factor WHERE user_id = :userId")
    Optional<Factor> factor(long userId);

    /** A new secret waiting for its first code; replaces one still waiting, never a confirmed one (then false). */
    @SqlUpdate("""
            INSERT INTO two_factor (user_id, secret_sealed, started_at) VALUES (:userId, :sealed, :now)
            ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, started_at = EXCLUDED.started_at
            WHERE two_factor.confirmed_at IS NULL""")
    boolean start(long userId, byte[] sealed, Instant now);

    /** Confirms the secret the code was checked against, unless another enrolment replaced or confirmed it meanwhile. */
    @SqlUpdate("""
            UPDATE two_factor SET confirmed_at = :now, last_step = :step
            WHERE user_id = :userId AND confirmed_at IS NULL AND secret_sealed = :sealed""")
    boolean confirm(long userId, byte[] sealed, long step, Instant now);

    /** Takes a step's code as used: only if no code of this step or a later one was (of two racing requests, one). */
    @SqlUpdate("UPDATE two_factor SET last_step = :step WHERE user_id = :userId AND confirmed_at IS NOT NULL AND last_step < :step")
    boolean useStep(long userId, long step);

    @SqlUpdate("INSERT INTO two_factor_recovery_code (user_id, code_hash) VALUES (:userId, :codeHash)")
    void addRecoveryCode(long userId, String codeHash);

    @SqlQuery("SELECT id, code_hash FROM two_factor_recovery_code WHERE user_id = :userId AND used_at IS NULL ORDER BY id")
    List<RecoveryCode> unusedRecoveryCodes(long userId);

    /** Uses a recovery code: only once, even for two requests at the same moment. */
    @SqlUpdate("UPDATE two_factor_recovery_code SET used_at = :now WHERE id = :id AND used_at IS NULL")
    boolean useRecoveryCode(long id, Instant now);

    /** The session may be used from now on, if it still waited for this step. */
    @SqlUpdate("UPDATE user_session SET pending = NULL WHERE token_hash = :tokenHash AND pending = :pending")
    boolean completeSession(byte[] tokenHash, String pending);

    @SqlUpdate("UPDATE app_user SET failed_logins = 0 WHERE id = :userId")
    void clearFailedLogins(long userId);

    @SqlUpdate("DELETE FROM two_factor WHERE user_id = :userId")
    boolean remove(long userId);

    @SqlUpdate("DELETE FROM two_factor_recovery_code WHERE user_id = :userId")
    void removeRecoveryCodes(long userId);
}
