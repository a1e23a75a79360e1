package org.ipstrial.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.Test;

class EtlMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EtlMain.run(args, new PrintStream(out, true), new PrintStream(err, true), Progress.silent());
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("build --config", "trace-request --config", "analyse", "parse-only");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage:");
    }

    @Test
    void analyseRunsTheImpactAnalysis() {
        assertThat(run("analyse")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: analyse --plan");
    }

    @Test
    void aMissingConfigurationFileNamesIt() {
        assertThat(run("build", "--config", "/nowhere/etl.yml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nowhere/etl.yml").contains("does not exist");
    }
}
