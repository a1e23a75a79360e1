package org.ipstrial.api.core.person;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A National Insurance number: two prefix letters, six digits and a suffix A-D. Written in any
 * case and spacing; kept normalised (upper case, no spaces). The rules are those of the ETL
 * contract, so a number the service accepts is one the linkage can use.
 */
public record NationalInsuranceNumber(String value) {
    private static final Set<String> INVALID_PAIRS = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

    public NationalInsuranceNumber {
        Optional<String> problem = problem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    public static NationalInsuranceNumber parse(String text) {
        return new NationalInsuranceNumber(normalise(text));
    }

    public static String normalise(String text) {
        return text == null ? "" : text.toUpperCase(Locale.ROOT).replaceAll("\\s", "");
    }

    /** What is wrong with a normalised number, in words a specialist can act on (never echoing it). */
    public static Optional<String> problem(String n) {
        if (n == null || !n.matches("[A-Z]{2}\\d{6}[A-Z]")) {
            return Optional.of("must be two letters, six digits and a letter A to D, for example QQ 12 34 56 C");
        }
        char first = n.charAt(0);
        char second = n.charAt(1);
        if ("DFIQUV".indexOf(first) >= 0) {
            return Optional.of("cannot start with D, F, I, Q, U or V");
        }
        if ("DFIOQUV".indexOf(second) >= 0) {
            return Optional.of("the second letter cannot be D, F, I, O, Q, U or V");
        }
        if (INVALID_PAIRS.contains(n.substring(0, 2))) {
            return Optional.of("the prefix " + n.substring(0, 2) + " is never issued");
        }
        if ("ABCD".indexOf(n.charAt(8)) < 0) {
            return Optional.of("the last letter must be A, B, C or D");
        }
        return Optional.empty();
    }

    /** The first eight characters: sources differ on the suffix, so people are matched on these. */
    public String matchKey() {
        return value.substring(0, 8);
    }

    @Override
    public String toString() {
        return "NationalInsuranceNumber[redacted]";
    }
}
