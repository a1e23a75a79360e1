package org.ipstrial.identifiers;

import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A trial participant identifier: seven digits and a Damm check digit, held in its canonical
 * eight-digit form, so that any single mistyped digit or swap of neighbours is caught when it is
 * read out over the phone. Written forms may carry a hyphen or a space after the fourth digit. The
 * one definition the service (which issues them) and the ETL (which links on them) share.
 */
public record ParticipantId(String digits) implements Comparable<ParticipantId> {

    // The standard weakly totally anti-symmetric quasigroup of order 10 (Damm, 2004): it detects
    // every single-digit error and every transposition of adjacent digits.
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
        Objects.requireNonNull(digits, "digits");
        if (digits.length() != 8 || !allDigits(digits) || checkDigit(digits.substring(0, 7)) != digits.charAt(7) - '0') {
            throw new IllegalArgumentException("not a valid participant identifier");
        }
    }

    /** Reads a written identifier; empty when it is malformed or fails the check digit. */
    public static Optional<ParticipantId> parse(String written) {
        if (written == null) {
            return Optional.empty();
        }
        String s = written.strip();
        if (s.length() == 9 && (s.charAt(4) == '-' || s.charAt(4) == ' ')) {
            s = s.substring(0, 4) + s.substring(5);
        }
        if (s.length() != 8 || !allDigits(s)) {
            return Optional.empty();
        }
        if (checkDigit(s.substring(0, 7)) != s.charAt(7) - '0') {
            return Optional.empty();
        }
        return Optional.of(new ParticipantId(s));
    }

    /** Whether the text is a written identifier whose check digit holds. */
    public static boolean isValid(String written) {
        return parse(written).isPresent();
    }

    /** A new identifier: 7 random digits and their check digit. */
    public static ParticipantId random(RandomGenerator random) {
        String body = String.format("%07d", random.nextInt(10_000_000));
        return new ParticipantId(body + checkDigit(body));
    }

    /** The Damm check digit of a string of digits (0 for a whole identifier). */
    public static int checkDigit(String digits) {
        int interim = 0;
        for (int i = 0; i < digits.length(); i++) {
            interim = DAMM[interim][digits.charAt(i) - '0'];
        }
        return interim;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(ParticipantId other) {
        return digits.compareTo(other.digits);
    }

    @Override
    public String toString() {
        // Never print the identifier itself by accident (logs, exception messages).
        return "ParticipantId[redacted]";
    }
}
