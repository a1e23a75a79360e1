package org.ipstrial.api.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiFunction;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;

/** Runs one command in-process through Dropwizard's own command line, capturing what it prints. */
record CommandRun(boolean succeeded, String out, String err) {

    static CommandRun run(BiFunction<PrintStream, PrintStream, Command> command, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
        ByteArrayOutputStream cliErr = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Bootstrap<TrialConfiguration> bootstrap = new Bootstrap<>(new TrialApplication());
        bootstrap.addCommand(command.apply(outStream, errStream));
        Cli cli = new Cli(new JarLocation(CommandRun.class), bootstrap, cliOut, cliErr);
        Optional<Throwable> failure = cli.run(arguments);
        return new CommandRun(failure.isEmpty(), out.toString(StandardCharsets.UTF_8) + cliOut.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8) + cliErr.toString(StandardCharsets.UTF_8));
    }
}
