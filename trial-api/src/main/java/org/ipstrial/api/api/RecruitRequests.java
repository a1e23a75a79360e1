package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import java.util.Map;

/**
 * Request bodies of the recruitment workflow, in the order a specialist meets them. The schema
 * annotations make the OpenAPI document say what the services check: required fields, the codes a
 * field takes, formats and patterns (OpenApiDocumentIT checks the codes against the services' own).
 */
public final class RecruitRequests {
    private RecruitRequests() {}

    /** A participant identifier as typed: 8 digits, optionally 4 and 4 with a space or dash; the last is a Damm check digit. */
    public static final String PARTICIPANT_ID_PATTERN = "^[0-9]{4}[- ]?[0-9]{4}$";
    /** A National Insurance number in any case and spacing (blank when unknown). */
    public static final String NINO_PATTERN = "^\\s*$|^\\s*[A-Za-z]\\s*[A-Za-z](\\s*[0-9]){6}\\s*[A-Za-z]\\s*$";
    /** An NHS number: 10 digits, spaces or dashes between them (blank when unknown). */
    public static final String NHS_NUMBER_PATTERN = "^\\s*$|^[\\s-]*([0-9][\\s-]*){10}$";
    /** A UK postcode in any case, with or without the space. */
    public static final String POSTCODE_PATTERN = "^\\s*([Gg][Ii][Rr]|[A-Za-z]{1,2}[0-9][0-9A-Za-z]?)\\s*[0-9][A-Za-z]{2}\\s*$";

    /** Start a new recruit at a site and delivery area. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record NewRecruit(
            @Schema(requiredMode = REQUIRED, description = "A site code of the trial definition (your own site)", example = "A") String site,
            @Schema(requiredMode = REQUIRED, description = "A delivery area code of that site", example = "A-north") String area) {}

    /** Screening answers (question id to yes/no) for the trial group the recruit is screened for. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Screening(
            @Schema(requiredMode = REQUIRED, description = "A trial group of the recruit's site", example = "A-OOW") String trialGroup,
            @Schema(requiredMode = REQUIRED, description = "Question id to the answer, yes (true) or no (false)") Map<String, Boolean> answers) {}

    /** Every statement of the agreement form answered (statement id to agreed), and the form version shown. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Agreement(
            @Schema(requiredMode = REQUIRED, description = "The version of the form shown: the current one (GET /forms)", example = "agree-3")
            String formVersion,
            @Schema(requiredMode = REQUIRED, description = "Every statement id of that form to agreed (true) or declined (false)")
            Map<String, Boolean> answers) {}

    /** Identifiers and contact details. Dates as YYYY-MM-DD. NINO or NHS number may be blank when unknown. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE,
            description = "Identifiers and contact details. At least one of phone, email and address is needed.")
    public record Identity(
            @Schema(description = "National Insurance number (format and prefix rules); blank when unknown", pattern = NINO_PATTERN,
                    example = "AB123456C") String nationalInsuranceNumber,
            @Schema(description = "NHS number (modulus 11 check); blank when unknown", pattern = NHS_NUMBER_PATTERN,
                    example = "9434765919") String nhsNumber,
            @Schema(requiredMode = REQUIRED, maxLength = 200) String givenName,
            @Schema(requiredMode = REQUIRED, maxLength = 200) String familyName,
            @Schema(requiredMode = REQUIRED, format = "date", description = "YYYY-MM-DD; aged 18 to 110", example = "1980-04-30")
            String dateOfBirth,
            @Schema(requiredMode = REQUIRED, allowableValues = {"female", "male", "intersex", "prefer_not_to_say"}) String sex,
            @Schema(requiredMode = REQUIRED, description = "UK postcode", pattern = POSTCODE_PATTERN, example = "S1 2AB") String postcode,
            @Schema(description = "UK phone number: 10 or 11 digits, or +44 and the number", example = "07700 900123") String phone,
            @Schema(pattern = "^\\s*$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", maxLength = 200, example = "name@example.org") String email,
            @Schema(maxLength = 200) String address,
            @Schema(maxLength = 200) String language,
            @Schema(maxLength = 200) String communicationNeeds,
            @Schema(requiredMode = REQUIRED, allowableValues = {"face_to_face", "telephone", "web"}) String surveyMode,
            @Schema(allowableValues = {"bsl_user", "hearing_difficulty", "phone_anxiety", "preference"},
                    description = "Why this survey mode, when it is not the default") String surveyModeReason) {
        @Override
        public String toString() {
            return "Identity[redacted]";
        }
    }

    /** Baseline answers: item id to a code (single), a list of codes (multi) or a whole number. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Baseline(
            @Schema(requiredMode = REQUIRED, description = "Every item id of the questionnaire (GET /forms) to a code, a list of codes "
                    + "or a whole number; -8 don't know, -9 prefer not to say, -1 not applicable") Map<String, Object> answers) {}

    /** Randomise this recruit. Retries send the same Idempotency-Key header. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Randomise(@Schema(requiredMode = REQUIRED, pattern = PARTICIPANT_ID_PATTERN, example = "12345670") String participantId) {}

    /** Withdrawal or death. kind: withdrawn_service, withdrawn_research or deceased. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record StatusChange(
            @Schema(requiredMode = REQUIRED, allowableValues = {"withdrawn_service", "withdrawn_research", "deceased"}) String kind,
            @Schema(requiredMode = REQUIRED, format = "date", description = "YYYY-MM-DD, not in the future") String effectiveDate,
            @Schema(requiredMode = REQUIRED, maxLength = 1000) String reason) {}

    /**
     * Erase every personal record of a recruit (granted case by case). requestedOn: the date the
     * request was received (YYYY-MM-DD); ground: participant_request, recorded_in_error or
     * required_by_governance (a code, never free text: the erasure row is kept for ever).
     */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Erasure(
            @Schema(requiredMode = REQUIRED, format = "date", description = "The date the request was received, YYYY-MM-DD") String requestedOn,
            @Schema(requiredMode = REQUIRED, allowableValues = {"participant_request", "recorded_in_error", "required_by_governance"})
            String ground,
            @Schema(requiredMode = REQUIRED, description = "Must be true: erasure cannot be undone") boolean confirmed) {}

