package org.ipstrial.etl.read;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Dates as the providers write them: {@code YYYY-MM-DD} or {@code DD/MM/YYYY}, in any mix; anything
 * else (including impossible days such as 31/02/2019) is rejected. Hand-written rather than a
 * {@code DateTimeFormatter} because ten million rows go through it.
 */
public final class CalendarDates {
    private CalendarDates() {}

    /** The date written, or empty when it is not one of the two accepted forms of a real day. */
    public static Optional<LocalDate> parse(String text) {
        if (text == null || text.length() != 10) {
            return Optional.empty();
        }
        int year;
        int month;
        int day;
        if (text.charAt(4) == '-' && text.charAt(7) == '-') {
            year = digits(text, 0, 4);
            month = digits(text, 5, 7);
            day = digits(text, 8, 10);
        } else if (text.charAt(2) == '/' && text.charAt(5) == '/') {
            day = digits(text, 0, 2);
            month = digits(text, 3, 5);
            year = digits(text, 6, 10);
        } else {
            return Optional.empty();
        }
        if (year < 0 || month < 0 || day < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * For a column that may be blank: blank gives a present empty value, a date gives the date, and
     * anything else gives empty (unreadable, for the caller to reject).
     */
    public static Optional<Optional<LocalDate>> parseOptional(String text) {
        if (text.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        return parse(text).map(Optional::of);
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
