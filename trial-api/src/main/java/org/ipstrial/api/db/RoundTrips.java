package org.ipstrial.api.db;

import com.codahale.metrics.MetricRegistry;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;

/**
 * Counts the database round trips of each API request (every statement, and every commit) and
 * keeps them as a histogram per endpoint in the admin port's /metrics, under
 * {@code round-trips.<Resource>.<method>}: what a write costs the database, seen in production as
 * in the tests that hold each request to its count. A request is served on one thread, so the
 * count lives in a thread-local between the two filters.
 */
public final class RoundTrips {
    public static final String METRIC_PREFIX = "round-trips.";
    private static final ThreadLocal<int[]> CURRENT = new ThreadLocal<>();

    private RoundTrips() {}

    /** Counts through the Jdbi the service uses, keeping whatever logger and transaction handler it had. */
    public static void count(Jdbi jdbi) {
        SqlLogger existing = jdbi.getConfig(SqlStatements.class).getSqlLogger();
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                add();
                existing.logBeforeExecution(context);
            }

            @Override
            public void logAfterExecution(StatementContext context) {
                existing.logAfterExecution(context);
            }

            @Override
            public void logException(StatementContext context, SQLException ex) {
                existing.logException(context, ex);
            }
        });
        jdbi.setTransactionHandler(new DelegatingTransactionHandler(jdbi.getTransactionHandler()) {
            @Override
            public void commit(Handle handle) {
                // A statement that ended with its own COMMIT left nothing to commit: no round trip then.
                if (transactionOpen(handle)) {
                    add();
                }
                super.commit(handle);
            }
        });
    }

    private static boolean transactionOpen(Handle handle) {
        try {
            return handle.getConnection().unwrap(org.postgresql.core.BaseConnection.class).getTransactionState()
                    != org.postgresql.core.TransactionState.IDLE;
        } catch (SQLException e) {
            return true;
        }
    }

    private static void add() {
        int[] count = CURRENT.get();
        if (count != null) {
            count[0]++;
        }
    }

    /** Starts a request's count before anything else runs (authentication looks up the session). */
    @PreMatching
    @Priority(1)
    public static final class Start implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            CURRENT.set(new int[1]);
        }
    }

    /** Records the count under the endpoint that served the request. */
    public static final class Record implements ContainerResponseFilter {
        private final MetricRegistry metrics;
        @Context
        private ResourceInfo resource;

        public Record(MetricRegistry metrics) {
            this.metrics = metrics;
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            int[] count = CURRENT.get();
            CURRENT.remove();
            if (count == null || resource == null || resource.getResourceMethod() == null) {
                return;
            }
            metrics.histogram(METRIC_PREFIX + resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName())
                    .update(count[0]);
        }
    }
}
