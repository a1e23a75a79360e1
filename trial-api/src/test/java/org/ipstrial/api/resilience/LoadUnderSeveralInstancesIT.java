package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ipstrial.api.load.LoadScenario;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short load run as CI can afford: PostgreSQL as its own process, two service instances (each
 * its own JVM from the shaded jar) sharing it, 16 clients round-robining across them. The figures
 * are printed, never asserted; what is asserted is what the database says afterwards.
 */
class LoadUnderSeveralInstancesIT {
    static final long SEED = 20261123L;

    @BeforeAll
    static void quiet() {
        LoadTest.quietLogs();
    }

    @Test
    void everyRecruitIsAllocatedOnceAndTheDatabaseAgreesWithWhatClientsWereTold() throws Exception {
        var options = new LoadScenario.Options(2, 16, 128, Duration.ofMinutes(3), SEED, LoadScenario.Fault.NONE, 0,
                TestService.newFolder("load"));

        LoadScenario.Report report = LoadScenario.run(options, System.out);

        assertThat(report.problems()).as("seed %d", SEED).isEmpty();
        assertThat(report.result().acknowledged()).hasSize(128);
        assertThat(report.check().allocations()).isEqualTo(128);
        assertThat(report.check().completedBlocks()).isPositive();
        assertThat(report.check().auditEvents()).isGreaterThan(128);
        assertThat(report.contentionSamples()).isPositive();
    }
}
