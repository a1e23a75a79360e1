package org.ipstrial.etl.build;

import java.io.PrintStream;
import java.nio.file.Path;
import org.ipstrial.etl.config.ConfigurationException;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.InputFileException;
import org.ipstrial.etl.read.Progress;

/**
 * {@code parse-only --config FILE}: the benchmark's baseline. Reads and parses every input file of a
 * configuration exactly as a build does (same reader, every field of every row taken out) and does
 * nothing else, so a build's time can be compared with the time merely to read its files.
 */
public final class ParseOnlyCommand {
    private ParseOnlyCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err, Progress progress) {
        if (args.length != 2 || !args[0].equals("--config")) {
            err.println("usage: etl parse-only --config FILE");
            return 2;
        }
        try {
            InputFiles inputs = InputFiles.of(ConfigurationLoader.load(Path.of(args[1])));
            long rows = 0;
            long characters = 0;
            for (CsvSource source : inputs.all()) {
                long[] counts = new long[2];
                source.read(progress, c -> {}, row -> {
                    counts[0]++;
                    for (String value : row.rawValues()) {
                        counts[1] += value.strip().length();
                    }
                });
                out.println(source.file().getFileName() + ": " + counts[0] + " rows");
                rows += counts[0];
                characters += counts[1];
            }
            out.println("total: " + rows + " rows, " + characters + " characters of values");
            return 0;
        } catch (ConfigurationException e) {
            err.println("etl parse-only: " + e.getMessage());
            return 2;
        } catch (InputFileException e) {
            err.println("etl parse-only: " + e.getMessage());
            return 1;
        }
    }
}
