package org.ipstrial.api.core.design;

/**
 * A secret file or command argument that cannot be used (a design file that cannot be used is a
 * ConfigFileException). The message names the file,
 * line and field (never a secret's content) and says what to change; the commands print it
 * without a stack trace, because it is the user's to fix, not a bug.
 */
public final class DesignInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DesignInputException(String message) {
        super(message);
    }

    public DesignInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
