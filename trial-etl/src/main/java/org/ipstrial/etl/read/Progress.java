package org.ipstrial.etl.read;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of the long steps, shown on standard error (standard output stays clean). */
public interface Progress {

    /** One step with a known amount of work (bytes of a file, participants). */
    interface Step extends AutoCloseable {
        void stepTo(long done);

        @Override
        void close();
    }

    Step start(String task, long total);

    /** No bars at all: tests, and runs whose standard error is a log file. */
    static Progress silent() {
        return (task, total) -> new Step() {
            @Override
            public void stepTo(long done) {}

            @Override
            public void close() {}
        };
    }

    /** Bars drawn with me.tongfei progressbar on standard error. */
    static Progress onStandardError() {
        return (task, total) -> {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(Math.max(total, 1))
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setMaxRenderedLength(100)
                    .continuousUpdate()
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed()
                    .build();
            return new Step() {
                @Override
                public void stepTo(long done) {
                    bar.stepTo(done);
                }

                @Override
                public void close() {
                    bar.stepTo(bar.getMax());
                    bar.close();
                }
            };
        };
    }

}
