package org.ipstrial.etl.read;

/**
 * An input file the run cannot use at all (missing, empty, not CSV, a required column absent).
 * The message names the file, and the line or column, and never holds a data value.
 */
public final class InputFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputFileException(String message) {
        super(message);
    }
}
