package org.ipstrial.etl.build;

import java.util.Objects;

/**
 * One column of analysis.csv with its data-dictionary entry.
 *
 * @param type  {@code string}, {@code integer}, {@code decimal} or {@code binary} (0/1)
 * @param codes value codes, e.g. {@code 0=no;1=yes}, or ""
 * @param rule  how the value is derived, in words
 */
public record Variable(String name, String label, String type, String unit, String codes, String rule) {
    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(rule, "rule");
        if (!name.matches("[a-z][a-z0-9_]{0,31}")) {
            // Stata allows 32 characters; R and Stata both accept this form.
            throw new IllegalArgumentException("variable name not accepted by Stata and R: " + name);
        }
    }

    public static final String YES_NO = "0=no;1=yes";
}
