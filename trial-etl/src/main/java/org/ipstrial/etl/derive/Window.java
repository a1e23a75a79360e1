package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.Objects;

/** A run of calendar days, both ends included. */
public record Window(LocalDate first, LocalDate last) {
    public Window {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("a window cannot end before it starts");
        }
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(first) && !day.isAfter(last);
    }

    /** Censored: the window's last day is after the extract date, so the data cannot cover it. */
    public boolean isCensoredBy(LocalDate extractDate) {
        return last.isAfter(extractDate);
    }
}
