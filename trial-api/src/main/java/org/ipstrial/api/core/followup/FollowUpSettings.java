package org.ipstrial.api.core.followup;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Optional;

/**
 * The follow-up survey waves and their due windows (config/trial-api.yml, {@code followUp}; see
 * docs/followup.md for the defaults and why). Windows are computed from the randomisation date
 * whenever the list is read, never stored, so a change here applies to everyone at once.
 */
public class FollowUpSettings {
    @Valid @NotEmpty @JsonProperty
    private List<SurveyWave> waves = List.of(new SurveyWave("4m", 4, 14, 56), new SurveyWave("12m", 12, 14, 56));

    public List<SurveyWave> getWaves() {
        return List.copyOf(waves);
    }

    public Optional<SurveyWave> wave(String code) {
        return waves.stream().filter(w -> w.code().equals(code)).findFirst();
    }

    @AssertTrue(message = "wave codes must be unique")
    public boolean isEveryCodeUnique() {
        return waves == null || waves.stream().map(SurveyWave::code).distinct().count() == waves.size();
    }
}
