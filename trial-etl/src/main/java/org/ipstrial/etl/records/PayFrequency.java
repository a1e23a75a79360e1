package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Optional;

/** The payroll pay frequency codes, each with its pay period. */
public enum PayFrequency {
    W1(7, 0),
    W2(14, 0),
    W4(28, 0),
    M1(0, 1),
    M3(0, 3),
    M6(0, 6),
    MA(0, 12),
    IO(0, 0),
    IR(0, 0);

    private final int days;
    private final int months;

    PayFrequency(int days, int months) {
        this.days = days;
        this.months = months;
    }

    /**
     * The last day covered by a payment made on {@code paymentDate}: one pay period later, minus a
     * day. Calendar months clamp to the month's last day (2019-01-31 plus a month is 2019-02-28).
     * One-off and irregular payments cover their own day only.
     */
    public LocalDate lastDayCovered(LocalDate paymentDate) {
        if (days > 0) {
            return paymentDate.plusDays(days - 1L);
        }
        if (months > 0) {
            return paymentDate.plusMonths(months).minusDays(1);
        }
        return paymentDate;
    }

    /** Length used only to choose between payments on the same last day: the longest period wins. */
    public int approximateDays() {
        return days > 0 ? days : months * 31;
    }

    private static final PayFrequency[] ALL = values();

    public static Optional<PayFrequency> parse(String code) {
        String c = code.strip().toUpperCase(java.util.Locale.ROOT);
        for (PayFrequency f : ALL) {
            if (f.name().equals(c)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
