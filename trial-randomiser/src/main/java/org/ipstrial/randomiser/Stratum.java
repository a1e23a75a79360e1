package org.ipstrial.randomiser;

import java.util.List;
import java.util.Objects;

/**
 * One stratum: the levels of the stratification factors in the design's factor order, for example
 * {@code [A, A-OOW]} for site A, trial group A-OOW. Each stratum has its own independent sequence
 * of blocks.
 *
 * @param levels one level per stratification factor, in the design's factor order
 */
public record Stratum(List<String> levels) {

    /** Separates levels in {@link #key()}; levels are codes, so never contain it. */
    public static final String SEPARATOR = "/";

    public Stratum {
        Objects.requireNonNull(levels, "stratum levels");
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("stratum levels: a stratum needs at least one level");
        }
        levels = List.copyOf(levels);
        for (int i = 0; i < levels.size(); i++) {
            Codes.require(levels.get(i), "stratum level " + (i + 1));
        }
    }

    public static Stratum of(String... levels) {
        return new Stratum(List.of(levels));
    }

    /** Parses a key written by {@link #key()}, e.g. {@code "A/A-OOW"}. */
    public static Stratum parse(String key) {
        Objects.requireNonNull(key, "stratum key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("stratum key is empty");
        }
        return new Stratum(List.of(key.split(SEPARATOR, -1)));
    }

    /** The levels joined with "/": the stable name stored in the database and hashed by the randomiser. */
    public String key() {
        return String.join(SEPARATOR, levels);
    }

    @Override
    public String toString() {
        return key();
    }
}
