package org.ipstrial.randomiser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The allocation list: the first N slots of each stratum's sequence, for the statistician's audit
 * or a sealed backup. The library does no I/O: the CSV goes to any {@link Appendable}.
 */
public final class AllocationList {

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS =
            List.of("stratum", "sequence", "block", "block_size", "position_in_block", "arm");

    private AllocationList() {}

    /** The first {@code count} slots of one stratum, each block drawn under the version the schedule gives it. */
    public static List<Allocation> forStratum(
            PermutedBlockRandomiser randomiser, Stratum stratum, StratumSchedule schedule, int count) {
        Objects.requireNonNull(randomiser, "randomiser");
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(schedule, "schedule");
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, was " + count);
        }
        List<Allocation> slots = new ArrayList<>(count);
        long blockIndex = 0;
        while (slots.size() < count) {
            Block block = randomiser.block(stratum, blockIndex, schedule.versionForBlock(blockIndex));
            for (int position = 1; position <= block.size() && slots.size() < count; position++) {
                slots.add(Allocation.of(block, slots.size() + 1L, position));
            }
            blockIndex++;
        }
        return List.copyOf(slots);
    }

    /** The first {@code countPerStratum} slots of every stratum of the design, all blocks under one version. */
    public static List<Allocation> forDesign(
            PermutedBlockRandomiser randomiser, RandomisationDesign design, DesignVersion version, int countPerStratum) {
        Objects.requireNonNull(design, "design");
        StratumSchedule schedule = StratumSchedule.constant(version);
        List<Allocation> rows = new ArrayList<>();
        for (Stratum stratum : design.strata()) {
            rows.addAll(forStratum(randomiser, stratum, schedule, countPerStratum));
        }
        return List.copyOf(rows);
    }

    /** Writes a header line and one line per slot (RFC 4180, line feed endings). */
    public static void writeCsv(Iterable<Allocation> rows, Appendable out) throws IOException {
        writeCsvHeader(out);
        writeCsvRows(rows, out);
    }

    /** Writes the header line only: for a list written in parts with {@link #writeCsvRows}. */
    public static void writeCsvHeader(Appendable out) throws IOException {
        Objects.requireNonNull(out, "output");
        out.append(String.join(",", COLUMNS)).append('\n');
    }

    /** Writes one line per slot, without the header. */
    public static void writeCsvRows(Iterable<Allocation> rows, Appendable out) throws IOException {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(out, "output");
        for (Allocation row : rows) {
            out.append(field(row.stratum().key())).append(',')
                    .append(Long.toString(row.sequence())).append(',')
                    .append(Long.toString(row.blockIndex())).append(',')
                    .append(Integer.toString(row.blockSize())).append(',')
                    .append(Integer.toString(row.positionInBlock())).append(',')
                    .append(field(row.arm())).append('\n');
        }
    }

    public static String toCsv(Iterable<Allocation> rows) {
        StringBuilder csv = new StringBuilder();
        try {
            writeCsv(rows, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        return csv.toString();
    }

    // Codes never need quoting today; quoting anyway keeps the CSV valid if the code rules relax.
    private static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
