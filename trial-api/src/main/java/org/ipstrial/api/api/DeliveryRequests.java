package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import java.math.BigDecimal;
import java.util.List;

/** Request bodies of delivery records, specialists' FTE and fidelity reviews (docs/delivery.md). */
public final class DeliveryRequests {
    private DeliveryRequests() {}

    /** One thing delivered to a treatment recruit; the fields each kind takes are in docs/delivery.md. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE,
            description = "session: mode, minutes. employer_contact: faceToFace. job_start: jobType, hoursPerWeek, "
                    + "atLeastMinimumWage, permanent, employerName. job_end: jobStartId. in_work_support: mode, minutes optional. "
                    + "vocational_profile and discharge: the date alone. A note is optional for every kind.")
    public record DeliveryRecord(
            @Schema(requiredMode = REQUIRED, allowableValues = {"session", "employer_contact", "vocational_profile", "job_start",
                    "job_end", "in_work_support", "discharge"}) String kind,
            @Schema(requiredMode = REQUIRED, format = "date", description = "YYYY-MM-DD: on or after randomisation, not in the future",
                    example = "2019-06-03") String date,
            @Schema(allowableValues = {"face_to_face", "phone", "video"}) String mode,
            @Schema(minimum = "1", maximum = "600", description = "Length of the session in minutes") Integer minutes,
            @Schema(description = "employer_contact: face to face (true) or by phone or video (false)") Boolean faceToFace,
            @Schema(maxLength = 200, description = "job_start: the kind of job, in the service's words", example = "retail assistant")
            String jobType,
            @Schema(minimum = "0", exclusiveMinimum = true, maximum = "100", description = "job_start: hours a week, up to two decimals",
                    example = "16.5") BigDecimal hoursPerWeek,
            @Schema(description = "job_start: paid at least the minimum wage (competitive employment)") Boolean atLeastMinimumWage,
            @Schema(description = "job_start: permanent (true) or temporary (false)") Boolean permanent,
            @Schema(maxLength = 200, description = "job_start: the employer (an identifier: never exported)") String employerName,
            @Schema(description = "job_end (required) and in_work_support (optional): the id of the job start it belongs to")
            Long jobStartId,
            @Schema(maxLength = 1000) String note) {}

    /** An employer contact made for no one client, at your own site. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record GeneralEmployerContact(
            @Schema(requiredMode = REQUIRED, format = "date", example = "2019-06-03") String date,
            @Schema(requiredMode = REQUIRED, description = "Face to face (true) or by phone or video (false)") Boolean faceToFace,
            @Schema(maxLength = 1000) String note) {}

    /** A manager's correction: the record as it should have been (same kind), and why. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record DeliveryCorrection(
            @Schema(requiredMode = REQUIRED, maxLength = 1000, description = "Why the record was wrong (kept, audited)") String reason,
            @Schema(requiredMode = REQUIRED) DeliveryRecord record) {}

    /** A manager's deletion of a record made in error, and why. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record DeliveryDeletion(@Schema(requiredMode = REQUIRED, maxLength = 1000) String reason) {}

    /** Employment specialists' full-time equivalents at a site over a period (both days included). */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record SpecialistFte(
            @Schema(requiredMode = REQUIRED, example = "A") String site,
            @Schema(requiredMode = REQUIRED, format = "date", example = "2019-04-01") String periodStart,
            @Schema(requiredMode = REQUIRED, format = "date", example = "2019-06-30") String periodEnd,
            @Schema(requiredMode = REQUIRED, minimum = "0", exclusiveMinimum = true, maximum = "1000", example = "4.5") BigDecimal fte) {}

    /** One item's score on the fidelity scale, with the evidence for it. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ItemScore(
            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "25") Integer item,
            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "5") Integer score,
            @Schema(maxLength = 4000) String evidence,
            @Schema(maxLength = 4000) String recommendation) {}

    /** One step of the review's action plan. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ActionItem(
            @Schema(minimum = "1", maximum = "25", description = "The item it answers, if any") Integer item,
            @Schema(requiredMode = REQUIRED, maxLength = 1000) String action,
            @Schema(requiredMode = REQUIRED, maxLength = 200) String owner,
            @Schema(format = "date") String dueOn,
            @Schema(requiredMode = REQUIRED, allowableValues = {"open", "in_progress", "done"}) String status) {}

    /** A fidelity review of one service in one round: every one of the 25 items scored, by at least two reviewers. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record FidelityReview(
            @Schema(requiredMode = REQUIRED, description = "A service code (config/delivery-demo.yml)", example = "A-IPS-1") String service,
            @Schema(requiredMode = REQUIRED, minimum = "1") Integer round,
            @Schema(requiredMode = REQUIRED, format = "date") String reviewedOn,
            @ArraySchema(minItems = 2, schema = @Schema(maxLength = 200), arraySchema = @Schema(requiredMode = REQUIRED,
                    description = "The reviewers who scored (at least two)")) List<String> reviewers,
            @Schema(requiredMode = REQUIRED, description = "The scale version scored (GET /fidelity-scale)", example = "uk-25-v1")
            String scaleVersion,
            @Schema(requiredMode = REQUIRED, description = "A remote review where phone or video contact counted (items 5, 6, 15, 17, 23)")
            Boolean remoteAdjusted,
            @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED, description = "Items 1 to 25, each once")) List<ItemScore> items,
            List<ActionItem> actions) {}

    /** A new status of an action plan item. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record ActionStatus(@Schema(requiredMode = REQUIRED, allowableValues = {"open", "in_progress", "done"}) String status) {}
}
