package org.ipstrial.etl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtlMainTest {
    @Test
    void placeholderRuns() {
        assertThat(EtlMain.class.getSimpleName()).isEqualTo("EtlMain");
    }
}
