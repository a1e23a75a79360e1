package org.ipstrial.api.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;
import java.util.List;

/** What the follow-up schedule answers (docs/followup.md). The arm is never in it: survey fieldwork stays blind. */
public final class FollowUpViews {
    private FollowUpViews() {}

    public record FollowUpList(
            @Schema(description = "The day the states are computed for (the trial's day, Europe/London)") LocalDate asOf,
            @Schema(description = "The wave filter applied; null: every wave") String wave,
            @Schema(description = "The state filter applied; null: every state") String state,
            @Schema(description = "The site filter applied; null: every site the user sees") String site,
            @Schema(description = "How many rows follow") int count,
            List<FollowUpRow> rows) {}

    public record FollowUpRow(
            String participantId, String site, String wave,
            @Schema(description = "The day of randomisation the window is computed from") LocalDate randomisedOn,
            SurveyWindow window,
            @Schema(allowableValues = {"upcoming", "due", "overdue", "done"}) String state,
            @Schema(description = "Contact attempts recorded for this wave") int attempts,
            @Schema(description = "The latest attempt, if any") LastAttempt lastAttempt,
            @Schema(description = "The interview's date when done") LocalDate completedOn,
            @Schema(description = "Contact details as recorded at baseline: for the fieldwork role, and only while the wave "
                    + "is due or overdue; null otherwise") SurveyContact contact) {}

    public record SurveyWindow(LocalDate opens, LocalDate target, LocalDate closes) {}

    public record LastAttempt(LocalDate date, String outcome) {}

    public record SurveyContact(String givenName, String familyName, String phone, String email, String address, String postcode,
            String language, String surveyMode) {}

    public record AttemptRecorded(String participantId, String wave, LocalDate date, String outcome, int attempts, String state) {}
}
