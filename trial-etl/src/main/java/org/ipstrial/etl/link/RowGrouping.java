package org.ipstrial.etl.link;

import java.util.Arrays;

/**
 * A counting sort that groups a partition's rows, held in primitive columns, by participant
 * (stable: file order within a person).
 */
final class RowGrouping {
    private RowGrouping() {}

    /** offsets[p]..offsets[p+1] index into the returned order: the rows of participant p. */
    record Grouping(int[] offsets, int[] order) {}

    static Grouping groupBy(int[] person, int size, int people) {
        int[] offsets = new int[people + 1];
        for (int i = 0; i < size; i++) {
            offsets[person[i] + 1]++;
        }
        for (int p = 0; p < people; p++) {
            offsets[p + 1] += offsets[p];
        }
        int[] next = Arrays.copyOf(offsets, people);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[next[person[i]]++] = i;
        }
        return new Grouping(offsets, order);
    }
}
