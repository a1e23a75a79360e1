package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the recruitment endpoints answer. */
public final class RecruitViews {
    private RecruitViews() {}

    /** A recruit and how far the first appointment has got: enough to resume a half-finished one. */
    public record Recruit(String participantId, String site, String area, String trialGroup, Instant createdAt,
            ScreeningResult screening, AgreementResult agreement, boolean identityRecorded, boolean baselineComplete,
            Allocated allocation,
            @Schema(allowableValues = {"active", "withdrawn_service", "withdrawn_research", "deceased"}) String status, LocalDate statusDate, List<String> flags,
            @Schema(description = "Every step left up to the end of the first appointment, as \"step: what to do\" "
                    + "(screening, agreement, identity, baseline, status, randomisation); empty once randomised")
            List<String> stepsRemaining,
            String displayName) {}

    public record ScreeningResult(boolean eligible, String trialGroup, String rulesVersion, List<FailedCriterion> failedCriteria) {}

    public record FailedCriterion(String id, String text) {}

    public record AgreementResult(String formVersion, boolean agreed, boolean currentVersion, List<String> declined) {}

    /**
     * The result of randomisation as a specialist reads it out: neutral words and the next step.
     * arm is the code (treatment or control); armLabel and message are the trial definition's words.
     */
    public record Allocated(String participantId,
            @Schema(requiredMode = REQUIRED, allowableValues = {"treatment", "control"}) String arm,
            @Schema(requiredMode = REQUIRED, description = "The arm's name for people, from the trial definition", example = "usual support")
            String armLabel,
            @Schema(requiredMode = REQUIRED, description = "What the specialist reads out") String message,
            @Schema(requiredMode = REQUIRED) String nextStep, Instant allocatedAt) {}

    /** A row of a site's recruit list. */
    public record RecruitSummary(String participantId, String displayName, String trialGroup, Instant createdAt,
            boolean randomised, String status) {}

    /** The questions, statements and items a specialist's pages show, for the recruit's site. */
    public record Forms(List<Question> screeningQuestions, String rulesVersion, String formVersion,
            List<Statement> statements, String baselineVersion, List<Item> baselineItems) {}

    public record Question(String id, String text, List<String> trialGroups) {}

    public record Statement(String id, String text, boolean required) {}

    public record Item(String id, String label, String type, List<Code> codes, Integer min, Integer max) {}

    public record Code(int code, String label) {}
}
