package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ipstrial.api.load.LoadScenario;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of one of two service instances a third of the way through a randomisation run. Clients
 * see refused and reset connections, resend the same request (same Idempotency-Key) to the other
 * instance, and each recruit ends with exactly one allocation; nothing acknowledged is lost.
 */
class InstanceKillIT {
    static final long SEED = 7001L;

    @BeforeAll
    static void quiet() {
        LoadTest.quietLogs();
    }

    @Test
    void killingAnInstanceMidRunLosesNothingAndAllocatesNobodyTwice() throws Exception {
        var options = new LoadScenario.Options(2, 8, 96, Duration.ofMinutes(3), SEED, LoadScenario.Fault.KILL_INSTANCE, 0,
                TestService.newFolder("kill-instance"));

        LoadScenario.Report report = LoadScenario.run(options, System.out);

        assertThat(report.problems()).as("seed %d", SEED).isEmpty();
        assertThat(report.faultNotes()).anyMatch(n -> n.startsWith("SIGKILL sent"));
        assertThat(report.result().retriedConnection()).as("clients felt the kill").isPositive();
        assertThat(report.result().acknowledged()).hasSize(96);
        assertThat(report.check().allocations()).isEqualTo(96);
    }
}
