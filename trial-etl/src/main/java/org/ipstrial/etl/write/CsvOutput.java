package org.ipstrial.etl.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.etl.link.Quarantine;

/** Writes output CSV files: UTF-8 without a byte-order mark, LF line ends, quotes only where needed. */
public final class CsvOutput {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private CsvOutput() {}

    /** A CSV file written row by row, so a large dataset never has to be held in memory. */
    public static final class RowWriter implements AutoCloseable {
        private final Path file;
        private final CSVPrinter printer;

        private RowWriter(Path file, CSVPrinter printer) {
            this.file = file;
            this.printer = printer;
        }

        public void row(List<String> values) {
            try {
                printer.printRecord(values);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        @Override
        public void close() {
            try {
                printer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    public static RowWriter open(Path file, List<String> header, boolean restricted) {
        try {
            Writer w = restricted ? Quarantine.RestrictedFiles.newWriter(file) : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(w, FORMAT);
            printer.printRecord(header);
            return new RowWriter(file, printer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void write(Path file, List<String> header, Iterable<List<String>> rows, boolean restricted) {
        try (Writer w = restricted ? Quarantine.RestrictedFiles.newWriter(file) : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(w, FORMAT)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
