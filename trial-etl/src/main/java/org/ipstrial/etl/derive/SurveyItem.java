package org.ipstrial.etl.derive;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One survey item column and its answer range; values outside it are not answers.
 *
 * <p>Most items are answered with whole numbers ({@code decimals} 0). An item answered as people
 * say it, such as {@code hours_per_week} (37.5), allows up to {@code decimals} decimals; its answer
 * is then held as a whole number of {@code 10^-decimals} units (37.5 with two decimals is 3750),
 * exactly, as money is held in pence. {@code min} and {@code max} are always in whole units.
 */
public record SurveyItem(String column, int min, int max, int decimals) {
    public static final int MAX_DECIMALS = 4;

    public SurveyItem {
        Objects.requireNonNull(column, "column");
        if (max < min) {
            throw new IllegalArgumentException("item " + column + " has max below min");
        }
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException("item " + column + " must have 0.." + MAX_DECIMALS + " decimals");
        }
    }

    /** A whole-number item. */
    public SurveyItem(String column, int min, int max) {
        this(column, min, max, 0);
    }

    /** Whether an answer, in the item's units, is inside the range. */
    public boolean inRange(int value) {
        long unit = unit();
        return value >= min * unit && value <= max * unit;
    }

    /** How many of the item's units make one whole: 1 for whole-number items, 100 for two decimals. */
    public long unit() {
        return BigDecimal.ONE.scaleByPowerOfTen(decimals).longValueExact();
    }

    /** An answer written as the dataset holds it: 37.5, 40 (never 40.00), 0.25. */
    public String text(int value) {
        return decimals == 0 ? Integer.toString(value) : BigDecimal.valueOf(value, decimals).stripTrailingZeros().toPlainString();
    }
}
