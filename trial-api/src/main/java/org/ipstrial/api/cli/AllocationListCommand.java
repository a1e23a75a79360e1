package org.ipstrial.api.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.design.DesignInputException;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.randomiser.AllocationList;
import org.ipstrial.randomiser.DesignCommitment;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.StratumSchedule;

/**
 * {@code allocation-list --design FILE --secret-file FILE --count N [--version V] [--commitment HEX]}: prints the
 * first N slots of every stratum as CSV on standard output, every block drawn under one design
 * version (1 unless given): the list a statistician audits or seals as a backup. The design's
 * commitment goes to standard error, so standard output is only the CSV. For a minimisation design
 * the list is of each slot's first draw ({@link #MINIMISATION_COLUMNS}).
 */
public final class AllocationListCommand extends Command {

    static final int MOST_SLOTS_PER_STRATUM = 1_000_000;
    /** The columns of a minimisation design's list: each slot's first draw, below 1,000,000. */
    static final List<String> MINIMISATION_COLUMNS =
            List.of("stratum", "sequence", "design_version", "first_draw", "takes_minimising_arm");

    private final PrintStream out;
    private final PrintStream err;

    public AllocationListCommand() {
        this(System.out, System.err);
    }

    AllocationListCommand(PrintStream out, PrintStream err) {
        super("allocation-list", "Print the allocation list (CSV) of a randomisation design for N slots per stratum");
        this.out = out;
        this.err = err;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--design").dest("design").required(true).metavar("FILE")
                .help("the design YAML, e.g. config/randomisation-demo.yml");
        subparser.addArgument("--secret-file").dest("secretFile").required(true).metavar("FILE")
                .help("the randomisation secret: 64 hex digits or 32 raw bytes, kept outside the repository");
        subparser.addArgument("--count").dest("count").required(true).type(Integer.class).metavar("N")
                .help("slots per stratum");
        subparser.addArgument("--commitment").dest("commitment").metavar("HEX")
                .help("the commitment recorded at go-live: print nothing unless design and secret match it");
        subparser.addArgument("--version").dest("version").type(Integer.class).setDefault(1).metavar("V")
                .help("the design version every block is drawn under (default 1, the go-live version)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        int count = namespace.getInt("count");
        if (count < 1 || count > MOST_SLOTS_PER_STRATUM) {
            throw new DesignInputException("--count: slots per stratum must be 1 to " + MOST_SLOTS_PER_STRATUM
                    + ", was " + count);
        }
        DesignFile.Read read = DesignFile.readAny(Path.of(namespace.getString("design")));
        Path secretPath = Path.of(namespace.getString("secretFile"));
        RandomisationSecret secret = SecretFile.read(secretPath);
        SecretFile.warnings(secretPath).forEach(warning -> err.println("warning: " + warning));
        if (read instanceof DesignFile.Read.Minimisation minimisation) {
            minimisationDraws(minimisation.design(), secret, namespace, count);
            return;
        }
        RandomisationDesign design = ((DesignFile.Read.Blocks) read).design();
        int versionNumber = namespace.getInt("version");
        if (versionNumber < 1 || versionNumber > design.versions().size()) {
            throw new DesignInputException("--version: design " + design.name() + " has versions 1 to "
                    + design.versions().size() + ", not " + versionNumber);
        }
        DesignVersion version = design.version(versionNumber);
        String recorded = namespace.getString("commitment");
        if (recorded != null && !DesignCommitment.matches(recorded, secret, design)) {
            throw new DesignInputException("--commitment: the design and secret do not match the recorded commitment "
                    + "(their commitment is " + DesignCommitment.of(secret, design) + "): check that the design "
                    + "file and the secret file are the ones recorded at go-live");
        }
        err.println("design " + design.name() + ", version " + versionNumber + ", commitment "
                + DesignCommitment.of(secret, design) + (recorded == null ? "" : " (matches the recorded one)"));

        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(secret);
        Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        AllocationList.writeCsvHeader(csv);
        for (Stratum stratum : design.strata()) {
            // One stratum at a time, so a long list never sits in memory whole.
            AllocationList.writeCsvRows(
                    AllocationList.forStratum(randomiser, stratum, StratumSchedule.constant(version), count), csv);
        }
        csv.flush();
    }

    /**
     * A minimisation design has no list of arms (each depends on the recruits' levels): the list is
     * of each slot's first draw, which says whether it takes the minimising arm (unless every arm
     * ties). With the recorded levels it regenerates every allocation, like the secret itself.
     */
    private void minimisationDraws(MinimisationDesign design, RandomisationSecret secret, Namespace namespace, int count)
            throws IOException {
        int versionNumber = namespace.getInt("version");
        if (versionNumber < 1 || versionNumber > design.versions().size()) {
            throw new DesignInputException("--version: design " + design.name() + " has versions 1 to "
                    + design.versions().size() + ", not " + versionNumber);
        }
        MinimisationVersion version = design.version(versionNumber);
        String recorded = namespace.getString("commitment");
        if (recorded != null && !DesignCommitment.matches(recorded, secret, design)) {
            throw new DesignInputException("--commitment: the design and secret do not match the recorded commitment "
                    + "(their commitment is " + DesignCommitment.of(secret, design) + "): check that the design "
                    + "file and the secret file are the ones recorded at go-live");
        }
        err.println("design " + design.name() + " (minimisation), version " + versionNumber + ", commitment "
                + DesignCommitment.of(secret, design) + (recorded == null ? "" : " (matches the recorded one)"));
        MinimisationRandomiser randomiser = new MinimisationRandomiser(secret);
        int threshold = version.probabilityInMillionths();
        Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        csv.append(String.join(",", MINIMISATION_COLUMNS)).append('\n');
        for (Stratum stratum : design.strata()) {
            for (long sequence = 1; sequence <= count; sequence++) {
                int draw = randomiser.coin(stratum, sequence, versionNumber);
                csv.append(stratum.key()).append(',').append(Long.toString(sequence)).append(',')
                        .append(Integer.toString(versionNumber)).append(',').append(Integer.toString(draw)).append(',')
                        .append(draw < threshold ? "yes" : "no").append('\n');
            }
        }
        csv.flush();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandErrors.report(cli, getName(), e);
    }
}
