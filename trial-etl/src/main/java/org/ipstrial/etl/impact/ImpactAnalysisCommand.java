package org.ipstrial.etl.impact;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Command line of the impact analysis:
 * {@code analyse --plan config/analysis-demo.yml --data analysis.csv --out out/impact}.
 * Exit status 0 on success, 2 on a usage error or bad input (the message says what and where).
 */
public final class ImpactAnalysisCommand {
    static final String USAGE = """
            usage: analyse --plan <analysis-plan.yml> --data <analysis.csv> --out <output directory>
              Reads the plan, locks it (SHA-256 recorded in %s), then reads the outcomes and writes
              impact-table.csv, subgroup-table.csv, balance-table.csv, nonresponse-models.csv and
              impact-report.html, all with small counts suppressed.""".formatted(PlanLock.FILE_NAME);

    private ImpactAnalysisCommand() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!(a.equals("--plan") || a.equals("--data") || a.equals("--out"))) {
                err.println("error: unknown argument '" + a + "'\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("error: " + a + " needs a value\n" + USAGE);
                return 2;
            }
            options.put(a, args[++i]);
        }
        for (String required : new String[] {"--plan", "--data", "--out"}) {
            if (!options.containsKey(required)) {
                err.println("error: " + required + " is required\n" + USAGE);
                return 2;
            }
        }
        try {
            ImpactAnalysisRun.run(Path.of(options.get("--plan")), Path.of(options.get("--data")), Path.of(options.get("--out")), out);
            return 0;
        } catch (AnalysisInputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
