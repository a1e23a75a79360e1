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

    /** The month (1..22) holding day {@code offset} after R (0 = R itself), or 0 when outside months 1..22. */
    public static int monthOf(long offset) {
        if (offset < 0 || offset > MONTHS * 487L / 16 - 1) {
            return 0;
        }
        int m = (int) (offset * 16 / 487) + 1;
        while (m < MONTHS && (long) m * 487 / 16 <= offset) {
            m++;
        }
        while (m > 1 && (long) (m - 1) * 487 / 16 > offset) {
            m--;
        }
        return m;
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
