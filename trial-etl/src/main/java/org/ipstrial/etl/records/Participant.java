package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.ipstrial.etl.identifiers.NationalInsuranceNumber;
import org.ipstrial.identifiers.ParticipantId;

/**
 * One randomised participant as exported by the trial service, after validation. Optional fields are
 * those the export may leave blank (or that held a value the ETL could not read, which the linkage
 * report counts).
 *
 * @param randomisationDate R: the randomisation instant converted to Europe/London, then its date
 * @param writtenNino       the NINO as recorded (only for the trace request; never exported)
 */
public record Participant(
        ParticipantId id,
        String site,
        String area,
        String trialGroup,
        Arm arm,
        LocalDate randomisationDate,
        Optional<NationalInsuranceNumber> nino,
        String writtenNino,
        Optional<LocalDate> dateOfBirth,
        String sex,
        String postcode,
        boolean consentAdminLinkage,
        Optional<ParticipantStatus> status,
        Optional<LocalDate> statusDate) {

    public Participant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(trialGroup, "trialGroup");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(randomisationDate, "randomisationDate");
        Objects.requireNonNull(nino, "nino");
        Objects.requireNonNull(writtenNino, "writtenNino");
        Objects.requireNonNull(dateOfBirth, "dateOfBirth");
        Objects.requireNonNull(sex, "sex");
        Objects.requireNonNull(postcode, "postcode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusDate, "statusDate");
    }

    @Override
    public String toString() {
        return "Participant[redacted]";
    }
}
