package org.ipstrial.config;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.function.Supplier;

/**
 * One thing wrong in a configuration file: where (the path of the field from the top of the file,
 * as names and list indexes) and what. {@link ConfigFile} adds the file, line and column.
 */
public record Problem(List<Object> at, String message) {
    public Problem {
        at = List.copyOf(at);
    }

    /** A problem at a path such as {@code at("strata", 2, "ratio")}. */
    public static Problem at(String message, Object... path) {
        return new Problem(List.of(path), message);
    }

    /** The path as a person writes it: {@code strata[2].ratio}; empty for the whole file. */
    public String field() {
        StringBuilder field = new StringBuilder();
        for (Object segment : at) {
            if (segment instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(segment);
            }
        }
        return field.toString();
    }

    JsonPointer pointer() {
        JsonPointer pointer = JsonPointer.empty();
        for (Object segment : at) {
            pointer = segment instanceof Integer index ? pointer.appendIndex(index) : pointer.appendProperty(segment.toString());
        }
        return pointer;
    }

    /**
     * Builds a domain value whose constructor checks it; its refusal (an IllegalArgumentException)
     * becomes a problem at the given path.
     */
    public static <T> T build(Supplier<T> constructor, Object... path) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Refused(at(e.getMessage(), path));
        }
    }

    /** Thrown while a bound file is turned into domain values; {@link ConfigFile} places it in the file. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public Refused(Problem problem) {
            super(problem.field() + ": " + problem.message(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
