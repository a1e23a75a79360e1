package org.ipstrial.config;

import java.util.List;

/**
 * A configuration file that cannot be used. The message names the file and, for each problem, the
 * line, column and field a person has to fix, and what was expected and found.
 */
public final class ConfigFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    ConfigFileException(String source, List<String> problems) {
        super(problems.size() == 1 ? source + ": " + problems.get(0)
                : source + ": " + problems.size() + " problem(s):\n  " + source + ": "
                        + String.join("\n  " + source + ": ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem without the file name: {@code line 12, column 5: strata[2].ratio: ...}. */
    public List<String> problems() {
        return problems;
    }
}
