package org.ipstrial.etl.derive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The distinct calendar days covered by a set of spells: overlapping spells (two employers, two
 * benefits) count each day once. Held as sorted, disjoint, non-adjacent runs of days.
 */
public final class DaySet {
    private final long[] firsts;
    private final long[] lasts;

    private DaySet(long[] firsts, long[] lasts) {
        this.firsts = firsts;
        this.lasts = lasts;
    }

    /** Spells ending before they start cover no day. */
    public static DaySet of(List<Window> spells) {
        List<Window> sorted = new ArrayList<>(spells);
        sorted.sort(Comparator.comparing(Window::first));
        List<long[]> runs = new ArrayList<>();
        for (Window w : sorted) {
            long f = w.first().toEpochDay();
            long l = w.last().toEpochDay();
            if (!runs.isEmpty() && f <= runs.get(runs.size() - 1)[1] + 1) {
                long[] last = runs.get(runs.size() - 1);
                last[1] = Math.max(last[1], l);
            } else {
                runs.add(new long[] {f, l});
            }
        }
        long[] fs = new long[runs.size()];
        long[] ls = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            fs[i] = runs.get(i)[0];
            ls[i] = runs.get(i)[1];
        }
        return new DaySet(fs, ls);
    }

    /** How many days of the window are covered. */
    public long daysWithin(Window window) {
        long from = window.first().toEpochDay();
        long to = window.last().toEpochDay();
        long days = 0;
        for (int i = 0; i < firsts.length; i++) {
            long f = Math.max(firsts[i], from);
            long l = Math.min(lasts[i], to);
            if (f <= l) {
                days += l - f + 1;
            }
        }
        return days;
    }

    public boolean anyWithin(Window window) {
        return daysWithin(window) > 0;
    }
}
