package org.ipstrial.etl.impact;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark of the whole analysis (read, lock, estimate, write every table and the report) at a
 * given scale: {@code ImpactBenchmark <plan.yml> <participants> <work directory> [runs]}. Writes a
 * planted-effect dataset of that many participants (seed 1) into the work directory (always, so
 * it matches the generator of this build), then runs the analysis {@code runs} times (default 5) in this JVM and prints each
 * run's wall time; the first run includes class loading and JIT warm-up, as a user's single
 * command does (minus JVM start, about 0.1 s).
 */
public final class ImpactBenchmark {
    private ImpactBenchmark() {}

    /** CPU time of the whole process: unlike wall time, it does not grow when other jobs share the cores. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ImpactBenchmark <plan.yml> <participants> <work directory> [runs]");
            System.exit(2);
        }
        Path plan = Path.of(args[0]);
        int participants = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Files.createDirectories(work);
        Path data = work.resolve("analysis-" + participants + ".csv");
        long g = System.nanoTime();
        PlantedEffectTrial.write(data, participants, 1, PlantedEffectTrial.referenceEffects());
        System.out.printf(Locale.ROOT, "generated %s (%d participants, %.1f MB) in %.2f s%n", data, participants,
                Files.size(data) / 1e6, (System.nanoTime() - g) / 1e9);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            ImpactAnalysisRun.run(plan, data, work.resolve("out"), quiet);
            System.out.printf(Locale.ROOT, "run %d: wall %.2f s, CPU %.2f s (all threads)%n", run,
                    (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9);
        }
    }
}
