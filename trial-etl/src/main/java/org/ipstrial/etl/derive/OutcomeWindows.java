package org.ipstrial.etl.derive;

import java.time.LocalDate;

/** The outcome year and months counted from the randomisation date R, exactly as the contract says. */
public final class OutcomeWindows {
    public static final int MONTHS = 22;

    private OutcomeWindows() {}

    /** Days R .. R+364. */
    public static Window outcomeYear(LocalDate r) {
        return new Window(r, r.plusDays(364));
    }

    /** Month m covers R + floor((m-1) x 30.4375) .. R + floor(m x 30.4375) - 1. */
    public static Window month(LocalDate r, int m) {
        if (m < 1 || m > MONTHS) {
            throw new IllegalArgumentException("month must be 1.." + MONTHS);
        }
        // 30.4375 = 487/16 exactly, so integer arithmetic gives the floor without rounding error.
        return new Window(r.plusDays((m - 1) * 487L / 16), r.plusDays(m * 487L / 16 - 1));
    }
}
