package org.ipstrial.etl.simulation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code scripts/simulate-trial}: generates a whole simulated trial into a directory.
 *
 * <pre>
 * simulate-trial --config config/simulation-reference.yml --out target/sim [--seed N] [--scale X]
 * </pre>
 *
 * Exit codes: 0 written; 2 bad arguments or configuration (nothing written); 1 the files could
 * not be written. Prints counts only: never an identifier.
 */
public final class SimulateTrialCommand {
    static final String USAGE = """
            usage: simulate-trial --config FILE --out DIRECTORY [--seed N] [--scale X] [--design FILE]
              --config FILE    simulation configuration (config/simulation-reference.yml, config/simulation-small.yml)
              --out DIRECTORY  where to write; must be new, empty, or hold an earlier simulation (its files are replaced)
              --seed N         overrides the configuration's seed
              --scale X        overrides the configuration's scale (1.0 = the reference trial's 9,785 randomised)
              --design FILE    randomises with this design file instead of the configuration's (either kind, e.g.
                               config/randomisation-minimisation-simulation.yml for minimisation)
            Writes participants.csv, baseline.csv, payroll.csv, benefits.csv, survey-<wave>.csv, etl-inputs.json
            (the manifest for the ETL) and truth/ (planted and realised effects, latent outcomes, allocations, flow).""";

    private SimulateTrialCommand() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /**
     * Generates a trial into a directory, for programs (an impact simulation study over many seeds):
     * the same as the command with these options. Returns the manifest's path.
     *
     * @param seed overrides the configuration's seed when not null
     * @param scale overrides the configuration's scale when not null
     * @throws IllegalArgumentException when the directory holds anything but an earlier simulation
     * @throws SimulationConfigException when the configuration cannot be used (nothing is written)
     * @throws UncheckedIOException when the files cannot be written
     */
    public static Path generate(Path config, Long seed, Double scale, Path directory) {
        return generate(config, seed, scale, null, directory);
    }

    /** As {@link #generate(Path, Long, Double, Path)}, randomising with {@code design} when not null. */
    public static Path generate(Path config, Long seed, Double scale, Path design, Path directory) {
        checkDirectory(directory);
        SimulationConfig settings = SimulationConfig.read(config, design);
        settings = settings.with(seed != null ? seed : settings.seed(), scale != null ? scale : settings.scale());
        TrialFiles.write(TrialSimulator.simulate(settings), directory);
        return directory.resolve(TrialFiles.MANIFEST);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        Path directory = null;
        Long seed = null;
        Double scale = null;
        Path design = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value, or is not an option");
                }
                String value = args[++i];
                switch (arg) {
                    case "--config" -> config = Path.of(value);
                    case "--out" -> directory = Path.of(value);
                    case "--seed" -> seed = parseSeed(value);
                    case "--scale" -> scale = parseScale(value);
                    case "--design" -> design = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (config == null || directory == null) {
                throw new IllegalArgumentException("--config and --out are required");
            }
            checkDirectory(directory);
        } catch (IllegalArgumentException e) {
            err.println("simulate-trial: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SimulationConfig settings;
        SimulatedTrial trial;
        try {
            settings = SimulationConfig.read(config, design);
            settings = settings.with(seed != null ? seed : settings.seed(), scale != null ? scale : settings.scale());
            if (settings.testSecret()) {
                err.println("simulate-trial: randomising with the configuration's TEST secret (simulated data only)");
            }
            trial = TrialSimulator.simulate(settings);
        } catch (SimulationConfigException e) {
            err.println("simulate-trial: " + e.getMessage());
            return 2;
        }
        try {
            TrialFiles.Summary summary = TrialFiles.write(trial, directory);
            out.printf(Locale.ROOT, "simulated trial: seed %d, scale %s -> %s%n", settings.seed(), settings.scale(), directory);
            out.printf(Locale.ROOT, "  randomised %d (in the participant file %d: erased people are left out)%n",
                    trial.persons().size(), summary.participants());
            out.printf(Locale.ROOT, "  payroll rows %d, benefit rows %d, survey rows %s, non-participants in provider files %d%n",
                    summary.payrollRows(), summary.benefitRows(), summary.surveyRows(), summary.strangers());
            out.printf(Locale.ROOT, "  manifest %s; planted and realised effects in %s%n", directory.resolve(TrialFiles.MANIFEST),
                    directory.resolve(TrialFiles.EFFECTS));
            return 0;
        } catch (UncheckedIOException e) {
            err.println("simulate-trial: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 1;
        }
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, was '" + value + "'");
        }
    }

    private static double parseScale(String value) {
        try {
            double scale = Double.parseDouble(value);
            if (!(scale > 0 && scale <= 100)) {
                throw new IllegalArgumentException("--scale must be above 0 and at most 100, was " + value);
            }
            return scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale must be a number such as 0.1, was '" + value + "'");
        }
    }

    /** Refuses to write over a directory that holds anything but an earlier simulation. */
    private static void checkDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--out " + directory + " is a file, not a directory");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> listed = entries.toList();
            if (!listed.isEmpty() && !Files.exists(directory.resolve(TrialFiles.MANIFEST))) {
                throw new IllegalArgumentException("--out " + directory
                        + " is not empty and holds no earlier simulation (no " + TrialFiles.MANIFEST + "): choose a new directory");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + directory + " cannot be read: " + e.getMessage());
        }
    }
}
