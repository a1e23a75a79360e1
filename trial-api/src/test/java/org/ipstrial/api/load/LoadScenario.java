package org.ipstrial.api.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario end to end: start PostgreSQL and the instances, optionally measure the commit
 * ceiling with pgbench, drive the load (with a fault in the middle if asked), check the database,
 * and report. Used by {@code scripts/load-test}, {@code scripts/fault-test} and the *IT tests.
 */
public final class LoadScenario {
    /** KILL_PRIMARY and KILL_STANDBY need {@code standby}: see {@link DatabaseFailover}. */
    public enum Fault { NONE, KILL_INSTANCE, RESTART_DATABASE, KILL_PRIMARY, KILL_STANDBY }

    /** {@code standby}: a synchronous standby beside the primary (the instances' URL names both). */
    /** {@code warmUp}: randomisations before the timed ones, untimed (the JIT compiles the randomise path meanwhile). */
    /** {@code designFile}: the design the instances run, relative to the repository (blocks by default, or minimisation). */
    public record Options(int instances, int clients, int randomisations, Duration timeLimit, long seed, Fault fault,
            int pgbenchSeconds, Path folder, boolean standby, int warmUp, String designFile) {
        public Options(int instances, int clients, int randomisations, Duration timeLimit, long seed, Fault fault,
                int pgbenchSeconds, Path folder, boolean standby, int warmUp) {
            this(instances, clients, randomisations, timeLimit, seed, fault, pgbenchSeconds, folder, standby, warmUp,
                    Cluster.DEFAULT_DESIGN);
        }

        public Options(int instances, int clients, int randomisations, Duration timeLimit, long seed, Fault fault,
                int pgbenchSeconds, Path folder, boolean standby) {
            this(instances, clients, randomisations, timeLimit, seed, fault, pgbenchSeconds, folder, standby, 0);
        }

        public Options {
            if (instances < 1 || instances > 3) {
                throw new IllegalArgumentException("--instances must be 1 to 3");
            }
            if (fault == Fault.KILL_INSTANCE && instances < 2) {
                throw new IllegalArgumentException("killing an instance needs at least 2 instances to fail over to");
            }
            if ((fault == Fault.KILL_PRIMARY || fault == Fault.KILL_STANDBY) && !standby) {
                throw new IllegalArgumentException("--fault " + fault + " needs --standby synchronous");
            }
        }

        /** One database server, as before the standby existed. */
        public Options(int instances, int clients, int randomisations, Duration timeLimit, long seed, Fault fault,
                int pgbenchSeconds, Path folder) {
            this(instances, clients, randomisations, timeLimit, seed, fault, pgbenchSeconds, folder, false);
        }
    }

