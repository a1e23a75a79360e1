package org.ipstrial.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.DesignCommitment;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code allocation-list} and {@code design-diagnostics} on a minimisation design. */
class MinimisationCommandsTest {

    private static final Path DEMO = Path.of("..", "config", "randomisation-minimisation-demo.yml");
    private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path folder;

    private Path secretFile;

    @BeforeEach
    void writeSecret() throws Exception {
        secretFile = Files.writeString(folder.resolve("secret.hex"), HEX + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    }

    private static CommandRun run(String command, String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = command;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return command.equals("allocation-list") ? CommandRun.run(AllocationListCommand::new, all)
                : CommandRun.run((out, err) -> new DesignDiagnosticsCommand(out), all);
    }

    @Test
    void theListOfAMinimisationDesignIsEachSlotsFirstDrawAsThePythonReferenceGivesIt() {
        MinimisationDesign design = ((DesignFile.Read.Minimisation) DesignFile.readAny(DEMO)).design();
        String commitment = DesignCommitment.of(RandomisationSecret.fromHex(HEX), design);

        CommandRun list = run("allocation-list", "--design", DEMO.toString(), "--secret-file", secretFile.toString(),
                "--count", "3", "--commitment", commitment);

        assertThat(list.succeeded()).as(list.err()).isTrue();
        // First draws below 1,000,000 from the Python reference in docs/randomisation.md; p = 0.8.
        assertThat(list.out()).isEqualTo("""
                stratum,sequence,design_version,first_draw,takes_minimising_arm
                A,1,1,182971,yes
                A,2,1,765556,yes
                A,3,1,69490,yes
                B,1,1,652716,yes
                B,2,1,492191,yes
                B,3,1,790146,yes
                """);
        assertThat(list.err()).contains("design ips-minimised-demo (minimisation), version 1, commitment " + commitment
                + " (matches the recorded one)").doesNotContain(HEX);

        String other = commitment.replace(commitment.charAt(0), commitment.charAt(0) == 'a' ? 'b' : 'a');
        CommandRun mismatching = run("allocation-list", "--design", DEMO.toString(), "--secret-file",
                secretFile.toString(), "--count", "3", "--commitment", other);
        assertThat(mismatching.succeeded()).isFalse();
        assertThat(mismatching.out()).isEmpty();
        assertThat(mismatching.err()).contains("--commitment: the design and secret do not match");
    }

    @Test
    void theDiagnosticsOfTheMinimisationDemoCompareItWithBlocksOnTheSameRecruits() {
        CommandRun report = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "40",
                "--replications", "50", "--seed", "7");

        assertThat(report.succeeded()).as(report.err()).isTrue();
        assertThat(report.out())
                .startsWith("Minimisation diagnostics: ips-minimised-demo, version 1\n"
                        + "50 simulated trials of 40 recruits in each of 2 strata, seed 7;")
                .contains("permuted blocks of sizes 2 (weight 1), 4 (weight 2), 6 (weight 1)")
                .contains("final imbalance, qualification")
                .contains("correct guesses, knowing the totals");
        assertThat(run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "40", "--replications", "50",
                "--seed", "7").out()).as("the same seed gives the same report").isEqualTo(report.out());
        CommandRun custom = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "40",
                "--replications", "20", "--compare-blocks", "4:1");
        assertThat(custom.out()).contains("permuted blocks of sizes 4 (weight 1) within");
        CommandRun weighted = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "40",
                "--replications", "20", "--level-weights", "gender=48:50:2", "--level-weights", "dependent_children=6:4");
        assertThat(weighted.succeeded()).as(weighted.err()).isTrue();
        assertThat(weighted.out()).contains("levels drawn with weights gender 48:50:2, dependent_children 6:4");
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        CommandRun odd = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "10", "--compare-blocks",
                "3:1");
        assertThat(odd.succeeded()).isFalse();
        assertThat(odd.err()).contains("--compare-blocks: block size 3 is not a multiple of 2");
        CommandRun garbled = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "10",
                "--compare-blocks", "four");
        assertThat(garbled.err()).contains("--compare-blocks: 'four' is not SIZE:WEIGHT");
        CommandRun huge = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "10000",
                "--replications", "1000");
        assertThat(huge.err()).contains("at most 5000000 simulated recruits for a minimisation design");
        CommandRun blocks = run("design-diagnostics", "--design", Path.of("..", "config", "randomisation-demo.yml").toString(),
                "--per-stratum", "10", "--compare-blocks", "2:1");
        assertThat(blocks.err()).contains("--compare-blocks: only for a minimisation design");
        CommandRun wrongCount = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "10",
                "--level-weights", "gender=1:2");
        assertThat(wrongCount.succeeded()).isFalse();
        assertThat(wrongCount.err()).contains("--level-weights: gender has 3 levels [1, 2, 3] but 2 weights were given");
        CommandRun garbledWeights = run("design-diagnostics", "--design", DEMO.toString(), "--per-stratum", "10",
                "--level-weights", "gender=1:x:1");
        assertThat(garbledWeights.err()).contains("--level-weights: gender: 'x' is not a whole number");
        CommandRun version = run("allocation-list", "--design", DEMO.toString(), "--secret-file", secretFile.toString(),
                "--count", "3", "--version", "2");
        assertThat(version.err()).contains("--version: design ips-minimised-demo has versions 1 to 1, not 2");
    }
}
