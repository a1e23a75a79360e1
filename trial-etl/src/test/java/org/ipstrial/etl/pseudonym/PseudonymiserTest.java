package org.ipstrial.etl.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipstrial.identifiers.ParticipantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymiserTest {

    @Test
    void hmacSha256OfTheCanonicalIdentifier() {
        // Reference value computed independently: hmac.new(b"k"*32, b"12345671", sha256).hexdigest() in Python.
        Pseudonymiser p = new Pseudonymiser(PseudonymisationKey.of("k".repeat(32).getBytes(StandardCharsets.UTF_8)));
        assertThat(p.pid(ParticipantId.parse("1234-5671").orElseThrow()))
                .isEqualTo("a6a6415d6d3159533c2a58d30c3c73f902d9c4581c88cb66d1a2a6bb9dfd5415");
    }

    @Test
    void anotherKeyGivesAnotherPseudonym() {
        ParticipantId id = ParticipantId.parse("12345671").orElseThrow();
        String a = new Pseudonymiser(PseudonymisationKey.of("k".repeat(32).getBytes(StandardCharsets.UTF_8))).pid(id);
        String b = new Pseudonymiser(PseudonymisationKey.of("j".repeat(32).getBytes(StandardCharsets.UTF_8))).pid(id);
        assertThat(a).isNotEqualTo(b).hasSize(64);
    }

    @Test
    void keyFileTrailingLineEndIgnoredShortKeysRefusedIdentifierIsNotTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("k");
        Files.writeString(file, "k".repeat(32) + "\n");
        PseudonymisationKey key = PseudonymisationKey.read(file);
        assertThat(key.identifier()).hasSize(8).isEqualTo(PseudonymisationKey.of("k".repeat(32).getBytes(StandardCharsets.UTF_8)).identifier());
        assertThat(key.toString()).doesNotContain("kkkk");
        Files.writeString(file, "short\n");
        assertThatThrownBy(() -> PseudonymisationKey.read(file)).hasMessageContaining("fewer than 32 bytes").hasMessageNotContaining("short\n");
        assertThatThrownBy(() -> PseudonymisationKey.read(dir.resolve("none"))).hasMessageContaining("does not exist");
    }
}
