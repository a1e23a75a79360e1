package org.ipstrial.etl.read;

import java.util.OptionalLong;

/**
 * Amounts in GBP as providers write them: up to two decimals, an optional leading {@code £},
 * thousands separators in groups of three, and an optional minus sign (an adjustment) before or
 * after the pound sign. Held as whole pence so sums are exact.
 */
public final class Money {
    private Money() {}

    /** Pence, or empty when the text is not an amount in one of the accepted forms. */
    public static OptionalLong parsePence(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String s = text.strip();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        if (i < s.length() && s.charAt(i) == '£') {
            i++;
        }
        if (!negative && i < s.length() && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        long pounds = 0;
        int digitsInGroup = 0;
        int intDigits = 0;
        boolean sawSeparator = false;
        while (i < s.length() && s.charAt(i) != '.') {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                pounds = pounds * 10 + (c - '0');
                digitsInGroup++;
                intDigits++;
                if (intDigits > 15) {
                    return OptionalLong.empty();
                }
            } else if (c == ',') {
                // A separator needs 1-3 digits before the first one and exactly 3 between later ones.
                if (digitsInGroup == 0 || digitsInGroup > 3 || (sawSeparator && digitsInGroup != 3)) {
                    return OptionalLong.empty();
                }
                sawSeparator = true;
                digitsInGroup = 0;
            } else {
                return OptionalLong.empty();
            }
            i++;
        }
        if (intDigits == 0 || (sawSeparator && digitsInGroup != 3)) {
            return OptionalLong.empty();
        }
        long pence = 0;
        if (i < s.length()) {
            i++; // the decimal point
            int decimals = s.length() - i;
            if (decimals < 1 || decimals > 2) {
                return OptionalLong.empty();
            }
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return OptionalLong.empty();
                }
                pence = pence * 10 + (c - '0');
            }
            if (decimals == 1) {
                pence *= 10;
            }
        }
        long total = pounds * 100 + pence;
        return OptionalLong.of(negative ? -total : total);
    }

    /** Pence written as pounds with two decimals, e.g. {@code -12.50}. */
    public static String format(long pence) {
        String sign = pence < 0 ? "-" : "";
        long abs = Math.abs(pence);
        long p = abs % 100;
        return sign + (abs / 100) + "." + (p < 10 ? "0" : "") + p;
    }
}
