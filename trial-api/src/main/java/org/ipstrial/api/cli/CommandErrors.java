package org.ipstrial.api.cli;

import io.dropwizard.core.cli.Cli;
import org.ipstrial.api.core.design.DesignInputException;
import org.ipstrial.config.ConfigFileException;

/** How the randomisation commands report failures. */
final class CommandErrors {

    private CommandErrors() {}

    /**
     * A user's input error is printed as one line saying what to fix; anything else is a bug and
     * keeps its stack trace.
     */
    static void report(Cli cli, String command, Throwable error) {
        if (error instanceof DesignInputException || error instanceof ConfigFileException) {
            cli.getStdErr().println(command + ": " + error.getMessage());
        } else {
            error.printStackTrace(cli.getStdErr());
        }
        cli.getStdErr().flush();
    }
}
