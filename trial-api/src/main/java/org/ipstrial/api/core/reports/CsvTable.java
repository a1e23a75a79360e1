package org.ipstrial.api.core.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A report table as a CSV download: the same figures as the JSON, one header row, then the rows. */
public record CsvTable(List<String> header, List<List<Object>> rows) {
    public CsvTable {
        header = List.copyOf(header);
        List<List<Object>> copied = new ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells, the header " + header.size());
            }
            copied.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copied);
    }

    public static Builder builder(String... header) {
        return new Builder(List.of(header));
    }

    public void write(OutputStream out) {
        try {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setNullString("").get());
            printer.printRecord(header);
            for (List<Object> row : rows) {
                printer.printRecord(row.stream().map(CsvTable::cell).toList());
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Numbers as plain decimals (no exponent), rounded to 4 places when not whole. */
    private static Object cell(Object value) {
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : new java.math.BigDecimal(d).setScale(4, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
        }
        return value;
    }

    public static final class Builder {
        private final List<String> header;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(List<String> header) {
            this.header = header;
        }

        public Builder row(Object... cells) {
            List<Object> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(cell);
            }
            rows.add(row);
            return this;
        }

        public CsvTable build() {
            Objects.requireNonNull(header);
            return new CsvTable(header, rows);
        }
    }
}
