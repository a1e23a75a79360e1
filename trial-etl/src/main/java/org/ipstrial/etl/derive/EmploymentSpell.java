package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One employment: its first and last day. A spell whose recorded leaving date is before its start
 * is kept as it is (so it can be counted) but covers no day.
 */
public record EmploymentSpell(LocalDate start, LocalDate end, SpellEnd endKind) {
    public EmploymentSpell {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(endKind, "endKind");
    }

    /** How the end was found. */
    public enum SpellEnd {
        REPORTED,
        INFERRED_FROM_LAST_PAYMENT,
        OPEN_AT_EXTRACT
    }

    public boolean coversAnyDay() {
        return !end.isBefore(start);
    }

    public Window asWindow() {
        return new Window(start, end);
    }
}
