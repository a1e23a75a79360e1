package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A first appointment from a new recruit to a randomised result, through the real API and database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkflowIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("workflow"));
    static ApiClient api;
    final Random random = new Random(20261123L);

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @Test
    void aRecruitGoesFromScreeningToARandomisedResultInNeutralWords() {
        var created = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pid = created.body().get("participantId").asText();
        assertThat(pid).matches("\\d{8}");
        assertThat(created.body().get("stepsRemaining")).hasSize(4);

        var refused = api.send("POST", "/randomisations", null, Map.of("participantId", pid), Map.of());
        assertThat(refused.status()).isEqualTo(401);

        var notReady = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
        assertThat(notReady.status()).isEqualTo(409);
        assertThat(notReady.code()).isEqualTo("not_ready");

        var screened = api.post("spec-a", "/recruits/" + pid + "/screening",
                Map.of("trialGroup", "A-OOW", "answers", Recruits.eligibleAnswers("A-OOW")));
        assertThat(screened.status()).as(screened.toString()).isEqualTo(200);
        assertThat(screened.body().get("eligible").asBoolean()).isTrue();
        assertThat(screened.body().get("rulesVersion").asText()).isEqualTo("elig-1");

        var agreed = api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", Recruits.agreeAll()));
        assertThat(agreed.status()).as(agreed.toString()).isEqualTo(200);
        assertThat(agreed.body().get("agreed").asBoolean()).isTrue();

        var identity = api.put("spec-a", "/recruits/" + pid + "/identity", Recruits.identity(random));
        assertThat(identity.status()).as(identity.toString()).isEqualTo(200);
        var baseline = api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", Recruits.baseline(random)));
        assertThat(baseline.status()).as(baseline.toString()).isEqualTo(200);
        assertThat(baseline.body().get("stepsRemaining")).isEmpty();

        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "key-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        String arm = allocated.body().get("arm").asText();
        assertThat(arm).isIn("treatment", "control");
        assertThat(allocated.body().get("nextStep").asText()).isNotBlank();
        assertThat(allocated.text()).doesNotContainIgnoringCase("lucky").doesNotContainIgnoringCase("sorry");

        var view = api.get("spec-a", "/recruits/" + pid);
        assertThat(view.body().path("allocation").path("arm").asText()).isEqualTo(arm);
    }
}
