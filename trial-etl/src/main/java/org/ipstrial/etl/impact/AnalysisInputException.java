package org.ipstrial.etl.impact;

/**
 * Bad input to the impact analysis: the plan or the dataset. The message names the field, or the
 * file, line and column, so the person who wrote it can fix it; it never quotes an identifier.
 */
public final class AnalysisInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AnalysisInputException(String message) {
        super(message);
    }

    public AnalysisInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
