package org.ipstrial.randomiser;

import java.util.regex.Pattern;

/**
 * The shape of every code in a design (arm codes, factor names, stratum levels). Codes are kept to
 * letters, digits, '_', '-' and '.', so that a stratum key ("A/A-OOW"), a CSV row and the canonical
 * encoding behind the design commitment never need escaping.
 */
final class Codes {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private Codes() {}

    static String require(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        if (!CODE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' is not a code: use letters, digits, '_', '-' or '.', starting with a letter or digit");
        }
        return value;
    }
}
