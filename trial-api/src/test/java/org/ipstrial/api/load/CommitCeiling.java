package org.ipstrial.api.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database itself allows: pgbench with a one-row INSERT per transaction into a scratch
 * table of a scratch database on the same server, at the same concurrency, so the service's
 * throughput is read as a share of the server's commit ceiling. A second script takes a single
 * row lock before its insert, as every randomisation does on the audit chain's head: its ceiling
 * is what any design with one global lock held to commit can reach here. A third takes the row
 * lock of one of the trial's strata, picked as the load picks recruits' strata, then inserts and
 * commits: the shape a randomisation cannot avoid (its stratum's sequence must stay gap-free), so
 * its ceiling is the one the service is measured against.
 */
public final class CommitCeiling {
    /** pgbench's figures for one script. */
    public record Figures(String script, int clients, double transactionsPerSecond, double meanLatencyMillis) {}

    /** The ceiling the design cannot avoid: each randomisation holds its stratum's row lock to commit. */
    public static final String STRATUM_SHAPE = "one-row insert behind its stratum's row lock";

    private CommitCeiling() {}

    public static boolean available() {
        return pgbench().isPresent();
    }

    static Optional<Path> pgbench() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The design's stratum of each made-up placement, in the order of {@link MadeUpPeople#PLACEMENTS}. */
    static List<String> placementStrata() {
        return MadeUpPeople.PLACEMENTS.stream().map(p -> p.site() + "/" + p.trialGroup()).toList();
    }

    public static List<Figures> measure(Cluster cluster, int clients, int seconds) throws Exception {
        Path binary = pgbench().orElseThrow(() -> new IllegalStateException(
                "pgbench not found: install it with  apt-get install -y postgresql-client"));
        try (Connection c = cluster.owner(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'scratch'")) {
                if (!r.next()) {
                    s.execute("CREATE DATABASE scratch");
                }
            }
        }
        String url = "jdbc:postgresql://127.0.0.1:" + cluster.databasePort() + "/scratch";
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS one_row_insert (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(), v INT)");
            s.execute("CREATE TABLE IF NOT EXISTS chain_head (id INT PRIMARY KEY, seq BIGINT NOT NULL)");
            s.execute("INSERT INTO chain_head VALUES (1, 0) ON CONFLICT DO NOTHING");
            // One row per stratum of the trial, and the placements the load draws recruits from,
            // so the script below picks a stratum exactly as often as the service's load does.
            s.execute("CREATE TABLE IF NOT EXISTS stratum_row (stratum TEXT PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS placement (id INT PRIMARY KEY, stratum TEXT NOT NULL)");
            s.execute("TRUNCATE placement");
            List<String> strata = placementStrata();
            for (int i = 0; i < strata.size(); i++) {
                s.execute("INSERT INTO stratum_row VALUES ('" + strata.get(i) + "') ON CONFLICT DO NOTHING");
                s.execute("INSERT INTO placement VALUES (" + (i + 1) + ", '" + strata.get(i) + "')");
            }
        }
        Path folder = cluster.folder();
        Path insert = folder.resolve("pgbench-one-row-insert.sql");
        Files.writeString(insert, "INSERT INTO one_row_insert (v) VALUES (1);\n");
        Path serial = folder.resolve("pgbench-serialised-insert.sql");
        Files.writeString(serial, """
                BEGIN;
                SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE;
                INSERT INTO one_row_insert (v) VALUES (2);
                UPDATE chain_head SET seq = seq + 1 WHERE id = 1;
                COMMIT;
                """);
        Path perStratum = folder.resolve("pgbench-stratum-lock-insert.sql");
        Files.writeString(perStratum, """
                \\set p random(1, %d)
                BEGIN;
                SELECT stratum FROM stratum_row WHERE stratum = (SELECT stratum FROM placement WHERE id = :p) FOR UPDATE;
                INSERT INTO one_row_insert (v) VALUES (3);
                COMMIT;
                """.formatted(placementStrata().size()));
        List<Figures> figures = new ArrayList<>();
        figures.add(run(binary, cluster, insert, "one-row insert", clients, seconds));
        figures.add(run(binary, cluster, serial, "one-row insert behind one global row lock", clients, seconds));
        figures.add(run(binary, cluster, perStratum, STRATUM_SHAPE, clients, seconds));
        return figures;
    }

    private static Figures run(Path binary, Cluster cluster, Path script, String name, int clients, int seconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-n", "-h", "127.0.0.1", "-p", Integer.toString(cluster.databasePort()),
                "-U", "postgres", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Integer.toString(seconds), "-f", script.toString(), "scratch")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        return new Figures(name, clients, number(out, "tps = ([0-9.]+)"), number(out, "latency average = ([0-9.]+) ms"));
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("pgbench output without " + regex + ":\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}
