package org.ipstrial.etl.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain progress lines, for standard error that is not a terminal. */
class ProgressTest {
    @Test
    void aLineSaysTheShareDoneTheRowsPerSecondAndTheTimeLeft() {
        assertThat(Progress.plainLine("reading payroll.csv", 450, 1000, "310,000 rows/s, 4,500,000 rows", Duration.ofSeconds(45)))
                .isEqualTo("reading payroll.csv: 45% 310,000 rows/s, 4,500,000 rows, 0:00:55 left");
        assertThat(Progress.plainLine("deriving outcomes", 0, 100, "", Duration.ZERO)).isEqualTo("deriving outcomes: 0% time left unknown");
        assertThat(Progress.plainLine("deriving outcomes", 100, 100, "50 rows/s, 100 rows", Duration.ofSeconds(3725)))
                .isEqualTo("deriving outcomes: done, 50 rows/s, 100 rows, in 1:02:05");
    }

    @Test
    void whenNotOnATerminalEachPhaseEndsWithAPlainLineAndNoCarriageReturn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = Progress.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofHours(1));
        try (Progress.Step step = progress.start("reading benefits.csv", 1000)) {
            step.stepTo(400, 12_000);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();

        assertThat(text).doesNotContain("\r");
        assertThat(lines).isNotEmpty().doesNotHaveDuplicates();
        assertThat(lines.get(lines.size() - 1)).matches("reading benefits\\.csv: done, [0-9,]+ rows/s, 12,000 rows, in \\d+:\\d\\d:\\d\\d");
    }
}