    /** Correct identifiers after randomisation: field name to new value, with a reason. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Correction(
            @Schema(requiredMode = REQUIRED, description = "Field name (nationalInsuranceNumber, nhsNumber, givenName, familyName, "
                    + "dateOfBirth, sex, postcode) to its new value") Map<String, String> fields,
            @Schema(requiredMode = REQUIRED, maxLength = 1000) String reason) {}

    /** Flag a randomised recruit later found ineligible or randomised in the wrong stratum. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Flag(
            @Schema(requiredMode = REQUIRED, allowableValues = {"found_ineligible", "wrong_stratum"}) String kind,
            @Schema(requiredMode = REQUIRED, maxLength = 1000) String note) {}

    /** Admin: a new user, who signs in with the one-time code the answer carries (no admin ever sets a password). */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record NewUser(
            @Schema(requiredMode = REQUIRED, pattern = "^" + org.ipstrial.api.auth.UserService.USERNAME_PATTERN + "$") String username,
            @Schema(requiredMode = REQUIRED, allowableValues = {"specialist", "manager", "statistician", "custodian", "fieldwork", "analyst",
                    "admin"}) String role,
            @Schema(description = "A site code: required for a specialist") String site) {}

    /** Admin: a user's new role, with the site that goes with it (required for a specialist, optional otherwise). */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record RoleChange(
            @Schema(requiredMode = REQUIRED, allowableValues = {"specialist", "manager", "statistician", "custodian", "fieldwork", "analyst",
                    "admin"}) String role,
            @Schema(description = "A site code: required for a specialist; absent: no site") String site) {}

    /** Anyone: their own new password; with a one-time code, the code is the current password. */
    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record PasswordChange(
            @Schema(requiredMode = REQUIRED, description = "The current password, or the one-time code an admin gave") String currentPassword,
            @Schema(requiredMode = REQUIRED, minLength = org.ipstrial.api.auth.PasswordHasher.MINIMUM_LENGTH) String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[redacted]";
        }
    }

    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Login(@Schema(requiredMode = REQUIRED) String username, @Schema(requiredMode = REQUIRED) String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record SiteAssignment(@Schema(requiredMode = REQUIRED) String site) {}

    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record Disable(@Schema(requiredMode = REQUIRED) Boolean disabled) {}

}
