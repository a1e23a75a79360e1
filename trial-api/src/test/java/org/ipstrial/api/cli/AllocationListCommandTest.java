package org.ipstrial.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.AllocationList;
import org.ipstrial.randomiser.DesignCommitment;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocationListCommandTest {

    private static final String DEMO = Path.of("..", "config", "randomisation-demo.yml").toString();
    private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path folder;

    private Path secretFile;

    @BeforeEach
    void writeSecret() throws Exception {
        secretFile = Files.writeString(folder.resolve("secret.hex"), HEX + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    }

    private static CommandRun allocationList(String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "allocation-list";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return CommandRun.run(AllocationListCommand::new, all);
    }

    @Test
    void printsTheCsvOfNSlotsPerStratumAndTheCommitmentApart() {
        CommandRun run = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "30");

        assertThat(run.succeeded()).as(run.err()).isTrue();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1 + 3 * 30);
        assertThat(lines.get(0)).isEqualTo("stratum,sequence,block,block_size,position_in_block,arm");
        RandomisationDesign design = DesignFile.read(Path.of(DEMO));
        RandomisationSecret secret = RandomisationSecret.fromHex(HEX);
        String expected = AllocationList.toCsv(
                AllocationList.forDesign(new PermutedBlockRandomiser(secret), design, design.version(1), 30));
        assertThat(run.out()).isEqualTo(expected);
        // The known-answer vector of the library: the demo design is the reference design.
        assertThat(lines.get(1)).isEqualTo("A/A-OOW,1,0,2,1,treatment");
        assertThat(run.err()).contains("commitment " + DesignCommitment.of(secret, design)).doesNotContain(HEX);
    }

    @Test
    void aRecordedCommitmentIsCheckedBeforeAnythingIsPrinted() {
        RandomisationDesign design = DesignFile.read(Path.of(DEMO));
        String commitment = DesignCommitment.of(RandomisationSecret.fromHex(HEX), design);

        CommandRun matching = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "2",
                "--commitment", commitment);
        assertThat(matching.succeeded()).as(matching.err()).isTrue();
        assertThat(matching.err()).contains("(matches the recorded one)");

        String other = commitment.replace(commitment.charAt(0), commitment.charAt(0) == 'a' ? 'b' : 'a');
        CommandRun mismatching = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count",
                "2", "--commitment", other);
        assertThat(mismatching.succeeded()).isFalse();
        assertThat(mismatching.out()).isEmpty();
        assertThat(mismatching.err()).contains("--commitment: the design and secret do not match the recorded commitment");
    }

    @Test
    void aMissingSecretFileIsOneLineNamingIt() {
        Path missing = folder.resolve("missing.hex");
        CommandRun run = allocationList("--design", DEMO, "--secret-file", missing.toString(), "--count", "5");

        assertThat(run.succeeded()).isFalse();
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("allocation-list: secret file " + missing + " does not exist");
    }

    @Test
    void aShortSecretIsRefusedWithoutQuotingIt() throws Exception {
        Files.writeString(secretFile, "0011223344");
        CommandRun run = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "5");

        assertThat(run.succeeded()).isFalse();
        assertThat(run.err()).contains("randomisation secret is too short").doesNotContain("0011223344");
    }

    @Test
    void aBadDesignNamesFileAndLine() throws Exception {
        Path design = Files.writeString(folder.resolve("bad.yml"),
                Files.readString(Path.of(DEMO)).replace("{size: 4, weight: 2}", "{size: 3, weight: 2}"));
        CommandRun run = allocationList("--design", design.toString(), "--secret-file", secretFile.toString(),
                "--count", "5");

        assertThat(run.succeeded()).isFalse();
        assertThat(run.err()).startsWith("allocation-list: " + design + ": line ")
                .contains("block size 3 is not a multiple of 2");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badCountsAndVersionsAreRefused() {
        CommandRun zero = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "0");
        assertThat(zero.succeeded()).isFalse();
        assertThat(zero.err()).contains("--count: slots per stratum must be 1 to 1000000, was 0");

        CommandRun words = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "ten");
        assertThat(words.succeeded()).isFalse();
        assertThat(words.err()).contains("count");

        CommandRun version = allocationList("--design", DEMO, "--secret-file", secretFile.toString(), "--count", "4",
                "--version", "2");
        assertThat(version.succeeded()).isFalse();
        assertThat(version.err()).contains("--version: design ips-reference-trial has versions 1 to 1, not 2");

        CommandRun missing = allocationList("--design", DEMO, "--count", "4");
        assertThat(missing.succeeded()).isFalse();
        assertThat(missing.err()).contains("--secret-file");
    }
}
