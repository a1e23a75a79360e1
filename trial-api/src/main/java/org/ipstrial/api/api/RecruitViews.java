package org.ipstrial.api.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the recruitment endpoints answer. */
public final class RecruitViews {
    private RecruitViews() {}

    /** A recruit and how far the first appointment has got: enough to resume a half-finished one. */
    public record Recruit(String participantId, String site, String area, String trialGroup, Instant createdAt,
            ScreeningResult screening, AgreementResult agreement, boolean identityRecorded, boolean baselineComplete,
            Allocated allocation, String status, LocalDate statusDate, List<String> flags, List<String> stepsRemaining,
            String displayName) {}

    public record ScreeningResult(boolean eligible, String trialGroup, String rulesVersion, List<FailedCriterion> failedCriteria) {}

    public record FailedCriterion(String id, String text) {}

    public record AgreementResult(String formVersion, boolean agreed, boolean currentVersion, List<String> declined) {}

    /** The result of randomisation as a specialist reads it out: neutral words and the next step. */
    public record Allocated(String participantId, String arm, String message, String nextStep, Instant allocatedAt) {}

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
