package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateTrialCommandTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulateTrialCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesATrialAndSaysWhereWithoutPrintingIdentifiers() throws IOException {
        Path target = temp.resolve("trial");
        assertThat(run("--config", Fixtures.SMALL.toString(), "--out", target.toString(), "--seed", "5", "--scale", "0.02")).isZero();
        assertThat(target.resolve("etl-inputs.json")).exists();
        assertThat(errors()).contains("TEST secret");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("seed 5").contains("randomised");
        String firstId = Files.readAllLines(target.resolve("participants.csv")).get(1).substring(0, 8);
        assertThat(printed + errors()).doesNotContain(firstId);
        // An earlier simulation may be replaced.
        assertThat(run("--config", Fixtures.SMALL.toString(), "--out", target.toString(), "--seed", "5", "--scale", "0.02")).isZero();
    }

    @Test
    void programsCanGenerateATrialAtASeedAndScale() throws IOException {
        Path manifest = SimulateTrialCommand.generate(Fixtures.SMALL, 9L, 0.02, temp.resolve("study"));
        assertThat(manifest).exists().hasFileName("etl-inputs.json");
        assertThat(Files.readString(manifest)).contains("\"seed\" : 9").contains("\"scale\" : 0.02");
    }

    @Test
    void refusesADirectoryHoldingSomethingElse() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "keep me");
        assertThat(run("--config", Fixtures.SMALL.toString(), "--out", temp.toString())).isEqualTo(2);
        assertThat(errors()).contains("not empty");
        assertThat(temp.resolve("participants.csv")).doesNotExist();
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(run("--config", Fixtures.SMALL.toString())).isEqualTo(2);
        assertThat(errors()).contains("--config and --out are required");
        assertThat(run("--config", Fixtures.SMALL.toString(), "--out", temp.resolve("x").toString(), "--scale", "-1")).isEqualTo(2);
        assertThat(run("--via-api", "http://localhost:8080")).isEqualTo(2);
        assertThat(errors()).contains("unknown option --via-api");
        assertThat(run("--help")).isZero();
    }

    @Test
    void aBadConfigurationWritesNothing() throws IOException {
        Path config = temp.resolve("broken.yml");
        Files.writeString(config, "seed: 1\nscale: 0.1\n");
        Path target = temp.resolve("out");
        assertThat(run("--config", config.toString(), "--out", target.toString())).isEqualTo(2);
        assertThat(errors()).contains("trial_definition: is required");
        assertThat(target).doesNotExist();
    }
}
