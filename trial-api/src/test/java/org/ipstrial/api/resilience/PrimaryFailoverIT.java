package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ipstrial.api.load.LoadScenario;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The primary PostgreSQL killed (SIGKILL of every process of it, as if its machine were lost) a
 * third of the way through a run over two instances; the synchronous standby is promoted by the
 * scripted failover, the instances find it through their multi-host URL by themselves, and the run
 * goes on. Every allocation a client was told about is on the new primary with the arm it was
 * told, nobody is allocated twice, the sequence is the secret's and the audit chain verifies.
 * The short version of {@code scripts/fault-test}'s kill-primary (16 clients there).
 */
class PrimaryFailoverIT {
    static final long SEED = 7003L;

    @BeforeAll
    static void quiet() {
        LoadTest.quietLogs();
    }

    @Test
    void losingThePrimaryMidRunLosesNoAcknowledgedAllocation() throws Exception {
        var options = new LoadScenario.Options(2, 8, 96, Duration.ofMinutes(3), SEED, LoadScenario.Fault.KILL_PRIMARY, 0,
                TestService.newFolder("kill-primary"), true);

        LoadScenario.Report report = LoadScenario.run(options, System.out);

        assertThat(report.problems()).as("seed %d", SEED).isEmpty();
        assertThat(report.faultNotes()).anyMatch(n -> n.startsWith("SIGKILL of the primary"));
        assertThat(report.faultNotes()).anyMatch(n -> n.contains("(the former standby), in recovery false"));
        assertThat(report.result().retried5xx() + report.result().retriedConnection()).as("clients felt the outage").isPositive();
        assertThat(report.result().acknowledged()).hasSize(96);
        assertThat(report.check().allocations()).isEqualTo(96);
    }
}
