package org.ipstrial.etl.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ipstrial.etl.link.Quarantine;

/** Writes output CSV files: UTF-8 without a byte-order mark, LF line ends, quotes only where needed. */
public final class CsvOutput {
    private CsvOutput() {}

    /**
     * A CSV file written row by row, so a large dataset never has to be held in memory. Values are
     * quoted only when they hold a comma, a quote or a line end (RFC 4180), like CSVPrinter's
     * minimal quoting would, but without its per-character overhead on millions of cells.
     */
    public static final class RowWriter implements AutoCloseable {
        private final Path file;
        private final Writer writer;

        private RowWriter(Path file, Writer writer) {
            this.file = file;
            this.writer = writer;
        }

        public void row(List<String> values) {
            try {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        writer.write(',');
                    }
                    cell(values.get(i));
                }
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        private void cell(String value) throws IOException {
            boolean quote = false;
            for (int i = 0; i < value.length() && !quote; i++) {
                char c = value.charAt(i);
                quote = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            if (!quote) {
                writer.write(value);
                return;
            }
            writer.write('"');
            writer.write(value.replace("\"", "\"\""));
            writer.write('"');
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    public static RowWriter open(Path file, List<String> header, boolean restricted) {
        try {
            Writer w = restricted ? Quarantine.RestrictedFiles.newWriter(file)
                    : new java.io.BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
            RowWriter rows = new RowWriter(file, w);
            rows.row(header);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void write(Path file, List<String> header, Iterable<List<String>> rows, boolean restricted) {
        try (RowWriter writer = open(file, header, restricted)) {
            for (List<String> row : rows) {
                writer.row(row);
            }
        }
    }
}
