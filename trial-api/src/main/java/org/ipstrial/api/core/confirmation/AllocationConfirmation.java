package org.ipstrial.api.core.confirmation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * What a confirmation of one randomisation says: the trial, the recruit's pseudonymous participant
 * identifier, where and when, who randomised, and the allocation in the trial's neutral words.
 * It has no field for an identifier (name, date of birth, NI or NHS number, contact details), so
 * neither the PDF nor the e-mail made from it can carry one.
 */
public record AllocationConfirmation(String trialName, String participantId, String siteName, String trialGroupName,
        Instant allocatedAt, String randomisedBy, String allocationWords, String nextStep) {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss 'UTC'", java.util.Locale.UK)
            .withZone(ZoneOffset.UTC);

    public AllocationConfirmation {
        Objects.requireNonNull(trialName, "trialName");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(siteName, "siteName");
        Objects.requireNonNull(trialGroupName, "trialGroupName");
        Objects.requireNonNull(allocatedAt, "allocatedAt");
        Objects.requireNonNull(randomisedBy, "randomisedBy");
        Objects.requireNonNull(allocationWords, "allocationWords");
        Objects.requireNonNull(nextStep, "nextStep");
    }

    /** The participant identifier as the pages write it: 1234-5678. */
    public String participantIdForPeople() {
        return participantId.substring(0, 4) + "-" + participantId.substring(4);
    }

    public String allocatedAtForPeople() {
        return WHEN.format(allocatedAt);
    }

    /** The arm's words and next step, or nothing for a reader who must stay blind to the arm. */
    public Optional<String> allocationFor(boolean blindToArm) {
        return blindToArm ? Optional.empty() : Optional.of(allocationWords);
    }
}
