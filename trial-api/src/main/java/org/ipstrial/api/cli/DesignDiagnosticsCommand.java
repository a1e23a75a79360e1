package org.ipstrial.api.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.design.DesignInputException;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.diagnostics.DesignDiagnostics;
import org.ipstrial.randomiser.diagnostics.MinimisationDiagnostics;

/**
 * {@code design-diagnostics --design FILE --per-stratum N [--replications R] [--seed S] [--version V]}:
 * simulates the design's sequences and prints their balance and predictability. Needs no secret:
 * the simulated sequences use secrets derived from the seed. A minimisation design is simulated
 * beside permuted blocks ({@code --compare-blocks}) and simple randomisation on the same recruits.
 */
public final class DesignDiagnosticsCommand extends Command {

    static final int MOST_RECRUITS = 1_000_000;
    static final int MOST_REPLICATIONS = 100_000;
    /** Keeps a run to tens of seconds: recruits x replications per scheme. */
    static final long MOST_SIMULATED_ALLOCATIONS = 50_000_000L;
    /** Minimisation: recruits x strata x replications, each recruit allocated under four schemes. */
    static final long MOST_MINIMISED_RECRUITS = 5_000_000L;

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
        subparser.addArgument("--compare-blocks").dest("compareBlocks").metavar("SIZE:WEIGHT,...")
                .help("minimisation designs: the permuted blocks to compare with (default: 1, 2 and 3 times "
                        + "the ratio's sum, weights 1, 2, 1)");
        subparser.addArgument("--level-weights").dest("levelWeights").action(Arguments.append())
                .metavar("FACTOR=W1:W2:...")
                .help("minimisation designs: draw a factor's levels in proportion to these weights, one per level in "
                        + "order (repeat for several factors; default: equally likely)");
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
        DesignFile.Read read = DesignFile.readAny(Path.of(namespace.getString("design")));
        if (read instanceof DesignFile.Read.Minimisation minimisation) {
            minimisation(minimisation.design(), namespace, recruits, replications, seed);
            return;
        }
        if (namespace.getString("compareBlocks") != null || namespace.getList("levelWeights") != null) {
            throw new DesignInputException((namespace.getString("compareBlocks") != null ? "--compare-blocks" : "--level-weights")
                    + ": only for a minimisation design; design " + read.name() + " is a permuted-block design");
        }
        RandomisationDesign design = ((DesignFile.Read.Blocks) read).design();
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

    private void minimisation(MinimisationDesign design, Namespace namespace, int recruits, int replications, long seed) {
        long simulated = (long) recruits * design.strata().size() * replications;
        if (simulated > MOST_MINIMISED_RECRUITS) {
            throw new DesignInputException("--per-stratum x strata x --replications: at most " + MOST_MINIMISED_RECRUITS
                    + " simulated recruits for a minimisation design (each allocated under four schemes), asked for "
                    + simulated + " (" + design.strata().size() + " strata)");
        }
        Integer versionNumber = namespace.getInt("version");
        List<MinimisationVersion> versions;
        if (versionNumber == null) {
            versions = design.versions();
        } else if (versionNumber < 1 || versionNumber > design.versions().size()) {
            throw new DesignInputException("--version: design " + design.name() + " has versions 1 to "
                    + design.versions().size() + ", not " + versionNumber);
        } else {
            versions = List.of(design.version(versionNumber));
        }
        Map<String, List<Integer>> levelWeights = levelWeights(namespace.getList("levelWeights"));
        for (int i = 0; i < versions.size(); i++) {
            MinimisationVersion version = versions.get(i);
            List<BlockSizeChoice> sizes = comparatorSizes(namespace.getString("compareBlocks"), version);
            if (i > 0) {
                out.println();
            }
            try {
                out.print(MinimisationDiagnostics.of(design, version, recruits, replications, seed, sizes, levelWeights)
                        .render());
            } catch (IllegalArgumentException e) {
                throw new DesignInputException("--level-weights: " + e.getMessage().replaceFirst("^level weights: ", ""));
            }
        }
        out.flush();
    }

    /** Each "FACTOR=W1:W2:..." once. */
    static Map<String, List<Integer>> levelWeights(List<Object> options) {
        Map<String, List<Integer>> weights = new LinkedHashMap<>();
        if (options == null) {
            return weights;
        }
        for (Object option : options) {
            String text = option.toString();
            int equals = text.indexOf('=');
            if (equals < 1) {
                throw new DesignInputException("--level-weights: '" + text + "' is not FACTOR=W1:W2:... (e.g. gender=48:50:2)");
            }
            String factor = text.substring(0, equals).strip();
            List<Integer> levels = new ArrayList<>();
            for (String weight : text.substring(equals + 1).split(":", -1)) {
                try {
                    levels.add(Integer.parseInt(weight.strip()));
                } catch (NumberFormatException e) {
                    throw new DesignInputException("--level-weights: " + factor + ": '" + weight + "' is not a whole number");
                }
            }
            if (weights.put(factor, levels) != null) {
                throw new DesignInputException("--level-weights: " + factor + " is given twice");
            }
        }
        return weights;
    }

    /** "2:1,4:2,6:1", or by default 1, 2 and 3 times the ratio's sum with weights 1, 2, 1. */
    static List<BlockSizeChoice> comparatorSizes(String option, MinimisationVersion version) {
        int sum = version.ratio().sum();
        if (option == null) {
            return List.of(new BlockSizeChoice(sum, 1), new BlockSizeChoice(2 * sum, 2), new BlockSizeChoice(3 * sum, 1));
        }
        List<BlockSizeChoice> sizes = new ArrayList<>();
        for (String item : option.split(",", -1)) {
            String[] parts = item.strip().split(":", -1);
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int size = Integer.parseInt(parts[0].strip());
                int weight = Integer.parseInt(parts[1].strip());
                BlockSizeChoice choice = new BlockSizeChoice(size, weight);
                if (size % sum != 0) {
                    throw new DesignInputException("--compare-blocks: block size " + size + " is not a multiple of "
                            + sum + ", the sum of the ratio " + version.ratio());
                }
                sizes.add(choice);
            } catch (NumberFormatException e) {
                throw new DesignInputException("--compare-blocks: '" + item + "' is not SIZE:WEIGHT (e.g. 2:1,4:2,6:1)");
            } catch (IllegalArgumentException e) {
                throw new DesignInputException("--compare-blocks: " + e.getMessage());
            }
        }
        if (sizes.stream().allMatch(c -> c.weight() == 0)) {
            throw new DesignInputException("--compare-blocks: every weight is zero, so no block size could be drawn");
        }
        return sizes;
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandErrors.report(cli, getName(), e);
    }
}
