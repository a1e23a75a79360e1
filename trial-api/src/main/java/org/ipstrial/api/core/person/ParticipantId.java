package org.ipstrial.api.core.person;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A participant identifier: 7 digits and a Damm check digit, so that any single mistyped digit or
 * swap of neighbours is caught when it is read out over the phone. Written as 8 digits; a hyphen or
 * space after the fourth digit is accepted on input.
 */
public record ParticipantId(String value) {
    private static final int[][] DAMM = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
    };

    public ParticipantId {
        Objects.requireNonNull(value, "value");
        if (!value.matches("\\d{8}") || dammOf(value) != 0) {
            throw new IllegalArgumentException("not a valid participant identifier (8 digits with a check digit)");
        }
    }

    /** Accepts "12345678", "1234-5678" or "1234 5678". */
    public static ParticipantId parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.matches("\\d{4}[- ]\\d{4}")) {
            t = t.substring(0, 4) + t.substring(5);
        }
        return new ParticipantId(t);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A new identifier: 7 random digits and their check digit. */
    public static ParticipantId random(RandomGenerator random) {
        String body = String.format("%07d", random.nextInt(10_000_000));
        return new ParticipantId(body + dammOf(body));
    }

    /** The Damm check over the digits: 0 for a whole identifier, the check digit for a body. */
    static int dammOf(String digits) {
        int interim = 0;
        for (int i = 0; i < digits.length(); i++) {
            interim = DAMM[interim][digits.charAt(i) - '0'];
        }
        return interim;
    }

    @Override
    public String toString() {
        return value;
    }
}
