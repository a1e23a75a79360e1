package org.ipstrial.api.api;

import java.util.Map;

/** Request bodies of the recruitment workflow, in the order a specialist meets them. */
public final class RecruitRequests {
    private RecruitRequests() {}

    /** Start a new recruit at a site and delivery area. */
    public record NewRecruit(String site, String area) {}

    /** Screening answers (question id to yes/no) for the trial group the recruit is screened for. */
    public record Screening(String trialGroup, Map<String, Boolean> answers) {}

    /** Every statement of the agreement form answered (statement id to agreed), and the form version shown. */
    public record Agreement(String formVersion, Map<String, Boolean> answers) {}

    /** Identifiers and contact details. Dates as YYYY-MM-DD. NINO or NHS number may be blank when unknown. */
    public record Identity(String nationalInsuranceNumber, String nhsNumber, String givenName, String familyName,
            String dateOfBirth, String sex, String postcode, String phone, String email, String address,
            String language, String communicationNeeds, String surveyMode, String surveyModeReason) {
        @Override
        public String toString() {
            return "Identity[redacted]";
        }
    }

    /** Baseline answers: item id to a code (single), a list of codes (multi) or a whole number. */
    public record Baseline(Map<String, Object> answers) {}

    /** Randomise this recruit. Retries send the same Idempotency-Key header. */
    public record Randomise(String participantId) {}

    /** Withdrawal or death. kind: withdrawn_service, withdrawn_research or deceased. */
    public record StatusChange(String kind, String effectiveDate, String reason) {}

    /**
     * Erase every personal record of a recruit (granted case by case). requestedOn: the date the
     * request was received (YYYY-MM-DD); ground: participant_request, recorded_in_error or
     * required_by_governance (a code, never free text: the erasure row is kept for ever).
     */
    public record Erasure(String requestedOn, String ground, boolean confirmed) {}

    /** Correct identifiers after randomisation: field name to new value, with a reason. */
    public record Correction(Map<String, String> fields, String reason) {}

    /** Flag a randomised recruit later found ineligible or randomised in the wrong stratum. */
    public record Flag(String kind, String note) {}

    /** Admin: a new user. */
    public record NewUser(String username, String role, String site, String password) {
        @Override
        public String toString() {
            return "NewUser[" + username + "]";
        }
    }

    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    public record PasswordReset(String password) {
        @Override
        public String toString() {
            return "PasswordReset[redacted]";
        }
    }

    public record SiteAssignment(String site) {}

    public record Disable(Boolean disabled) {}

}
