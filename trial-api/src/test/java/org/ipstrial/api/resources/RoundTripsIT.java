package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.db.RoundTrips;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every write of the first appointment held to its number of database round trips (statements
 * and commits, the session look-up included), as the service itself counts them in /metrics.
 * Before release 0.3.0 (counted from the code of that release): login 4, create 15, screening 8,
 * agreement 8, identity 18, baseline 17, randomise 23 with an Idempotency-Key (7 of them after the stratum's lock, and
 * 4 the global audit head). Now the stratum's lock is taken by the last statement, which also
 * commits (its COMMIT is sent with it, so the driver has no commit left to send).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RoundTripsIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("round-trips"));
    static ApiClient api;

    /** What each request costs now; a change that adds a statement to a write must change this table too. */
    static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

    static {
        // The user's row; clear failures + start the session, whose pending step (a second factor's code, an
        // enrolment the role requires) the same statement decides: two-factor sign-in added no round trip.
        EXPECTED.put("SessionResource.login", 2);
        EXPECTED.put("RecruitResource.create", 2);     // session; recruit + its event
        EXPECTED.put("RecruitResource.screen", 4);     // session; lock recruit; screening + event; commit
        EXPECTED.put("RecruitResource.agree", 4);      // session; lock recruit; agreement + event; commit
        EXPECTED.put("RecruitResource.identity", 6);   // session; lock; duplicate check; identity + event; view; commit
        EXPECTED.put("RecruitResource.baseline", 5);   // session; lock; baseline + event; view; commit
        EXPECTED.put("RandomisationResource.randomise", 6); // session; lock recruit; state; claim; stratum state; slot + commit
    }

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @Test
    void eachWriteOfTheFirstAppointmentTakesItsCountedRoundTrips(TestInfo test) throws Exception {
        Random random = TestService.seededRandom(test);
        for (int i = 0; i < 3; i++) {
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            String key = new UUID(random.nextLong(), random.nextLong()).toString();
            var first = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", key));
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            var retry = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", key));
            assertThat(retry.body().get("arm")).isEqualTo(first.body().get("arm"));
        }
        JsonNode histograms = metrics().path("histograms");
        for (var expected : EXPECTED.entrySet()) {
            JsonNode h = histograms.path(RoundTrips.METRIC_PREFIX + expected.getKey());
            assertThat(h.path("count").asLong()).as("requests counted for " + expected.getKey()).isPositive();
            assertThat(h.path("max").asInt()).as("round trips of " + expected.getKey()).isEqualTo(expected.getValue());
        }
        // A retry of a randomisation reads the earlier allocation and goes no further.
        assertThat(histograms.path(RoundTrips.METRIC_PREFIX + "RandomisationResource.randomise").path("min").asInt()).isEqualTo(4);
    }

    static JsonNode metrics() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return ApiClient.JSON.readTree(response.body());
    }
}
