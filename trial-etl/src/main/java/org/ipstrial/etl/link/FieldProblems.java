package org.ipstrial.etl.link;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Values the ETL could not read in a row it kept (the row is still used, the value treated as
 * missing): e.g. a survey answer out of range, an unreadable participant date of birth. Counted by
 * source, column and problem for the linkage report; the values themselves are never recorded.
 */
public final class FieldProblems {
    private final TreeMap<String, Long> counts = new TreeMap<>();

    public void add(String source, String column, String problem) {
        counts.merge(source + ": " + column + ": " + problem, 1L, Long::sum);
    }

    public SortedMap<String, Long> counts() {
        return Collections.unmodifiableSortedMap(counts);
    }
}
