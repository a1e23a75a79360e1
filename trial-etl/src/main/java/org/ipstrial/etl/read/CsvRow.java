package org.ipstrial.etl.read;

import java.util.List;
import org.apache.commons.csv.CSVRecord;

/** One data row of an input file, with its line (record number; the header is line 1). */
public final class CsvRow {
    private final long line;
    private final CSVRecord record;
    private final CsvHeader header;

    CsvRow(long line, CSVRecord record, CsvHeader header) {
        this.line = line;
        this.record = record;
        this.header = header;
    }

    public long line() {
        return line;
    }

    /** Whether the row has as many fields as the header (otherwise its values cannot be trusted). */
    public boolean hasHeaderFieldCount() {
        return record.size() == header.size();
    }

    /** The stripped value of a column, or "" when the column is absent from this file. */
    public String get(String column) {
        int index = header.indexOf(column);
        if (index < 0 || index >= record.size()) {
            return "";
        }
        return record.get(index).strip();
    }

    /** The raw values, as read, for the quarantine. */
    public List<String> rawValues() {
        return record.toList();
    }
}
