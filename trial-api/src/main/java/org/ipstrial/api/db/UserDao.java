package org.ipstrial.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UserDao.UserRow.class)
public interface UserDao {
    record UserRow(long id, String username, String passwordHash, String role, String site, boolean disabled,
            int failedLogins, Instant lockedUntil, boolean passwordChangeRequired, Instant oneTimeCodeExpiresAt,
            Instant lastLoginAt) {
        /** Signed in with a one-time code that has expired (a code works until its expiry, a password for ever). */
        public boolean oneTimeCodeExpired(Instant now) {
            return oneTimeCodeExpiresAt != null && !oneTimeCodeExpiresAt.isAfter(now);
        }

        @Override
        public String toString() {
            return "UserRow[" + username + "]";
        }
    }

    String COLUMNS = "id, username, password_hash, role, site, disabled, failed_logins, locked_until, "
            + "password_change_required, one_time_code_expires_at, last_login_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM app_user WHERE username = :username")
    Optional<UserRow> byUsername(String username);

    @SqlQuery("SELECT " + COLUMNS + " FROM app_user ORDER BY username")
    List<UserRow> all();

    /** Every admin, locked for the rest of the transaction: two admins disabling each other at once must not leave none. */
    @SqlQuery("SELECT " + COLUMNS + " FROM app_user WHERE role = 'admin' ORDER BY id FOR UPDATE")
    List<UserRow> lockAdmins();

    @SqlQuery("SELECT count(*) FROM app_user")
    long count();

    @SqlUpdate("INSERT INTO app_user (username, password_hash, role, site) VALUES (:username, :passwordHash, :role, :site)")
    @GetGeneratedKeys("id")
    long insert(String username, String passwordHash, String role, String site);

    /** Counts one more failed login in the row itself, so failures sent at once are all counted. */
    @SqlQuery("UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = :id RETURNING failed_logins")
    int countFailedLogin(long id);

    @SqlUpdate("UPDATE app_user SET failed_logins = :failedLogins, locked_until = :lockedUntil WHERE id = :id")
    void recordLoginOutcome(long id, int failedLogins, Instant lockedUntil);

    @SqlUpdate("UPDATE app_user SET disabled = :disabled WHERE id = :id")
    void setDisabled(long id, boolean disabled);

    @SqlUpdate("UPDATE app_user SET site = :site WHERE id = :id")
    void setSite(long id, String site);

    @SqlUpdate("UPDATE app_user SET role = :role, site = :site WHERE id = :id")
    void setRole(long id, String role, String site);

    @SqlUpdate("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = :id")
    void unlock(long id);

    /** A one-time code in place of the password: it must be changed at the next sign-in, and works until it expires. */
    @SqlUpdate("""
            UPDATE app_user SET password_hash = :codeHash, password_change_required = TRUE, one_time_code_expires_at = :expiresAt,
                failed_logins = 0, locked_until = NULL
            WHERE id = :id""")
    void setOneTimeCode(long id, String codeHash, Instant expiresAt);

    @SqlUpdate("INSERT INTO app_user (username, password_hash, role, site, password_change_required, one_time_code_expires_at) "
            + "VALUES (:username, :codeHash, :role, :site, TRUE, :expiresAt)")
    @GetGeneratedKeys("id")
    long insertWithOneTimeCode(String username, String codeHash, String role, String site, Instant expiresAt);

    /** The user's own new password: the one-time code, if that was what they had, no longer works. */
    @SqlUpdate("""
            UPDATE app_user SET password_hash = :passwordHash, password_change_required = FALSE, one_time_code_expires_at = NULL
            WHERE id = :id""")
    void setOwnPassword(long id, String passwordHash);
}
