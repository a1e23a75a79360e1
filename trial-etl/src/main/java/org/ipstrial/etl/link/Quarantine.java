package org.ipstrial.etl.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.etl.read.CsvRow;

/**
 * The rejected rows of one input file, with their line and reason, exactly as read. They hold
 * identifiers, so the folder and files are readable by their owner only (where the file system
 * supports POSIX permissions) and the report names them as restricted.
 */
public final class Quarantine implements AutoCloseable {
    private final Path file;
    private CSVPrinter printer;

    private Quarantine(Path file) {
        this.file = file;
    }

    /** Opens {@code folder/name.csv}; the folder is created owner-only. */
    public static Quarantine open(Path folder, String name) {
        RestrictedFiles.createFolder(folder);
        return new Quarantine(folder.resolve(name + ".csv"));
    }

    public Path file() {
        return file;
    }

    /** Writes the header once the input's columns are known. */
    public void start(List<String> inputColumns) {
        try {
            Writer w = RestrictedFiles.newWriter(file);
            List<String> header = new ArrayList<>();
            header.add("line");
            header.add("reason");
            header.addAll(inputColumns);
            printer = new CSVPrinter(w, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get());
            printer.printRecord(header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write quarantine file " + file, e);
        }
    }

    public void add(CsvRow row, String reason) {
        try {
            List<String> values = new ArrayList<>();
            values.add(Long.toString(row.line()));
            values.add(reason);
            values.addAll(row.rawValues());
            printer.printRecord(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write quarantine file " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            if (printer == null) {
                start(List.of());
            }
            printer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close quarantine file " + file, e);
        }
    }

    /** Owner-only folders and files for anything holding identifiers. */
    public static final class RestrictedFiles {
        private RestrictedFiles() {}

        public static void createFolder(Path folder) {
            try {
                Files.createDirectories(folder);
                if (supportsPosix(folder)) {
                    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create restricted folder " + folder, e);
            }
        }

        public static Writer newWriter(Path file) throws IOException {
            Files.deleteIfExists(file);
            if (supportsPosix(file.getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        private static boolean supportsPosix(Path p) {
            return p.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }
}
