package org.ipstrial.definition;

import java.nio.file.Path;
import org.ipstrial.config.ConfigFile;

/** Reads a trial definition YAML (config/trial-demo.yml) with the project's one configuration reader. */
public final class TrialDefinitionFile {
    private TrialDefinitionFile() {}

    /** The definition, or a ConfigFileException naming the file, line, column and field of every problem. */
    public static TrialDefinition load(Path file) {
        return ConfigFile.of(TrialDefinition.class).read(file);
    }
}
