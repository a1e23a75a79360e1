package org.ipstrial.etl.link;

import java.util.Arrays;

/**
 * Primitive columns that grow, so ten million linked payroll rows fit in a few hundred megabytes,
 * then a counting sort that groups rows by participant (stable: file order within a person).
 */
final class GrowableColumns {
    private GrowableColumns() {}

    /** A first guess at a file's row count, from its size; growth handles a wrong guess. */
    static int expectedRows(java.nio.file.Path file) {
        try {
            return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024, java.nio.file.Files.size(file) / 60));
        } catch (java.io.IOException e) {
            return 1024;
        }
    }

    static int[] grow(int[] a, int size) {
        return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length + (a.length >> 1)));
    }

    static long[] grow(long[] a, int size) {
        return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length + (a.length >> 1)));
    }

    static byte[] grow(byte[] a, int size) {
        return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length + (a.length >> 1)));
    }

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
