package org.ipstrial.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two options of the partitioned build: where temporary files go and the memory budget. */
class PartitionOptionsTest {
    @TempDir
    Path dir;

    private EtlConfiguration load(String options) throws IOException {
        Path p = dir.resolve("etl.yml");
        Files.writeString(p, ConfigurationLoaderTest.VALID + options);
        return ConfigurationLoader.load(p);
    }

    @Test
    void defaultsAreTheRestrictedOutputFolderAnd256Megabytes() throws IOException {
        EtlConfiguration c = load("");
        assertThat(c.scratchFolder()).isEqualTo(dir.resolve("out/restricted/scratch"));
        assertThat(c.memoryBudgetMegabytes()).isEqualTo(256);
    }

    @Test
    void bothCanBeSetAndAreCheckedNamingTheField() throws IOException {
        EtlConfiguration c = load("options:\n  scratchFolder: /safe-haven/scratch\n  memoryBudgetMegabytes: 256\n");
        assertThat(c.scratchFolder()).isEqualTo(Path.of("/safe-haven/scratch"));
        assertThat(c.memoryBudgetMegabytes()).isEqualTo(256);

        assertThatThrownBy(() -> load("options:\n  memoryBudgetMegabytes: 8\n")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("options.memoryBudgetMegabytes: must be at least 16");
        assertThatThrownBy(() -> load("options:\n  memoryBudgetMegabytes: lots\n"))
                .hasMessageContaining("options.memoryBudgetMegabytes: must be a whole number");
        assertThatThrownBy(() -> load("options:\n  scratchFolder: ''\n")).hasMessageContaining("options.scratchFolder:");
    }
}
