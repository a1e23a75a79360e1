package org.ipstrial.api.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.ipstrial.api.core.design.DesignFile;
import org.ipstrial.api.core.design.DesignInputException;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.diagnostics.DesignDiagnostics;

/**
 * {@code design-diagnostics --design FILE --per-stratum N [--replications R] [--seed S] [--version V]}:
 * simulates the design's sequences and prints their balance and predictability. Needs no secret:
 * the simulated sequences use secrets derived from the seed.
 */
public final class DesignDiagnosticsCommand extends Command {

    static final int MOST_RECRUITS = 1_000_000;
    static final int MOST_REPLICATIONS = 100_000;
    /** Keeps a run to tens of seconds: recruits x replications per scheme. */
    static final long MOST_SIMULATED_ALLOCATIONS = 50_000_000L;

    private final PrintStream out;

    public DesignDiagnosticsCommand() {
        this(System.out);
    }

    DesignDiagnosticsCommand(PrintStream out) {
        super("design-diagnostics", "Simulate a randomisation design: imbalance and predictability per stratum");
        this.out = out;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--design").dest("design").required(true).metavar("FILE")
                .help("the design YAML, e.g. config/randomisation-demo.yml");
        subparser.addArgument("--per-stratum").dest("perStratum").required(true).type(Integer.class).metavar("N")
                .help("expected recruits per stratum");
        subparser.addArgument("--replications").dest("replications").type(Integer.class).setDefault(1000)
                .metavar("R").help("simulated sequences per scheme (default 1000)");
        subparser.addArgument("--seed").dest("seed").type(Long.class).setDefault(1L).metavar("S")
                .help("seed of the simulation, for a reproducible report (default 1)");
        subparser.addArgument("--version").dest("version").type(Integer.class).metavar("V")
                .help("the design version to simulate (default: every version in turn)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        int recruits = namespace.getInt("perStratum");
        int replications = namespace.getInt("replications");
        long seed = namespace.getLong("seed");
        if (recruits < 1 || recruits > MOST_RECRUITS) {
            throw new DesignInputException("--per-stratum: must be 1 to " + MOST_RECRUITS + ", was " + recruits);
        }
        if (replications < 2 || replications > MOST_REPLICATIONS) {
            throw new DesignInputException("--replications: must be 2 to " + MOST_REPLICATIONS + ", was " + replications);
        }
        if ((long) recruits * replications > MOST_SIMULATED_ALLOCATIONS) {
            throw new DesignInputException("--per-stratum x --replications: at most " + MOST_SIMULATED_ALLOCATIONS
                    + " simulated allocations per scheme, asked for " + (long) recruits * replications);
        }
        RandomisationDesign design = DesignFile.read(Path.of(namespace.getString("design")));
        Integer versionNumber = namespace.getInt("version");
        List<DesignVersion> versions;
        if (versionNumber == null) {
            versions = design.versions();
        } else if (versionNumber < 1 || versionNumber > design.versions().size()) {
            throw new DesignInputException("--version: design " + design.name() + " has versions 1 to "
                    + design.versions().size() + ", not " + versionNumber);
        } else {
            versions = List.of(design.version(versionNumber));
        }
        for (int i = 0; i < versions.size(); i++) {
            if (i > 0) {
                out.println();
            }
            out.print(DesignDiagnostics.of(design, versions.get(i), recruits, replications, seed).render());
        }
        out.flush();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandErrors.report(cli, getName(), e);
    }
}
