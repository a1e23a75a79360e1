package org.ipstrial.api.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * An online base backup of a running PostgreSQL by its low-level API ({@code pg_backup_start},
 * a file copy of the data directory, {@code pg_backup_stop}), for servers whose own
 * {@code pg_basebackup} is not at hand: the embedded binaries ship only initdb, pg_ctl and
 * postgres, and an older major version's pg_basebackup refuses a newer server. Runs on the
 * database host (it copies files). The copy holds no WAL: it opens only with the WAL from the
 * backup's start to its end, from a WAL archive (point-in-time recovery) or streamed from the
 * primary through a replication slot (a standby). With the server's own tools, the same is
 * {@code pg_basebackup -D TARGET -X none} (or {@code -X stream -R -S SLOT} for a standby).
 */
public final class BaseBackup {
    /** What the server said: the WAL positions that bound the backup. */
    public record Taken(Path target, String startLsn, String stopLsn) {}

    /** Directories whose contents PostgreSQL rebuilds at start, or that belong to the running server only. */
    private static final Set<String> CONTENTS_LEFT_OUT = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Files of the running server (and the embedded library's lock file). */
    private static final Set<String> FILES_LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal");

    private BaseBackup() {}

    /**
     * Copies {@code dataDirectory} of the server that {@code url} reaches (as a superuser or a role
     * with the backup functions) into {@code target}, which must not exist or be empty.
     */
    public static Taken take(String url, String user, String password, Path dataDirectory, Path target) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return take(c, dataDirectory, target);
        } catch (SQLException e) {
            throw new IllegalStateException("Base backup failed: " + e.getMessage(), e);
        }
    }

    public static Taken take(Connection connection, Path dataDirectory, Path target) throws SQLException {
        try {
            Files.createDirectories(target);
            try (var existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("The backup target " + target + " is not empty");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connection.setAutoCommit(true);
        String startLsn;
        // A non-exclusive backup belongs to this session: start, copy and stop on the same connection.
        try (PreparedStatement start = connection.prepareStatement("SELECT pg_backup_start(?, true)::text")) {
            start.setString(1, "trial base backup to " + target.getFileName());
            try (ResultSet r = start.executeQuery()) {
                r.next();
                startLsn = r.getString(1);
            }
        }
        try {
            copyDataDirectory(dataDirectory, target);
        } catch (RuntimeException e) {
            try (var abort = connection.createStatement()) {
                abort.execute("SELECT pg_backup_stop(false)");
            } catch (SQLException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        // With archiving on, this waits until the WAL the backup needs is in the archive.
        try (var stop = connection.createStatement();
                ResultSet r = stop.executeQuery("SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(true)")) {
            r.next();
            String stopLsn = r.getString(1);
            Files.writeString(target.resolve("backup_label"), r.getString(2), StandardCharsets.UTF_8);
            String map = r.getString(3);
            if (map != null && !map.isEmpty()) {
                Files.writeString(target.resolve("tablespace_map"), map, StandardCharsets.UTF_8);
            }
            return new Taken(target, startLsn, stopLsn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code scripts/base-backup}: {@code --data-directory DIR --to NEW_DIR [--url JDBC_URL] [--user OWNER]};
     * the owner's password from {@code TRIAL_DB_OWNER_PASSWORD}.
     */
    public static void main(String[] args) {
        java.util.Map<String, String> a = new java.util.HashMap<>(java.util.Map.of("url", "jdbc:postgresql://127.0.0.1:5432/trial",
                "user", "postgres"));
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (i + 1 >= args.length || !Set.of("url", "user", "data-directory", "to").contains(name)) {
                usage("unexpected argument " + args[i]);
            }
            a.put(name, args[i + 1]);
        }
        if (!a.containsKey("data-directory") || !a.containsKey("to")) {
            usage("--data-directory and --to are needed");
        }
        Path data = Path.of(a.get("data-directory"));
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            usage("--data-directory " + data + " is not a PostgreSQL data directory (no PG_VERSION)");
        }
        String password = System.getenv().getOrDefault("TRIAL_DB_OWNER_PASSWORD", "");
        Taken taken = take(a.get("url"), a.get("user"), password, data, Path.of(a.get("to")));
        System.out.println("Base backup in " + taken.target() + " (WAL from " + taken.startLsn() + " to " + taken.stopLsn()
                + "; it opens only with the archived WAL from at least that range)");
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: base-backup --data-directory DIR --to NEW_DIR [--url JDBC_URL] [--user OWNER]");
        System.exit(2);
    }

    /** A file copy of a live data directory; files that vanish while it runs are left out (WAL replay recreates them). */
    static void copyDataDirectory(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path copy = to.resolve(from.relativize(dir).toString());
                    Files.createDirectories(copy);
                    if (!dir.equals(from) && CONTENTS_LEFT_OUT.contains(dir.getFileName().toString())
                            && dir.getParent().equals(from)) {
                        if (dir.getFileName().toString().equals("pg_wal")) {
                            Files.createDirectories(copy.resolve("archive_status"));
                        }
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (file.getParent().equals(from) && FILES_LEFT_OUT.contains(file.getFileName().toString())) {
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (NoSuchFileException gone) {
                        // dropped by the server during the copy: replay of the backup's WAL accounts for it
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
            // PostgreSQL refuses a data directory that others may read.
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy " + from + " to " + to, e);
        }
    }
}
