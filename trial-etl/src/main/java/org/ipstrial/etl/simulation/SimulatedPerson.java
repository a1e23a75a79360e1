package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One randomised participant as the simulation knows them: what the service recorded (identifiers,
 * consent, status, allocation), their baseline profile, and the random draws from which both of
 * their potential futures are built.
 *
 * @param nino normalised National Insurance number, or "" when none was recorded
 * @param status active, withdrawn or deceased (the service's export codes)
 * @param statusDate the day the status took effect; null when active
 * @param serviceWithdrawal the day a treatment participant left the IPS service only; null otherwise
 * @param erased data erased on request: absent from every output file
 * @param waves survey draws, one per configured wave, in the configuration's order
 * @param complier attends the IPS service when offered it, and so gets the planted effects in the
 *     treatment world; everyone is, unless the configuration has a delivery model
 */
record SimulatedPerson(RecruitmentFlow.Recruit recruit, TrialRandomisation.Assignment allocation, String participantId, String nino,
        String nhsNumber, String postcode, BaselineModel.Profile profile, boolean consentAdminLinkage,
        boolean consentSurveyContact, String status, LocalDate statusDate, LocalDate serviceWithdrawal, boolean erased,
        EmploymentModel.Draws jobs, BenefitModel.Draws benefits, List<SurveyModel.Draws> waves, boolean complier) {

    SimulatedPerson {
        Objects.requireNonNull(recruit, "recruit");
        Objects.requireNonNull(allocation, "allocation");
        waves = List.copyOf(waves);
    }

    String trialGroup() {
        return recruit.trialGroup();
    }

    String arm() {
        return allocation.arm();
    }

    boolean treated() {
        return arm().equals("treatment");
    }

    LocalDate randomisedOn() {
        return recruit.randomisedAt().toLocalDate();
    }

    LocalDate death() {
        return status.equals("deceased") ? statusDate : null;
    }

    /** Still reachable for a survey on this day: not withdrawn from research, not dead. */
    boolean contactableOn(LocalDate day) {
        return statusDate == null || day.isBefore(statusDate);
    }
}
