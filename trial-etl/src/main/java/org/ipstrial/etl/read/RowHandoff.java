package org.ipstrial.etl.read;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Hands parsed rows, in batches and in file order, to a second thread that runs the row consumer
 * (validation and linkage), so that on two cores parsing and linking overlap. The consumer still
 * sees every row once, in order, on one thread, so results do not depend on timing. A failure in
 * the consumer is rethrown on the reading thread.
 */
final class RowHandoff implements AutoCloseable {
    private static final int BATCH = 2048;
    private static final List<CsvRow> END = List.of();

    private final BlockingQueue<List<CsvRow>> queue = new ArrayBlockingQueue<>(8);
    private final Thread worker;
    private volatile Throwable failure;
    private List<CsvRow> batch = new ArrayList<>(BATCH);
    private boolean ended;

    RowHandoff(Consumer<CsvRow> rows, String name) {
        worker = new Thread(() -> {
            try {
                while (true) {
                    List<CsvRow> next = queue.take();
                    if (next == END) {
                        return;
                    }
                    if (failure == null) {
                        try {
                            next.forEach(rows);
                        } catch (RuntimeException | Error e) {
                            // Keep taking batches so the reading thread never blocks on a full queue.
                            failure = e;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "linking " + name);
        worker.setDaemon(true);
        worker.start();
    }

    void add(CsvRow row) {
        batch.add(row);
        if (batch.size() == BATCH) {
            send();
        }
    }

    private void send() {
        rethrow();
        put(batch);
        batch = new ArrayList<>(BATCH);
    }

    private void put(List<CsvRow> rows) {
        try {
            queue.put(rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        }
    }

    private void rethrow() {
        Throwable f = failure;
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
    }

    /** Sends the last rows and waits until the consumer has seen every row. */
    void finish() {
        if (!batch.isEmpty()) {
            send();
        }
        end();
        rethrow();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        }
    }

    @Override
    public void close() {
        end();
    }
}
