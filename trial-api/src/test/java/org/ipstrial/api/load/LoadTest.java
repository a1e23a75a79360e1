package org.ipstrial.api.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Command line for scripts/load-test and scripts/fault-test. Exit status 0 when every check held. */
public final class LoadTest {
    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        quietLogs();
        Map<String, String> a = new HashMap<>(Map.of("instances", "2", "clients", "32", "randomisations", "2000",
                "time-limit", "300", "seed", Long.toString(System.currentTimeMillis() % 1_000_000), "fault", "none", "pgbench", "10",
                "standby", "none", "warm-up", "0", "design", "blocks"));
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (!a.containsKey(name) && !name.equals("folder")) {
                usage("unknown option --" + name);
            }
            a.put(name, args[++i]);
        }
        Path folder = a.containsKey("folder") ? Path.of(a.get("folder"))
                : Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "trial-load-");
        List<String> designs = switch (a.get("design")) {
            case "blocks" -> List.of(Cluster.DEFAULT_DESIGN);
            case "minimisation" -> List.of(MINIMISATION_DESIGN);
            case "both" -> List.of(Cluster.DEFAULT_DESIGN, MINIMISATION_DESIGN);
            default -> {
                usage("--design must be blocks, minimisation or both, not " + a.get("design"));
                yield List.of();
            }
        };
        // --design both: the same load on each design in turn, each on a fresh database, then side by side.
        List<LoadScenario.Report> reports = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (String design : designs) {
            Path where = designs.size() == 1 ? folder : folder.resolve(design.contains("minimisation") ? "minimisation" : "blocks");
            var options = new LoadScenario.Options(Integer.parseInt(a.get("instances")), Integer.parseInt(a.get("clients")),
                    Integer.parseInt(a.get("randomisations")), Duration.ofSeconds(Long.parseLong(a.get("time-limit"))),
                    Long.parseLong(a.get("seed")), LoadScenario.Fault.valueOf(a.get("fault").toUpperCase(Locale.ROOT).replace('-', '_')),
                    Integer.parseInt(a.get("pgbench")), where, standby(a.get("standby")), Integer.parseInt(a.get("warm-up")), design);
            String before = loadAverage();
            reports.add(LoadScenario.run(options, System.out));
            loads.add("load average before " + before + ", after " + loadAverage());
        }
        if (reports.size() > 1) {
            System.out.println();
            System.out.println("=== Designs side by side (same seed, clients and instances) ===");
            for (int i = 0; i < reports.size(); i++) {
                LoadRun.Result r = reports.get(i).result();
                System.out.printf(Locale.ROOT, "%-46s %7.1f randomisations/s, p50 %.1f ms, p99 %.1f ms, %s; %s%n", designs.get(i),
                        r.throughputPerSecond(), r.percentileMillis(0.50), r.percentileMillis(0.99),
                        reports.get(i).passed() ? "PASS" : "FAIL", loads.get(i));
            }
        }
        System.out.println("(data and instance logs in " + folder + ")");
        System.exit(reports.stream().allMatch(LoadScenario.Report::passed) ? 0 : 1);
    }

    static final String MINIMISATION_DESIGN = "config/randomisation-minimisation-demo.yml";

    /** The 1, 5 and 15 minute load averages (Linux), to say how busy the machine was. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static boolean standby(String value) {
        return switch (value) {
            case "none" -> false;
            case "synchronous" -> true;
            default -> {
                usage("--standby must be none or synchronous, not " + value);
                yield false;
            }
        };
    }

    /** The harness's own libraries (Liquibase, the embedded server) log at DEBUG without a configuration. */
    public static void quietLogs() {
        var root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: load-test [--instances 1..3] [--clients 1..64] [--randomisations N] "
                + "[--time-limit SECONDS] [--seed N] [--fault none|kill-instance|restart-database|kill-primary|kill-standby] [--pgbench SECONDS|0] [--folder DIR] "
                + "[--standby none|synchronous] [--warm-up N] [--design blocks|minimisation|both]");
        System.exit(2);
    }
}
