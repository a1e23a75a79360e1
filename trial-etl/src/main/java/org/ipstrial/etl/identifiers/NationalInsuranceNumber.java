package org.ipstrial.etl.identifiers;

import java.util.Objects;
import java.util.Optional;

/**
 * A valid National Insurance number, normalised (upper case, no spaces). Sources disagree on the
 * suffix (present, missing, or once a space), so people are matched on {@link #linkageKey()}: the
 * first eight characters.
 */
public record NationalInsuranceNumber(String normalised) {

    public NationalInsuranceNumber {
        Objects.requireNonNull(normalised, "normalised");
        if (!isValid(normalised)) {
            throw new IllegalArgumentException("not a valid National Insurance number");
        }
    }

    /** Upper case with every whitespace character removed. */
    public static String normalise(String written) {
        if (isNormalised(written)) {
            return written;
        }
        StringBuilder sb = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    private static boolean isNormalised(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || (c >= 'a' && c <= 'z') || c > 127) {
                return false;
            }
        }
        return true;
    }

    /** Empty when the written value, once normalised, is not a valid number. */
    public static Optional<NationalInsuranceNumber> parse(String written) {
        if (written == null) {
            return Optional.empty();
        }
        String n = normalise(written);
        return isValid(n) ? Optional.of(new NationalInsuranceNumber(n)) : Optional.empty();
    }

    /** Two prefix letters, six digits and an optional suffix A-D, with the prefix rules applied. */
    public static boolean isValid(String n) {
        if (n.length() != 8 && n.length() != 9) {
            return false;
        }
        char first = n.charAt(0);
        char second = n.charAt(1);
        if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
            return false;
        }
        if ("DFIQUV".indexOf(first) >= 0 || "DFIOQUV".indexOf(second) >= 0) {
            return false;
        }
        String prefix = n.substring(0, 2);
        switch (prefix) {
            case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
                return false;
            default:
                break;
        }
        for (int i = 2; i < 8; i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return n.length() == 8 || (n.charAt(8) >= 'A' && n.charAt(8) <= 'D');
    }

    /** The first eight characters: what both sides of a linkage are compared on. */
    public String linkageKey() {
        return normalised.substring(0, 8);
    }

    @Override
    public String toString() {
        return "NationalInsuranceNumber[redacted]";
    }
}
