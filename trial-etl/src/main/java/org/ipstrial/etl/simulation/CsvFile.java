package org.ipstrial.etl.simulation;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes one CSV file as a provider would send it: RFC 4180 quoting by Commons CSV, UTF-8, with or
 * without a byte-order mark, LF or CRLF line ends.
 */
final class CsvFile implements Closeable {
    /** How a file's bytes are laid out. */
    enum Layout {
        LF(false, "\n"), CRLF(false, "\r\n"), BOM_LF(true, "\n"), BOM_CRLF(true, "\r\n");

        final boolean bom;
        final String lineEnd;

        Layout(boolean bom, String lineEnd) {
            this.bom = bom;
            this.lineEnd = lineEnd;
        }
    }

    private final CSVPrinter printer;
    private int rows;

    private CsvFile(CSVPrinter printer) {
        this.printer = printer;
    }

    static CsvFile create(Path path, Layout layout, List<String> header) {
        try {
            BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            if (layout.bom) {
                writer.write('\uFEFF');
            }
            CSVFormat format = CSVFormat.RFC4180.builder().setRecordSeparator(layout.lineEnd)
                    .setHeader(header.toArray(String[]::new)).get();
            return new CsvFile(new CSVPrinter(writer, format));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    void row(List<?> values) {
        try {
            printer.printRecord(values);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
