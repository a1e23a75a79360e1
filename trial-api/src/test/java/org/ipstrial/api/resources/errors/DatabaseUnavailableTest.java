package org.ipstrial.api.resources.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which database errors answer 503 database_unavailable (resend later) rather than 500: during a
 * failover the driver finds no primary (08001), a server going down cuts the session (57P01), and
 * a write that meets a server in recovery is refused as read-only (25006).
 */
class DatabaseUnavailableTest {
    @Test
    void noPrimaryAShutdownOrAServerInRecoveryIsUnavailableNotABug() {
        assertThat(InternalErrorMapper.isDatabaseUnavailable(new SQLException(
                "Could not find a server with specified targetServerType: primary", "08001"))).isTrue();
        assertThat(InternalErrorMapper.isDatabaseUnavailable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(InternalErrorMapper.isDatabaseUnavailable(new IllegalStateException("wrapped",
                new SQLException("cannot execute INSERT in a read-only transaction", "25006")))).isTrue();
        var answer = new InternalErrorMapper().toResponse(new SQLException("read-only", "25006"));
        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void aConstraintViolationIsStillABug() {
        assertThat(InternalErrorMapper.isDatabaseUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(InternalErrorMapper.isDatabaseUnavailable(new SQLException("no state"))).isFalse();
    }

    @Test
    void anIncidentNamesTheSqlStateAndTheSchemaNamesNeverTheValues() {
        // As PostgreSQL sends a unique violation: severity, state, message and detail quoting the value, schema, table, constraint.
        var server = new org.postgresql.util.ServerErrorMessage("SERROR\0C23505\0Mduplicate key value violates unique constraint "
                + "\"recruit_nino_key\"\0DKey (nino)=(QQ123456C) already exists.\0spublic\0trecruit\0nrecruit_nino_key\0");
        String named = InternalErrorMapper.sqlState(new IllegalStateException("wrapped", new org.postgresql.util.PSQLException(server)));
        assertThat(named).isEqualTo(" (SQL state 23505, constraint recruit_nino_key, table recruit)");
        assertThat(named).doesNotContain("QQ123456C");
        assertThat(InternalErrorMapper.sqlState(new SQLException("plain", "40001"))).isEqualTo(" (SQL state 40001)");
        assertThat(InternalErrorMapper.sqlState(new IllegalStateException("no database"))).isEmpty();
        assertThat(InternalErrorMapper.isUnstorableText(new RuntimeException(new SQLException("NUL", "22021")))).isTrue();
        assertThat(InternalErrorMapper.isUnstorableText(new SQLException("dup", "23505"))).isFalse();
    }
}
