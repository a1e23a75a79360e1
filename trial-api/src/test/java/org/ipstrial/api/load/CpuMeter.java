package org.ipstrial.api.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU time spent by the service instances, PostgreSQL (the postmaster and its backends) and the
 * load generator over the timed phase, from /proc (Linux). Unlike latency, CPU per randomisation
 * barely depends on what else the machine runs, so it says where the work is even when the
 * machine is shared.
 */
final class CpuMeter {
    /** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on every Linux built for x86 and arm). */
    private static final double TICKS_PER_SECOND = 100.0;
    private final Cluster cluster;
    private long[] atStart;
    private long[] atEnd;
    private long wallStart;
    private long wallEnd;

    CpuMeter(Cluster cluster) {
        this.cluster = cluster;
    }

    void start() {
        atStart = now();
        wallStart = System.nanoTime();
    }

    void stop() {
        atEnd = now();
        wallEnd = System.nanoTime();
    }

    /** Seconds of CPU in the phase: service instances, PostgreSQL, load generator; and the wall seconds. */
    record Spent(double service, double database, double loadGenerator, double wall) {
        String perRandomisation(long randomisations) {
            double n = Math.max(1, randomisations);
            return String.format(Locale.ROOT, "CPU per randomisation (ms): service instances %.2f, PostgreSQL %.2f, load generator %.2f; "
                    + "cores busy with the three %.2f", 1000 * service / n, 1000 * database / n, 1000 * loadGenerator / n,
                    (service + database + loadGenerator) / Math.max(1e-9, wall));
        }
    }

    Spent spent() {
        if (atStart == null || atEnd == null) {
            return new Spent(0, 0, 0, 0);
        }
        return new Spent((atEnd[0] - atStart[0]) / TICKS_PER_SECOND, (atEnd[1] - atStart[1]) / TICKS_PER_SECOND,
                (atEnd[2] - atStart[2]) / TICKS_PER_SECOND, (wallEnd - wallStart) / 1e9);
    }

    private long[] now() {
        long service = 0;
        for (ServiceInstance instance : cluster.instances()) {
            service += instance.alive() ? ticks(instance.pid(), false) : 0;
        }
        long database = 0;
        long postmaster = postmasterPid(cluster.primaryDataDirectory());
        if (postmaster > 0) {
            // Backends that ended in the phase were reaped by the postmaster: their time is in its cutime and cstime.
            database = ticks(postmaster, true) + ProcessHandle.of(postmaster).map(p -> p.children()
                    .mapToLong(c -> ticks(c.pid(), false)).sum()).orElse(0L);
        }
        return new long[] {service, database, ticks(ProcessHandle.current().pid(), false)};
    }

    private static long postmasterPid(Path dataDirectory) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** utime + stime (and, with {@code children}, the reaped children's) of a process, in ticks; 0 if it is gone. */
    static long ticks(long pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // Fields after the command name (which may hold spaces) in parentheses: field 3 onwards.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return children ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
