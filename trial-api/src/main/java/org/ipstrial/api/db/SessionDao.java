package org.ipstrial.api.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SessionDao.SessionUser.class)
public interface SessionDao {
    record SessionUser(long id, String username, String role, String site, Instant expiresAt, boolean passwordChangeRequired) {}

    /**
     * A correct password's session, in one statement: clears the user's failure count and starts
     * the session, unless a lock was set meanwhile (by failures racing this login): then nothing
     * changes and the answer is empty. Otherwise the answer is the step the session still waits for
     * ({@code code}: the user has a second factor; {@code enrolment}: the role requires one and the
     * user has none) or {@code none}. A session waiting for its code leaves the failure count as it
     * is: the password alone must not give a guesser of codes a fresh count.
     */
    @SqlQuery("""
            WITH factor AS (
                SELECT CASE WHEN EXISTS (SELECT 1 FROM two_factor WHERE user_id = :userId AND confirmed_at IS NOT NULL) THEN 'code'
                            WHEN :enrolmentRequired THEN 'enrolment' END AS pending),
            cleared AS (
                UPDATE app_user SET locked_until = NULL,
                    failed_logins = CASE WHEN (SELECT pending FROM factor) = 'code' THEN failed_logins ELSE 0 END
                WHERE id = :userId AND (locked_until IS NULL OR locked_until <= :createdAt) RETURNING id)
            INSERT INTO user_session (token_hash, user_id, created_at, expires_at, pending)
            SELECT :tokenHash, id, :createdAt, :expiresAt, (SELECT pending FROM factor) FROM cleared
            RETURNING coalesce(pending, 'none')""")
    Optional<String> startUnlessLocked(byte[] tokenHash, long userId, Instant createdAt, Instant expiresAt, boolean enrolmentRequired);

    RowMapper<SessionUser> SESSION_USER = ConstructorMapper.of(SessionUser.class);

    /** Looks a session up without locking anything: a plain read, one per request (run without attaching the DAO). */
    static Optional<SessionUser> find(Handle h, byte[] tokenHash, Instant now) {
        return h.createQuery("""
                SELECT u.id, u.username, u.role, u.site, s.expires_at, u.password_change_required
                FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND NOT u.disabled AND s.pending IS NULL""")
                .bind("tokenHash", tokenHash).bind("now", now).map(SESSION_USER).findOne();
    }

    /** The step a live session still waits for (none: empty); read only when {@link #find} found nothing. */
    public static Optional<String> pendingStep(Handle h, byte[] tokenHash, Instant now) {
        return h.createQuery("""
                SELECT s.pending FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND NOT u.disabled AND s.pending IS NOT NULL""")
                .bind("tokenHash", tokenHash).bind("now", now).mapTo(String.class).findOne();
    }

    /** Ends the sign-ins of a user that still wait for their second step (the account was just locked). */
    @SqlUpdate("DELETE FROM user_session WHERE user_id = :userId AND pending IS NOT NULL")
    void deletePendingForUser(long userId);

    /** Ends a session (an expired one too); whether it was live. */
    @SqlQuery("DELETE FROM user_session WHERE token_hash = :tokenHash RETURNING expires_at > :now")
    Optional<Boolean> deleteReturningLive(byte[] tokenHash, java.time.Instant now);

    /** Ends a session; whether it was live. */
    default boolean delete(byte[] tokenHash, java.time.Instant now) {
        return deleteReturningLive(tokenHash, now).orElse(false);
    }

    @SqlUpdate("DELETE FROM user_session WHERE user_id = :userId")
    void deleteForUser(long userId);

    /** Ends every other session of the user: after a password change only the session that made it goes on. */
    @SqlUpdate("DELETE FROM user_session WHERE user_id = :userId AND token_hash <> :keep")
    void deleteOthersOfUser(long userId, byte[] keep);
}