    /** Everything a run found. {@code verdictProblems} empty means every check held. */
    public record Report(Options options, LoadRun.Result result, AllocationCheck.Verdict check, List<CommitCeiling.Figures> ceiling,
            Map<String, Double> contention, long contentionSamples, CpuMeter.Spent cpu, List<String> faultNotes, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private LoadScenario() {}

    public static Report run(Options options, PrintStream out) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> faultNotes = new ArrayList<>();
        out.printf("Starting PostgreSQL%s and %d instance(s) in %s (seed %d)%n", options.standby() ? " with a synchronous standby" : "",
                options.instances(), options.folder(), options.seed());
        try (Cluster cluster = Cluster.start(options.folder(), options.instances(), new Cluster.Layout(options.standby(), false),
                options.designFile())) {
            DatabaseFailover failover = new DatabaseFailover(cluster, faultNotes);
            List<CommitCeiling.Figures> ceiling = List.of();
            if (options.pgbenchSeconds() > 0) {
                out.printf("Measuring the commit ceiling with pgbench (%d clients, %d s per script)%n", options.clients(), options.pgbenchSeconds());
                ceiling = CommitCeiling.measure(cluster, options.clients(), options.pgbenchSeconds());
            }
            Runnable fault = switch (options.fault()) {
                case NONE -> null;
                case KILL_INSTANCE -> () -> {
                    ServiceInstance victim = cluster.instances().get(cluster.instances().size() - 1);
                    victim.kill();
                    faultNotes.add("SIGKILL sent to " + victim.name() + " (pid " + victim.pid() + ") after "
                            + options.randomisations() / 3 + " acknowledged allocations");
                };
                case RESTART_DATABASE -> () -> {
                    try {
                        long stopping = System.nanoTime();
                        cluster.stopDatabase();
                        long stopped = System.nanoTime();
                        ServiceInstance.pause(Duration.ofSeconds(2));
                        cluster.startDatabase();
                        faultNotes.add(String.format(Locale.ROOT, "PostgreSQL stopped (fast shutdown, %.1f s) after %d acknowledged "
                                + "allocations, down 2 s, started again (%.1f s down in all)", (stopped - stopping) / 1e9,
                                options.randomisations() / 3, (System.nanoTime() - stopping) / 1e9));
                    } catch (Exception e) {
                        faultNotes.add("database restart failed: " + e);
                    }
                };
                case KILL_PRIMARY -> failover::killPrimaryAndPromote;
                case KILL_STANDBY -> failover::killStandbyAndRestart;
            };
            RoundRobinClient client = new RoundRobinClient(cluster.apiBases(), Duration.ofSeconds(30));
            LoadRun.Result result;
            ContentionSampler sampler = new ContentionSampler(cluster);
            try {
                out.printf("Preparing %d recruits and randomising them with %d clients over %d instance(s)%s%n", options.randomisations(),
                        options.clients(), options.instances(), options.fault() == Fault.NONE ? "" : ", fault: " + options.fault());
                result = new LoadRun(client).run(new LoadRun.Plan(options.clients(), options.randomisations(), options.timeLimit(),
                        options.seed(), Math.max(1, options.randomisations() / 3), fault, sampler, options.warmUp()));
            } finally {
                sampler.close();
            }

            // The service must come back by itself: every surviving instance healthy again.
            for (ServiceInstance instance : cluster.instances()) {
                if (instance.alive() && !awaitHealthy(instance, Duration.ofSeconds(30))) {
                    problems.add(instance.name() + " is not healthy after the run:\n" + instance.logTail());
                }
            }
            if (options.fault() == Fault.KILL_INSTANCE) {
                // Nothing that matters lived in the killed instance: a replacement serves at once.
                ServiceInstance replacement = cluster.startInstance("replacement").awaitHealthy(Duration.ofSeconds(90));
                faultNotes.add("a replacement instance started and is healthy: " + replacement.healthyNow());
            }

            problems.addAll(failover.afterRun(options.fault()));
            AllocationCheck.Verdict verdict = AllocationCheck.run(cluster, cluster.designFile(), result.allAcknowledged());
            problems.addAll(verdict.problems());
            problems.addAll(result.failures().stream().map(f -> "not allocated: " + f).toList());
            faultNotes.stream().filter(n -> n.contains("failed")).forEach(problems::add);
            if (options.fault() != Fault.NONE && faultNotes.isEmpty()) {
                problems.add("the fault was never injected (fewer allocations than planned?)");
            }
            if (verdict.allocations() != result.allAcknowledged().size()) {
                problems.add(verdict.allocations() + " allocations in the database but " + result.allAcknowledged().size()
                        + " acknowledged to clients");
            }
            Map<String, Double> contention = new java.util.TreeMap<>(sampler.meanSessions());
            contention.put("connection pool (all instances) | requests waiting for a connection", sampler.meanPoolWaiting());
            contention.put("connection pool (all instances) | connections lent out", sampler.meanPoolActive());
            Report report = new Report(options, result, verdict, ceiling, contention, sampler.rounds(), sampler.cpu(), faultNotes, problems);
            print(report, out);
            return report;
        }
    }

