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
     * changes and the answer is false.
     */
    @SqlUpdate("""
            WITH cleared AS (
                UPDATE app_user SET failed_logins = 0, locked_until = NULL
                WHERE id = :userId AND (locked_until IS NULL OR locked_until <= :createdAt) RETURNING id)
            INSERT INTO user_session (token_hash, user_id, created_at, expires_at)
            SELECT :tokenHash, id, :createdAt, :expiresAt FROM cleared""")
    boolean startUnlessLocked(byte[] tokenHash, long userId, Instant createdAt, Instant expiresAt);

    RowMapper<SessionUser> SESSION_USER = ConstructorMapper.of(SessionUser.class);

    /** Looks a session up without locking anything: a plain read, one per request (run without attaching the DAO). */
    static Optional<SessionUser> find(Handle h, byte[] tokenHash, Instant now) {
        return h.createQuery("""
                SELECT u.id, u.username, u.role, u.site, s.expires_at, u.password_change_required
                FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND NOT u.disabled""")
                .bind("tokenHash", tokenHash).bind("now", now).map(SESSION_USER).findOne();
    }

    @SqlUpdate("DELETE FROM user_session WHERE token_hash = :tokenHash")
    void delete(byte[] tokenHash);

    @SqlUpdate("DELETE FROM user_session WHERE user_id = :userId")
    void deleteForUser(long userId);

    /** Ends every other session of the user: after a password change only the session that made it goes on. */
    @SqlUpdate("DELETE FROM user_session WHERE user_id = :userId AND token_hash <> :keep")
    void deleteOthersOfUser(long userId, byte[] keep);
}
