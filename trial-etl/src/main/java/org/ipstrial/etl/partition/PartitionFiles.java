package org.ipstrial.etl.partition;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.ipstrial.etl.link.PartitionFormat;
import org.ipstrial.etl.link.LinkedRows;

/**
 * The P partition files of one administrative source, in a build's scratch folder, owner-only. The
 * first pass appends each linked row to its participant's file (so each file keeps file order);
 * the second pass reads them back one at a time and deletes each once it is used.
 */
public final class PartitionFiles implements LinkedRows, AutoCloseable {
    private static final int BUFFER = 1 << 15;

    private final String source;
    private final PartitionPlan plan;
    private final Path[] files;
    private final OutputStream[] outputs;
    private final byte[][] buffers;
    private final int[] buffered;
    private final int[] rows;

    private PartitionFiles(String source, PartitionPlan plan) {
        this.source = source;
        this.plan = plan;
        int p = plan.partitions();
        this.files = new Path[p];
        this.outputs = new OutputStream[p];
        this.buffers = new byte[p][];
        this.buffered = new int[p];
        this.rows = new int[p];
    }

    /** Creates {@code <source>-<k>.bin} for every partition k in {@code scratch}. */
    public static PartitionFiles create(ScratchFolder scratch, String source, PartitionPlan plan) {
        PartitionFiles created = new PartitionFiles(source, plan);
        try {
            for (int k = 0; k < plan.partitions(); k++) {
                Path file = scratch.folder().resolve(source + "-" + k + ".bin");
                created.files[k] = file;
                created.outputs[k] = ScratchFolder.posix(file.getParent())
                        ? Files.newOutputStream(Files.createFile(file,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
                        : Files.newOutputStream(file);
                created.buffers[k] = new byte[BUFFER];
            }
            return created;
        } catch (IOException e) {
            created.close();
            throw new UncheckedIOException("cannot create a partition file in " + scratch.folder(), e);
        }
    }

    @Override
    public void add(int participant, ByteBuffer row) {
        int k = plan.partitionOf()[participant];
        if (rows[k] == Integer.MAX_VALUE) {
            throw new IllegalStateException("a partition of " + source + " is full: more partitions are needed (a bug)");
        }
        rows[k]++;
        int length = row.remaining();
        if (buffered[k] + length > BUFFER) {
            flush(k);
        }
        if (length > BUFFER) {
            write(k, row.array(), row.arrayOffset() + row.position(), length);
            return;
        }
        row.get(buffers[k], buffered[k], length);
        buffered[k] += length;
    }

    private void flush(int k) {
        write(k, buffers[k], 0, buffered[k]);
        buffered[k] = 0;
    }

    private void write(int k, byte[] bytes, int from, int length) {
        try {
            outputs[k].write(bytes, from, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the partition file " + files[k], e);
        }
    }

    /** Ends the first pass: every file is complete on disk. */
    public void finishWriting() {
        for (int k = 0; k < outputs.length; k++) {
            flush(k);
            try {
                outputs[k].close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the partition file " + files[k], e);
            }
            outputs[k] = null;
            buffers[k] = null;
        }
    }

    public int partitions() {
        return files.length;
    }

    public int rows(int partition) {
        return rows[partition];
    }

    /** What a partition's rows are read into. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(PartitionFormat.Input in, int rows) throws IOException;
    }

    /** Reads partition k back, checks nothing is left over, and deletes its file. */
    public <T> T readAndDelete(int partition, RowReader<T> reader) {
        Path file = files[partition];
        try {
            T result;
            try (PartitionFormat.Input in = new PartitionFormat.Input(Files.newInputStream(file))) {
                result = reader.read(in, rows[partition]);
                if (!in.atEnd()) {
                    throw new IllegalStateException("partition file " + file.getFileName() + " holds more than its rows (a bug)");
                }
            }
            Files.delete(file);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the partition file " + file, e);
        }
    }

    /** Closes whatever is still open (a failed run); the scratch folder then removes the files. */
    @Override
    public void close() {
        for (int k = 0; k < outputs.length; k++) {
            if (outputs[k] != null) {
                try {
                    outputs[k].close();
                } catch (IOException e) {
                    // Only reached when the run is already failing: its own error is the one to report,
                    // and the scratch folder's removal follows.
                }
                outputs[k] = null;
            }
        }
    }
}
