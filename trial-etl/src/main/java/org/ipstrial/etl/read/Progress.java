package org.ipstrial.etl.read;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress of the long phases (reading each file, deriving the dataset), on standard error so
 * standard output stays clean: a bar with rows per second and the time left on a terminal, plain
 * lines every few seconds otherwise (a log file, a batch job). Drawn with me.tongfei progressbar.
 */
public interface Progress {

    /** One phase with a known amount of work (bytes of a file, participants). */
    interface Step extends AutoCloseable {
        void stepTo(long done);

        /** The work done and the rows handled so far (rows of a file, rows of the dataset). */
        default void stepTo(long done, long rows) {
            stepTo(done);
        }

        @Override
        void close();
    }

    /** A phase of {@code total} items (participants). */
    Step start(String task, long total);

    /** A phase that reads {@code totalBytes} bytes of a file (bars then count megabytes). */
    default Step startBytes(String task, long totalBytes) {
        return start(task, totalBytes);
    }

    /** No output at all: tests, and runs with {@code ETL_NO_PROGRESS} set. */
    static Progress silent() {
        return (task, total) -> new Step() {
            @Override
            public void stepTo(long done) {}

            @Override
            public void close() {}
        };
    }

    /** A bar when standard error is a terminal, plain lines when it is not. */
    static Progress onStandardError() {
        return standardErrorIsATerminal() ? bars(System.err) : lines(System.err, Duration.ofSeconds(10));
    }

    /** Bars redrawn in place, with rows per second and the time left (from the share of work done). */
    static Progress bars(PrintStream err) {
        return new Drawn(() -> new ProgressBarBuilder()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(150)
                .continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(err)));
    }

    /**
     * One line per {@code interval} and one at the end of each phase, e.g.
     * {@code reading payroll.csv: 45% 310,000 rows/s, 4,500,000 rows, 0:00:12 left}.
     */
    static Progress lines(PrintStream err, Duration interval) {
        return new Drawn(() -> new ProgressBarBuilder()
                .setUpdateIntervalMillis((int) Math.min(Integer.MAX_VALUE, interval.toMillis()))
                .setRenderer(Progress::plainLine)
                .setConsumer(new DelegatingProgressBarConsumer(new Consumer<String>() {
                    private String last = "";

                    @Override
                    public void accept(String line) {
                        // The library renders once more when a phase closes: one "done" line is enough.
                        if (!line.equals(last)) {
                            err.println(line);
                            last = line;
                        }
                    }
                })));
    }

    /** Progress drawn by the library, bytes shown in megabytes. */
    final class Drawn implements Progress {
        private final Supplier<ProgressBarBuilder> builder;

        Drawn(Supplier<ProgressBarBuilder> builder) {
            this.builder = builder;
        }

        @Override
        public Step start(String task, long total) {
            return step(builder.get().setTaskName(task).setInitialMax(Math.max(total, 1)).build());
        }

        @Override
        public Step startBytes(String task, long totalBytes) {
            return step(builder.get().setTaskName(task).setInitialMax(Math.max(totalBytes, 1)).setUnit(" MB", 1 << 20).build());
        }
    }

    static Step step(ProgressBar bar) {
        long started = System.nanoTime();
        return new Step() {
            @Override
            public void stepTo(long done) {
                bar.stepTo(Math.min(done, bar.getMax()));
            }

            @Override
            public void stepTo(long done, long rows) {
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                // Rows per second first: a narrow terminal cuts the end of the line.
                bar.setExtraMessage(String.format(Locale.ROOT, "%,.0f rows/s, %,d rows", rows / seconds, rows));
                stepTo(done);
            }

            @Override
            public void close() {
                bar.stepTo(bar.getMax());
                bar.close();
            }
        };
    }

    /** The plain line of a phase's state. */
    private static String plainLine(ProgressState state, int maxLength) {
        return plainLine(state.getTaskName(), state.getCurrent(), state.getMax(), state.getExtraMessage(), state.getElapsedAfterStart());
    }

    /** Share done, rows and rows per second, and the time left (or, when done, the time taken). */
    static String plainLine(String task, long current, long max, String rows, Duration elapsed) {
        long whole = Math.max(1, max);
        long done = Math.min(current, whole);
        String extra = rows == null || rows.isEmpty() ? "" : " " + rows + ",";
        if (done >= whole) {
            return String.format(Locale.ROOT, "%s: done,%s in %s", task, extra, clock(elapsed));
        }
        String left = done <= 0 ? "time left unknown"
                : clock(Duration.ofMillis((long) (elapsed.toMillis() * (double) (whole - done) / done))) + " left";
        return String.format(Locale.ROOT, "%s: %d%%%s %s", task, done * 100 / whole, extra, left);
    }

    private static String clock(Duration d) {
        long s = d.getSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /**
     * Whether standard error is a terminal. On Linux, from what file descriptor 2 points at; elsewhere,
     * whether the JVM has a console at all.
     */
    private static boolean standardErrorIsATerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
