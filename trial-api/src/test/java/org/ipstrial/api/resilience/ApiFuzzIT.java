package org.ipstrial.api.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipstrial.api.load.ApiFuzzer;
import org.ipstrial.api.load.Cluster;
import org.ipstrial.api.load.LoadTest;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;

/**
 * A short, seeded fuzz of every write endpoint (scripts/fuzz-api sends 1,000 per endpoint): every
 * answer a 4xx, no table's row count changed, the service healthy afterwards.
 */
class ApiFuzzIT {
    static final long SEED = 424242L;
    static final int PER_ENDPOINT = 60;

    @Test
    void everyInvalidRequestIsRefusedWithA4xxAndChangesNothing() throws Exception {
        LoadTest.quietLogs();
        try (Cluster cluster = Cluster.start(TestService.newFolder("fuzz"), 1)) {
            ApiFuzzer.Report report = new ApiFuzzer(cluster).run(SEED, PER_ENDPOINT, 4, System.out);

            assertThat(report.problems()).as("fuzz seed %d (replay: scripts/fuzz-api %d %d)", SEED, SEED, PER_ENDPOINT).isEmpty();
            assertThat(report.statusesByEndpoint()).hasSizeGreaterThanOrEqualTo(12);
            report.statusesByEndpoint().forEach((endpoint, statuses) ->
                    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).as(endpoint).isEqualTo(PER_ENDPOINT));
        }
    }
}