    private static boolean awaitHealthy(ServiceInstance instance, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (instance.healthyNow()) {
                return true;
            }
            ServiceInstance.pause(Duration.ofMillis(200));
        }
        return false;
    }

    public static void print(Report report, PrintStream out) {
        LoadRun.Result r = report.result();
        Options o = report.options();
        out.println();
        out.println("=== Randomisation under load ===");
        out.printf(Locale.ROOT, "design %s, instances %d, clients %d, planned %d, seed %d, fault %s, database %s%n", o.designFile(),
                o.instances(), o.clients(), o.randomisations(), o.seed(), o.fault(), o.standby() ? "primary + synchronous standby" : "one server");
        out.printf(Locale.ROOT, "acknowledged %d, failed %d, not attempted (time limit) %d, preparation %.1f s, warm-up %d (not timed)%n",
                r.acknowledged().size(), r.failures().size(), r.notRandomised().size(), r.preparationNanos() / 1e9, r.warmedUp().size());
        out.printf(Locale.ROOT, "randomise: %.1f per second over %.2f s; latency ms p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n",
                r.throughputPerSecond(), r.elapsedNanos() / 1e9, r.percentileMillis(0.50), r.percentileMillis(0.95),
                r.percentileMillis(0.99), r.maxMillis());
        out.printf(Locale.ROOT, "retried attempts: connection %d, 502/503/504 %d, time-out %d; requests needing more than one attempt %d%n",
                r.retriedConnection(), r.retried5xx(), r.retriedTimeout(), r.acknowledged().stream().filter(a -> a.attempts() > 1).count());
        out.printf(Locale.ROOT, "other writes while %d clients prepare recruits at once: latency ms p50 / p99:", o.clients());
        for (String step : LoadRun.PREPARATION_STEPS) {
            out.printf(Locale.ROOT, "  %s %.1f / %.1f", step, r.stepPercentileMillis(step, 0.50), r.stepPercentileMillis(step, 0.99));
        }
        out.println();
        for (CommitCeiling.Figures f : report.ceiling()) {
            out.printf(Locale.ROOT, "pgbench %s: %.0f tps at %d clients (mean %.2f ms); service/ceiling = %.3f%n", f.script(),
                    f.transactionsPerSecond(), f.clients(), f.meanLatencyMillis(), r.throughputPerSecond() / f.transactionsPerSecond());
        }
        out.println(report.cpu().perRandomisation(r.acknowledged().size()));
        if (!report.contention().isEmpty()) {
            out.printf(Locale.ROOT, "where the service's database sessions were (%d samples of pg_stat_activity): mean sessions, "
                    + "and mean ms per randomisation by Little's law%n", report.contentionSamples());
            report.contention().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                    out.printf(Locale.ROOT, "  %6.2f  %7.2f ms  %s%n", e.getValue(), 1000 * e.getValue() / Math.max(1e-9, r.throughputPerSecond()),
                            e.getKey()));
        }
        AllocationCheck.Verdict v = report.check();
        out.printf(Locale.ROOT, "database: %d allocations, %d completed blocks, %d audit events; worst running imbalance by stratum %s%n",
                v.allocations(), v.completedBlocks(), v.auditEvents(), v.worstImbalance());
        if (v.minimised()) {
            out.println("minimisation: every arm and seal regenerated from the secret and the recorded levels; every stratum's "
                    + "marginal totals on its lock row equal to the sum of its allocations");
        }
        report.faultNotes().forEach(n -> out.println("fault: " + n));
        if (report.passed() && v.minimised()) {
            out.println("VERDICT: PASS (nobody allocated twice, every arm and seal as the secret gives from the recorded levels, "
                    + "lock-row totals equal to the allocations, audit chain intact, every acknowledged allocation present)");
        } else if (report.passed()) {
            out.println("VERDICT: PASS (nobody allocated twice, completed blocks exact, imbalance within bound, sequence as the "
                    + "secret gives, audit chain intact, every acknowledged allocation present)");
        } else {
            out.println("VERDICT: FAIL");
            report.problems().stream().limit(30).forEach(p -> out.println("  - " + p));
        }
    }
}
