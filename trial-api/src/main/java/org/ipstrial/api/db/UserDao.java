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
            int failedLogins, Instant lockedUntil) {
        @Override
        public String toString() {
            return "UserRow[" + username + "]";
        }
    }

    String COLUMNS = "id, username, password_hash, role, site, disabled, failed_logins, locked_until";

    @SqlQuery("SELECT " + COLUMNS + " FROM app_user WHERE username = :username")
    Optional<UserRow> byUsername(String username);

    @SqlQuery("SELECT " + COLUMNS + " FROM app_user ORDER BY username")
    List<UserRow> all();

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

    @SqlUpdate("UPDATE app_user SET password_hash = :passwordHash, failed_logins = 0, locked_until = NULL WHERE id = :id")
    void setPassword(long id, String passwordHash);
}
