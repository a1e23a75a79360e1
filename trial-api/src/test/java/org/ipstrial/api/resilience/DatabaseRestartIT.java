package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ipstrial.api.load.LoadScenario;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped (fast shutdown: open transactions rolled back, connections cut) a third of
 * the way through a run, down for two seconds, then started again. The instances answer 503 with
 * Retry-After meanwhile, reconnect by themselves afterwards, and every recruit ends with exactly
 * one allocation; nothing acknowledged is lost.
 */
class DatabaseRestartIT {
    static final long SEED = 7002L;

    @BeforeAll
    static void quiet() {
        LoadTest.quietLogs();
    }

    @Test
    void restartingTheDatabaseMidRunLosesNothingAndTheServiceReconnects() throws Exception {
        var options = new LoadScenario.Options(2, 8, 96, Duration.ofMinutes(3), SEED, LoadScenario.Fault.RESTART_DATABASE, 0,
                TestService.newFolder("restart-database"));

        LoadScenario.Report report = LoadScenario.run(options, System.out);

        assertThat(report.problems()).as("seed %d", SEED).isEmpty();
        assertThat(report.faultNotes()).anyMatch(n -> n.startsWith("PostgreSQL stopped"));
        assertThat(report.result().retried5xx() + report.result().retriedConnection()).as("clients felt the outage").isPositive();
        assertThat(report.result().acknowledged()).hasSize(96);
        assertThat(report.check().allocations()).isEqualTo(96);
    }
}
