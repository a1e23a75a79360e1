package org.ipstrial.api.core.definition;

import java.nio.file.Path;

/** A configuration file that cannot be used, with the file, line and field a person has to fix. */
public final class DefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DefinitionException(Path file, int line, String field, String problem) {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    }
}
