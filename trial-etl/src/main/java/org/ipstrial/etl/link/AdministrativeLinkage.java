package org.ipstrial.etl.link;

import java.time.LocalDate;
import java.util.Optional;
import org.ipstrial.etl.identifiers.NationalInsuranceNumber;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.Participant;

/**
 * Links one administrative row to a participant on the National Insurance number (first eight
 * characters). The order of checks keeps identifiers of people outside the trial, and of
 * participants who refused linkage, out of the quarantine: a row whose NINO is valid is first placed
 * (not a participant / no consent) and only then are its other fields checked.
 */
public final class AdministrativeLinkage {
    private final ParticipantRegister register;

    public AdministrativeLinkage(ParticipantRegister register) {
        this.register = register;
    }

    /** Where a row goes before its other fields are checked. */
    public sealed interface Placement {
        record Candidate(int participant) implements Placement {}

        record Rejected(QuarantineReason reason) implements Placement {}

        record NotAParticipant() implements Placement {}

        record NoLinkageConsent() implements Placement {}
    }

    public Placement place(String ninoText) {
        if (ninoText.isEmpty()) {
            return new Placement.Rejected(QuarantineReason.MISSING_NINO);
        }
        String normalised = NationalInsuranceNumber.normalise(ninoText);
        if (!NationalInsuranceNumber.isValid(normalised)) {
            return new Placement.Rejected(QuarantineReason.INVALID_NINO);
        }
        ParticipantRegister.NinoMatch match = register.matchNino(normalised.substring(0, 8));
        if (match instanceof ParticipantRegister.NinoMatch.None) {
            return new Placement.NotAParticipant();
        }
        if (match instanceof ParticipantRegister.NinoMatch.Several) {
            return new Placement.Rejected(QuarantineReason.NINO_MATCHES_SEVERAL_PARTICIPANTS);
        }
        int index = ((ParticipantRegister.NinoMatch.One) match).index();
        if (!register.get(index).consentAdminLinkage()) {
            return new Placement.NoLinkageConsent();
        }
        return new Placement.Candidate(index);
    }

    /** Both sides carry a date of birth and they disagree. */
    public boolean conflicts(int participant, Optional<LocalDate> rowDateOfBirth) {
        Participant p = register.get(participant);
        return rowDateOfBirth.isPresent() && p.dateOfBirth().isPresent() && !rowDateOfBirth.get().equals(p.dateOfBirth().get());
    }

    /** Checks the rest of a row placed with a candidate participant, and links or rejects it. */
    @FunctionalInterface
    public interface CandidateRow {
        void check(CsvRow row, int participant);
    }

    /**
     * Reads an administrative file: each row is checked for its field count, placed on its NINO,
     * and handed on only when it belongs to a consenting participant.
     */
    public CsvSource.Columns readEach(CsvSource source, SourceLedger ledger, Progress progress, CandidateRow candidates) {
        return source.read(progress, c -> ledger.quarantine().start(c.header().names()), row -> {
            if (!row.hasHeaderFieldCount()) {
                ledger.quarantined(row, QuarantineReason.WRONG_NUMBER_OF_FIELDS);
                return;
            }
            int who = record(place(row.get("nino")), ledger, row);
            if (who >= 0) {
                candidates.check(row, who);
            }
        });
    }

    /** Records the placement in the ledger; returns the candidate participant or -1. */
    private static int record(Placement placement, SourceLedger ledger, CsvRow row) {
        if (placement instanceof Placement.Candidate c) {
            return c.participant();
        }
        if (placement instanceof Placement.Rejected r) {
            ledger.quarantined(row, r.reason());
        } else if (placement instanceof Placement.NotAParticipant) {
            ledger.notAParticipant();
        } else {
            ledger.noLinkageConsent();
        }
        return -1;
    }
}
