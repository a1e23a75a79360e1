package org.ipstrial.api.db;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.stream.Stream;

/**
 * Point-in-time recovery with the embedded binaries: a base backup (see {@link BaseBackup}) is
 * copied into a new data directory, told to replay the archived WAL up to a chosen moment, and
 * started; once PostgreSQL has reached the moment it ends recovery and opens for writes on a new
 * timeline. Used by {@code scripts/restore-to-time}; the steps are those of docs/operations.md.
 */
public final class PointInTimeRestore {
    private static final DateTimeFormatter POSTGRES_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /** What to restore: a base backup folder, the WAL archive folder, the moment, and a new data directory. */
    public record Request(Path baseBackup, Path walArchive, OffsetDateTime targetTime, Path into) {
        public Request {
            if (!Files.isRegularFile(baseBackup.resolve("backup_label"))) {
                throw new IllegalArgumentException("--base-backup " + baseBackup + " has no backup_label: not a base backup folder");
            }
            if (!Files.isDirectory(walArchive)) {
                throw new IllegalArgumentException("--wal-archive " + walArchive + " is not a folder");
            }
            if (walArchive.toString().contains("'") || walArchive.toString().contains("\"")) {
                throw new IllegalArgumentException("--wal-archive must not contain quotes: " + walArchive);
            }
            if (Files.exists(into)) {
                try (Stream<Path> inside = Files.list(into)) {
                    if (inside.findAny().isPresent()) {
                        throw new IllegalArgumentException("--into " + into + " is not empty: restore into a new folder");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** What the restored server holds once it is open. */
    public record Restored(EmbeddedDatabase database, long allocations, OffsetDateTime lastAllocationAt, long auditEvents) {}

    private PointInTimeRestore() {}

    /** Restores, waits until recovery has ended, and returns the running server (the caller stops it). */
    public static Restored restore(Request request, Duration patience) {
        prepare(request);
        EmbeddedDatabase database = EmbeddedDatabase.start(request.into(), 0);
        try {
            awaitEndOfRecovery(database, patience);
            try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.ownerUser(), "");
                    Statement s = c.createStatement()) {
                long allocations = single(s, "SELECT count(*) FROM allocation");
                long audit = single(s, "SELECT count(*) FROM audit_event");
                OffsetDateTime last;
                try (ResultSet r = s.executeQuery("SELECT max(allocated_at) FROM allocation")) {
                    r.next();
                    last = r.getObject(1, OffsetDateTime.class);
                }
                return new Restored(database, allocations, last, audit);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                database.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("The restored server is not usable: " + e.getMessage(), e);
        }
    }

    /** The new data directory: the base backup's files, recovery.signal, and the recovery settings. */
    static void prepare(Request request) {
        try {
            copyTree(request.baseBackup(), request.into());
            Files.setPosixFilePermissions(request.into(), PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(request.into().resolve("pg_wal/archive_status"));
            String settings = "\n# point-in-time recovery (PointInTimeRestore)\n"
                    + "restore_command = 'cp \"" + request.walArchive().toAbsolutePath() + "/%f\" \"%p\"'\n"
                    + "recovery_target_time = '" + POSTGRES_TIME.format(request.targetTime()) + "'\n"
                    + "recovery_target_inclusive = on\n"
                    + "recovery_target_action = 'promote'\n"
                    // The restored server must not write into the archive it is reading, nor wait
                    // for the old standby: it starts alone; archiving is turned on again by the operator.
                    + "archive_mode = 'off'\n"
                    + "synchronous_standby_names = ''\n"
                    + "primary_conninfo = ''\n"
                    + "primary_slot_name = ''\n";
            Files.writeString(request.into().resolve("postgresql.auto.conf"), settings, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(request.into().resolve("recovery.signal"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + request.into(), e);
        }
    }

    private static void awaitEndOfRecovery(EmbeddedDatabase database, Duration patience) throws SQLException {
        long deadline = System.nanoTime() + patience.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.ownerUser(), "");
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                r.next();
                if (!r.getBoolean(1)) {
                    return;
                }
            } catch (SQLException e) {
                last = e; // the server stops by itself if the archive ends before the target: see its log
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Recovery did not end within " + patience + " (if the server log says \"recovery ended "
                + "before configured recovery target was reached\", the archive holds no WAL after the target time)"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** {@code scripts/restore-to-time}: restore, report, stop the server, and say what to do next. */
    public static void main(String[] args) throws IOException {
        Path base = null;
        Path archive = null;
        Path into = null;
        OffsetDateTime target = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--base-backup" -> base = Path.of(args[i + 1]);
                case "--wal-archive" -> archive = Path.of(args[i + 1]);
                case "--into" -> into = Path.of(args[i + 1]);
                case "--target-time" -> target = parseTime(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0 || base == null || archive == null || into == null || target == null) {
            usage("all four options are needed");
        }
        PrintStream out = System.out;
        Request request;
        try {
            request = new Request(base, archive, target, into);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        out.println("Restoring " + base + " with WAL from " + archive + " up to " + POSTGRES_TIME.format(target) + " into " + into);
        Restored restored = restore(request, Duration.ofMinutes(30));
        try (EmbeddedDatabase database = restored.database()) {
            out.printf("Recovery ended at the target. The restored database holds %d allocations (the last at %s) and %d audit events.%n",
                    restored.allocations(), restored.lastAllocationAt(), restored.auditEvents());
        }
        out.println("The server is stopped again. Next: point the service's databaseServer.dataDirectory at " + into
                + ", start it, run verify-audit, and POST /api/v1/design/verification with the randomisation secret's backup"
                + " (docs/operations.md, \"Point-in-time recovery\").");
        System.exit(0);
    }

    private static OffsetDateTime parseTime(String text) {
        try {
            return OffsetDateTime.parse(text.trim().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            usage("--target-time must be a moment with its offset, such as 2026-12-03T03:10:00+00:00, not " + text);
            return null;
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: restore-to-time --base-backup DIR --wal-archive DIR --target-time 2026-12-03T03:10:00+00:00 --into NEW_DIR");
        System.exit(2);
    }
}
