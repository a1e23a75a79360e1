package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ipstrial.etl.read.InputFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueTablesTest {
    @TempDir
    Path dir;

    @Test
    void readsBothTables() throws IOException {
        Files.writeString(dir.resolve("vs.csv"), "Profile,Value\n11111,1.000\n55555,-0.285\n");
        Files.writeString(dir.resolve("sw.csv"), "raw,metric\n7,7.00\n35,35.00\n21,19.98\n");
        ValueTables t = ValueTables.load(Optional.of(dir.resolve("vs.csv")), Optional.of(dir.resolve("sw.csv")));
        assertThat(t.eq5dValueSet().orElseThrow()).containsEntry("55555", new BigDecimal("-0.285")).hasSize(2);
        assertThat(t.swemwbsConversion().orElseThrow()).containsEntry(21, new BigDecimal("19.98")).hasSize(3);
    }

    @Test
    void aWrongTableStopsTheRunNamingTheLine() throws IOException {
        Files.writeString(dir.resolve("vs.csv"), "profile,value\n11111,1.000\n11161,0.9\n");
        assertThatThrownBy(() -> ValueTables.load(Optional.of(dir.resolve("vs.csv")), Optional.empty()))
                .isInstanceOf(InputFileException.class).hasMessageContaining("line 3").hasMessageContaining("'profile'");
        Files.writeString(dir.resolve("sw.csv"), "raw,metric\n7,7.00\n7,7.10\n");
        assertThatThrownBy(() -> ValueTables.load(Optional.empty(), Optional.of(dir.resolve("sw.csv"))))
                .isInstanceOf(InputFileException.class).hasMessageContaining("line 3").hasMessageContaining("twice");
    }
}
