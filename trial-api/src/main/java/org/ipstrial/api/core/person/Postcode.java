package org.ipstrial.api.core.person;

import java.util.Locale;
import java.util.Optional;

/** A UK postcode, normalised to upper case with one space before the inward code ("S1 2AB"). */
public record Postcode(String value) {
    private static final String OUTWARD = "(GIR|[A-Z]{1,2}[0-9][0-9A-Z]?)";
    private static final String INWARD = "([0-9][A-Z]{2})";

    public Postcode {
        if (value == null || !value.matches(OUTWARD + " " + INWARD)) {
            throw new IllegalArgumentException("must be a UK postcode, for example S1 2AB");
        }
    }

    public static Postcode parse(String text) {
        return new Postcode(normalise(text));
    }

    public static String normalise(String text) {
        String compact = text == null ? "" : text.toUpperCase(Locale.ROOT).replaceAll("\\s", "");
        return compact.length() < 5 ? compact : compact.substring(0, compact.length() - 3) + " " + compact.substring(compact.length() - 3);
    }

    public static Optional<String> problem(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Postcode[redacted]";
    }
}
