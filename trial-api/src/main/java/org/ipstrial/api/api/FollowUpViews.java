package org.ipstrial.api.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;
import java.util.List;

/** What the follow-up schedule answers (docs/followup.md). The arm is never in it: survey fieldwork stays blind. */
public final class FollowUpViews {
    private FollowUpViews() {}

    public record Schedule(
            @Schema(description = "The day the states are computed for (the trial's day, Europe/London)") LocalDate asOf,
            @Schema(description = "The filters applied; null: every value") String wave, String state, String site,
            @Schema(description = "How many rows follow") int count,
            List<Row> rows) {}

    public record Row(
            String participantId, String site, String wave,
            @Schema(description = "The day of randomisation the window is computed from") LocalDate randomisedOn,
            Window window,
            @Schema(allowableValues = {"upcoming", "due", "overdue", "done"}) String state,
            @Schema(description = "Contact attempts recorded for this wave") int attempts,
            @Schema(description = "The latest attempt, if any") Attempt lastAttempt,
            @Schema(description = "The interview's date when done") LocalDate completedOn,
            @Schema(description = "Contact details as recorded at baseline: for the fieldwork role, and only while the wave "
                    + "is due or overdue; null otherwise") Contact contact) {}

    public record Window(LocalDate opens, LocalDate target, LocalDate closes) {}

    public record Attempt(LocalDate date, String outcome) {}

    public record Contact(String givenName, String familyName, String phone, String email, String address, String postcode,
            String language, String surveyMode) {}

    public record AttemptRecorded(String participantId, String wave, LocalDate date, String outcome, int attempts, String state) {}
}
