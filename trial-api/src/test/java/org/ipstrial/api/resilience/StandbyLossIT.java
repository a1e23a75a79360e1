package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ipstrial.api.load.LoadScenario;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synchronous standby killed a third of the way through a run: commits on the primary wait for
 * it (none completes, so none is acknowledged, with a single copy), until its service manager
 * starts it again five seconds later; then they complete and the run goes on with nothing lost.
 * The short version of {@code scripts/fault-test}'s kill-standby.
 */
class StandbyLossIT {
    static final long SEED = 7004L;

    @BeforeAll
    static void quiet() {
        LoadTest.quietLogs();
    }

    @Test
    void losingTheStandbyMakesCommitsWaitAndLosesNothing() throws Exception {
        var options = new LoadScenario.Options(2, 8, 96, Duration.ofMinutes(3), SEED, LoadScenario.Fault.KILL_STANDBY, 0,
                TestService.newFolder("kill-standby"), true);

        LoadScenario.Report report = LoadScenario.run(options, System.out);

        assertThat(report.problems()).as("seed %d", SEED).isEmpty();
        assertThat(report.faultNotes()).anyMatch(n -> n.startsWith("SIGKILL of the standby") && n.contains("no write completed without"));
        assertThat(report.result().maxMillis()).as("some randomisation waited for the standby's return")
                .isGreaterThan((double) org.ipstrial.api.load.DatabaseFailover.STANDBY_DOWN.toMillis());
        assertThat(report.result().acknowledged()).hasSize(96);
        assertThat(report.check().allocations()).isEqualTo(96);
    }
}
