package org.ipstrial.etl.read;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one input file by the contract's rules: UTF-8 with or without a byte-order mark, RFC 4180
 * quoting, LF or CRLF, a header row whose names are case-insensitive. A file that cannot be read as
 * such (missing, empty, binary, not UTF-8, broken quoting, a required column absent, a column twice)
 * stops the run with an {@link InputFileException} naming the file and the line or column.
 */
public final class CsvSource {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private final Path file;
    private final String label;
    private final Set<String> required;
    private final Predicate<String> known;

    /**
     * @param label    what the file is, for messages ("payroll file")
     * @param required columns that must be present
     * @param known    columns the reader uses or expects; others are listed as unknown
     */
    public CsvSource(Path file, String label, Set<String> required, Predicate<String> known) {
        this.file = file;
        this.label = label;
        this.required = Set.copyOf(required);
        this.known = known;
    }

    public Path file() {
        return file;
    }

    /** What a reading pass learnt about the file's columns. */
    public record Columns(CsvHeader header, List<String> unknown) {}

    /** Reads the header only and checks the columns: lets a run stop before it writes anything. */
    public Columns inspect() {
        Columns[] seen = new Columns[1];
        try {
            read(Progress.silent(), c -> {
                seen[0] = c;
                throw new HeaderRead();
            }, row -> {});
        } catch (HeaderRead expected) {
            return seen[0];
        }
        throw new IllegalStateException("header consumer not called");
    }

    private static final class HeaderRead extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeaderRead() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads every data row in file order, handing each to {@code rows}.
     *
     * @return the header and the unknown columns
     */
    public Columns read(Progress progress, Consumer<Columns> onHeader, Consumer<CsvRow> rows) {
        long size;
        InputStream raw;
        try {
            size = Files.size(file);
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InputFileException(label + " " + file + " does not exist");
        } catch (IOException e) {
            throw new InputFileException(label + " " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(raw, 1 << 16));
        long line = 1;
        try (counted; Progress.Step step = progress.startBytes("reading " + file.getFileName(), size)) {
            rejectBinary(counted);
            Reader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
            skipByteOrderMark(reader);
            CSVParser parser = CSVParser.parse(reader, FORMAT);
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new InputFileException(label + " " + file + " is empty: no header row");
            }
            CsvHeader header = new CsvHeader(it.next().toList());
            Columns columns = new Columns(header, checkColumns(header));
            onHeader.accept(columns);
            long count = 0;
            try (RowHandoff handoff = new RowHandoff(rows, file.getFileName().toString())) {
                while (it.hasNext()) {
                    CSVRecord record = it.next();
                    line = record.getRecordNumber();
                    handoff.add(new CsvRow(line, record, header));
                    if ((++count & 0x3FFF) == 0) {
                        step.stepTo(counted.count(), count);
                    }
                }
                handoff.finish();
            }
            step.stepTo(size, count);
            return columns;
        } catch (UncheckedIOException e) {
            throw notReadable(e.getCause(), line);
        } catch (IOException e) {
            throw notReadable(e, line);
        }
    }

    private InputFileException notReadable(IOException cause, long lastGoodLine) {
        // The parser's own message can quote file content, so it is not passed on.
        if (cause instanceof CharacterCodingException) {
            return new InputFileException(label + " " + file + " is not UTF-8 text (after line " + lastGoodLine + ")");
        }
        return new InputFileException(label + " " + file + " is not valid CSV after line " + lastGoodLine
                + " (unbalanced quotes or text after a closing quote)");
    }

    private void rejectBinary(InputStream in) throws IOException {
        in.mark(4096);
        byte[] head = in.readNBytes(4096);
        in.reset();
        for (byte b : head) {
            if (b == 0) {
                throw new InputFileException(label + " " + file + " is not a CSV text file (binary content)");
            }
        }
    }

    private static void skipByteOrderMark(Reader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private List<String> checkColumns(CsvHeader header) {
        Set<String> seen = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < header.names().size(); i++) {
            String name = header.names().get(i);
            if (!seen.add(name)) {
                throw new InputFileException(label + " " + file + ": column '" + name + "' appears more than once in the header");
            }
            if (!required.contains(name) && !known.test(name)) {
                unknown.add(name.isEmpty() ? "(blank name, column " + (i + 1) + ")" : name);
            }
        }
        List<String> missing = required.stream().filter(c -> !header.has(c)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new InputFileException(label + " " + file + ": required column '" + missing.get(0) + "' is missing"
                    + (missing.size() > 1 ? " (also missing: " + String.join(", ", missing.subList(1, missing.size())) + ")" : ""));
        }
        return List.copyOf(unknown);
    }

    /** Counts bytes read so the progress bar can follow the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;
        private long mark;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public synchronized void mark(int readlimit) {
            super.mark(readlimit);
            mark = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = mark;
        }
    }
}
