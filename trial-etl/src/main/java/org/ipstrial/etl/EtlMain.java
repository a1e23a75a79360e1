package org.ipstrial.etl;

import java.io.PrintStream;
import java.util.Arrays;
import org.ipstrial.etl.build.BuildCommand;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.trace.TraceRequestCommand;

/**
 * Entry point of the ETL command line: {@code build}, {@code trace-request} and {@code analyse}.
 * Exit status: 0 done; 1 unusable input (nothing or no complete dataset written); 2 wrong usage or
 * configuration; 3 an unexpected error, which is a bug.
 */
public final class EtlMain {
    private EtlMain() {}

    public static void main(String[] args) {
        // Progress goes to standard error (a bar on a terminal, plain lines otherwise); ETL_NO_PROGRESS=1 turns it off.
        boolean quiet = System.getenv("ETL_NO_PROGRESS") != null;
        System.exit(run(args, System.out, System.err, quiet ? Progress.silent() : Progress.onStandardError()));
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Progress progress) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "build":
                    return BuildCommand.run(rest, out, err, progress);
                case "trace-request":
                    return TraceRequestCommand.run(rest, out, err, progress);
                case "analyse":
                    return org.ipstrial.etl.impact.ImpactAnalysisCommand.run(rest, out, err);
                case "parse-only":
                    return org.ipstrial.etl.build.ParseOnlyCommand.run(rest, out, err, progress);
                case "generate-demo":
                    return org.ipstrial.etl.demo.SyntheticTrialFiles.run(rest, out, err);
                case "-h", "--help", "help":
                    usage(out);
                    return 0;
                default:
                    err.println("etl: unknown command '" + args[0] + "'");
                    usage(err);
                    return 2;
            }
        } catch (RuntimeException e) {
            // Messages of unexpected exceptions may quote data, so only the type and place are shown.
            StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            err.println("etl: internal error (a bug, please report): " + e.getClass().getName() + (where == null ? "" : " at " + where));
            return 3;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: etl build --config FILE");
        s.println("       etl trace-request --config FILE --reference REF");
        s.println("       etl analyse ...");
        s.println("       etl parse-only --config FILE   (benchmark baseline: read and parse the inputs only)");
        s.println("       etl generate-demo --out DIR [--participants N] [--payroll-rows N] [--benefit-spells N] [--seed N]");
    }
}
