package org.ipstrial.api.core.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.ipstrial.randomiser.RandomisationSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path folder;

    @Test
    void hexWithALineBreakIsRead() throws Exception {
        Path file = Files.writeString(folder.resolve("secret.hex"), HEX + "\n");
        assertThat(SecretFile.read(file)).isEqualTo(RandomisationSecret.fromHex(HEX));
    }

    @Test
    void rawBytesAreRead() throws Exception {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (200 + i);
        }
        Path file = Files.write(folder.resolve("secret.bin"), raw);
        assertThat(SecretFile.read(file)).isEqualTo(new RandomisationSecret(raw));
    }

    @Test
    void aShortSecretIsRefusedWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(folder.resolve("short.hex"), "abcdef0123");
        assertThatThrownBy(() -> SecretFile.read(file))
                .isInstanceOf(DesignInputException.class)
                .hasMessageStartingWith("secret file " + file + ": randomisation secret is too short: it has 5 bytes")
                .hasMessageNotContaining("abcdef0123");
    }

    @Test
    void hexWithAPrefixOrACommentIsRefusedNotTakenAsRawBytes() throws Exception {
        Path prefixed = Files.writeString(folder.resolve("prefixed.hex"), "0x" + HEX + "\n");
        assertThatThrownBy(() -> SecretFile.read(prefixed))
                .hasMessage("secret file " + prefixed + " holds text that is not only hex digits (a 0x prefix or a "
                        + "comment?): write just the 64 hex digits, or 32 raw bytes");
        Path commented = Files.writeString(folder.resolve("commented.hex"), "# trial secret\n" + HEX + "\n");
        assertThatThrownBy(() -> SecretFile.read(commented)).hasMessageContaining("not only hex digits");
    }

    @Test
    void missingAndEmptyFilesAreNamed() throws Exception {
        Path missing = folder.resolve("none");
        assertThatThrownBy(() -> SecretFile.read(missing)).hasMessage("secret file " + missing + " does not exist");
        Path empty = Files.createFile(folder.resolve("empty"));
        assertThatThrownBy(() -> SecretFile.read(empty)).hasMessage("secret file " + empty + " is empty");
        assertThatThrownBy(() -> SecretFile.read(folder)).hasMessage("secret file " + folder + " is a directory");
    }

    @Test
    void aSecretInsideAGitTreeOrReadableByOthersIsWarnedAbout() throws Exception {
        Files.createDirectory(folder.resolve(".git"));
        Path file = Files.writeString(folder.resolve("secret.hex"), HEX);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretFile.warnings(file)).hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("inside the git working tree"))
                .anySatisfy(w -> assertThat(w).contains("chmod 600"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFile.warnings(file)).hasSize(1);
    }
}
