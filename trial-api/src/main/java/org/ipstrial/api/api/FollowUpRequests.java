package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;

/** Request bodies of the follow-up schedule (docs/followup.md). */
public final class FollowUpRequests {
    private FollowUpRequests() {}

    /** One try at reaching a recruit for a survey wave. A completed interview marks the wave done. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ContactAttempt(
            @Schema(requiredMode = REQUIRED, format = "date", description = "YYYY-MM-DD: on or after randomisation, not in the future",
                    example = "2019-06-03") String date,
            @Schema(requiredMode = REQUIRED, allowableValues = {"no_answer", "left_message", "refused", "interview_booked",
                    "wrong_number", "completed"}) String outcome,
            @Schema(maxLength = 500, description = "Optional free text (kept with the attempt, never in the audit log)") String note) {}

    /** That a wave's interview is done, entered by hand or from the survey agency's return. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record WaveDone(
            @Schema(requiredMode = REQUIRED, format = "date", description = "The interview's date, YYYY-MM-DD: on or after "
                    + "randomisation, not in the future", example = "2019-06-03") String completedOn,
            @Schema(requiredMode = REQUIRED, allowableValues = {"manual", "agency_return"},
                    description = "manual: entered by fieldwork or a manager; agency_return: copied from the survey agency's return")
            String source) {}
}
