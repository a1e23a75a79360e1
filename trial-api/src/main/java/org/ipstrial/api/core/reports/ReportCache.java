package org.ipstrial.api.core.reports;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The last answer of each report, kept while the data behind it are unchanged.
 *
 * <p>The tables reports read only grow (screening, agreement, allocation, status_event, erasure),
 * except when a recruit is erased, which adds an erasure row. So the row counts of those five
 * tables, read in the same snapshot as the report, change whenever any figure could change; the
 * same counts mean the same rows. A report is recomputed only after a change, and the check costs
 * a few index scans instead of the report's queries (docs/benchmarks.md#report-endpoints-with-100000-participants-issue-4).
 */
public final class ReportCache {
    private static final String STAMP = """
            SELECT (SELECT count(*) FROM allocation) || '/' || (SELECT count(*) FROM screening) || '/'
                || (SELECT count(*) FROM agreement) || '/' || (SELECT count(*) FROM status_event) || '/'
                || (SELECT count(*) FROM erasure)""";

    private record Entry(String stamp, Object value) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The state of the data, read in the caller's snapshot (a repeatable-read transaction). */
    public static String stamp(Handle h) {
        return h.createQuery(STAMP).mapTo(String.class).one();
    }

    /**
     * The cached value of {@code report} (a name plus whatever else the answer depends on: the
     * reader's cut-off, today) for this stamp, or a fresh one computed now in the same snapshot.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String report, String stamp, Supplier<T> compute) {
        Objects.requireNonNull(stamp, "stamp");
        Entry entry = entries.get(report);
        if (entry != null && entry.stamp().equals(stamp)) {
            return (T) entry.value();
        }
        T value = compute.get();
        entries.put(report, new Entry(stamp, value));
        return value;
    }
}
