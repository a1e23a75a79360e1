package org.ipstrial.api.resources.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.concurrent.ThreadLocalRandom;
import org.ipstrial.api.api.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected is a bug: 500, logged with an incident number the user can quote. Database
 * outages are the exception: 503, so a client retries the same request.
 */
public final class InternalErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(InternalErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (isUnstorableText(e)) {
            // A NUL (or a byte the database encoding cannot hold) in some text field: the client's
            // input, refused by PostgreSQL; the transaction was rolled back, nothing was saved.
            return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.of("invalid_characters", "The request contains characters that cannot be stored, "
                            + "such as a NUL character. Remove them and send it again."))
                    .build();
        }
        if (isDatabaseUnavailable(e)) {
            LOG.warn("Database unavailable: {}", e.getClass().getName());
            return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "1")
                    .entity(ErrorBody.of("database_unavailable",
                            "The database is not reachable just now. Try the same request again in a moment."))
                    .build();
        }
        return internalError(e);
    }

    static Response internalError(Throwable e) {
        long incident = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        // Log the type and stack only: exception messages from the database can quote values.
        LOG.error("Incident {}: unexpected {}{}", incident, e.getClass().getName(), sqlState(e), new RedactedTrace(e));
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("internal_error", "Something went wrong on our side (incident " + incident
                        + "). Nothing was saved by this request; please report the incident number."))
                .build();
    }

    /**
     * The SQL state and, for PostgreSQL, the constraint, table and column named by the error: names
     * from the schema, never values, so an operator can tell a broken invariant from a bug.
     */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                StringBuilder out = new StringBuilder(" (SQL state ").append(sql.getSQLState());
                if (sql instanceof org.postgresql.util.PSQLException pg && pg.getServerErrorMessage() != null) {
                    var server = pg.getServerErrorMessage();
                    if (server.getConstraint() != null) {
                        out.append(", constraint ").append(server.getConstraint());
                    }
                    if (server.getTable() != null) {
                        out.append(", table ").append(server.getTable());
                    }
                    if (server.getColumn() != null) {
                        out.append(", column ").append(server.getColumn());
                    }
                    if (server.getRoutine() != null) {
                        out.append(", in ").append(server.getRoutine());
                    }
                }
                return out.append(')').toString();
            }
        }
        return "";
    }

    /** SQL states 22021 (character not in repertoire, e.g. a NUL in text) and 22P05 (untranslatable character). */
    static boolean isUnstorableText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for connection failures anywhere in the cause chain (SQL state class 08, 57P, pool
     * time-outs), and for 25006, a write refused by a server in recovery: a standby reached before
     * or during a failover, which is a database not available for writes, not a bug.
     */
    public static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                        || state.equals("25006"))) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("PoolExhaustedException") || name.endsWith("ConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** The stack of an exception without its messages, which may carry data values. */
    private static final class RedactedTrace extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedTrace(Throwable original) {
            super(original.getClass().getName(), original.getCause() == null ? null : new RedactedTrace(original.getCause()));
            setStackTrace(original.getStackTrace());
        }
    }
}
