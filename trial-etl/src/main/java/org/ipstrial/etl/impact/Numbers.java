package org.ipstrial.etl.impact;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Number formatting for the outputs: fixed, locale-free, so re-runs are byte-identical. */
final class Numbers {
    private Numbers() {}

    /** Six decimal places, trailing zeros removed; NaN and infinities as an empty cell. */
    static String csv(double value) {
        if (!Double.isFinite(value)) return "";
        String s = new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    static String csv(int value) {
        return Integer.toString(value);
    }

    /** For the report: a signed figure with a precision that suits its size. */
    static String signed(double value, int decimals) {
        if (!Double.isFinite(value)) return "n/a";
        String s = String.format(Locale.ROOT, "%+." + decimals + "f", value);
        return s.matches("[+-]0(\\.0+)?") ? s.substring(1) : s;
    }

    static String plain(double value, int decimals) {
        if (!Double.isFinite(value)) return "n/a";
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Decimals for an effect on the outcome's own scale (money in pounds, scores to 2 places). */
    static int decimalsFor(double magnitude) {
        double m = Math.abs(magnitude);
        if (m >= 100) return 0;
        if (m >= 1) return 2;
        return 3;
    }
}
