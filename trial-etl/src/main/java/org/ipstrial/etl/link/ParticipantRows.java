package org.ipstrial.etl.link;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.etl.identifiers.NationalInsuranceNumber;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.etl.read.CalendarDates;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.Arm;
import org.ipstrial.etl.records.Participant;
import org.ipstrial.etl.records.ParticipantStatus;

/**
 * Reads the trial service's participant export (contract section 4). Rows that cannot be keyed or
 * placed in time (malformed or repeated identifier, unknown arm, unreadable randomisation time) are
 * quarantined; other unreadable values are kept as missing and counted as field problems. A
 * consent value other than {@code true} is treated as no consent: linkage needs a clear yes.
 */
public final class ParticipantRows {
    public static final String SOURCE = "participants";
    public static final ZoneId TRIAL_ZONE = ZoneId.of("Europe/London");
    public static final Set<String> REQUIRED = Set.of("participant_id", "site", "area", "trial_group", "arm",
            "randomised_at", "nino", "nhs_number", "date_of_birth", "sex", "postcode", "consent_admin_linkage",
            "status", "status_date");

    private ParticipantRows() {}

    public record Result(ParticipantRegister register, RowCounts counts, CsvSource.Columns columns) {}

    public static Result read(CsvSource source, SourceLedger ledger, FieldProblems problems, Progress progress) {
        // Two passes, so that a million participants' rows are never all held at once: the first
        // counts each identifier (a duplicate quarantines both rows), the second checks each row.
        Map<ParticipantId, Integer> occurrences = new HashMap<>();
        CsvSource.Columns columns = source.read(progress, c -> ledger.quarantine().start(c.header().names()),
                row -> ParticipantId.parse(row.get("participant_id")).ifPresent(id -> occurrences.merge(id, 1, Integer::sum)));
        List<Participant> accepted = new ArrayList<>();
        Map<String, String> codes = new HashMap<>();
        source.read(Progress.silent(), c -> {}, row -> {
            Optional<QuarantineReason> reason = Optional.empty();
            Optional<ParticipantId> id = ParticipantId.parse(row.get("participant_id"));
            if (!row.hasHeaderFieldCount()) {
                reason = Optional.of(QuarantineReason.WRONG_NUMBER_OF_FIELDS);
            } else if (id.isEmpty()) {
                reason = Optional.of(QuarantineReason.MALFORMED_PARTICIPANT_ID);
            } else if (occurrences.get(id.get()) > 1) {
                // Which of two rows is right cannot be known: neither is used.
                reason = Optional.of(QuarantineReason.DUPLICATE_PARTICIPANT_ID);
            } else if (Arm.parse(row.get("arm")).isEmpty()) {
                reason = Optional.of(QuarantineReason.INVALID_ARM);
            } else if (randomisationDate(row.get("randomised_at")).isEmpty()) {
                reason = Optional.of(QuarantineReason.INVALID_RANDOMISED_AT);
            }
            if (reason.isPresent()) {
                ledger.quarantined(row, reason.get());
                return;
            }
            accepted.add(participant(row, id.get(), problems, codes));
            ledger.linked();
        });
        return new Result(new ParticipantRegister(accepted), ledger.counts(), columns);
    }

    /** R: the randomisation instant in Europe/London, then its date. */
    public static Optional<LocalDate> randomisationDate(String isoWithOffset) {
        try {
            return Optional.of(OffsetDateTime.parse(isoWithOffset.strip()).atZoneSameInstant(TRIAL_ZONE).toLocalDate());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** @param codes one instance of each site, area, group and sex code (a million participants share a few) */
    private static Participant participant(CsvRow row, ParticipantId id, FieldProblems problems, Map<String, String> codes) {
        String writtenNino = row.get("nino");
        Optional<NationalInsuranceNumber> nino = NationalInsuranceNumber.parse(writtenNino);
        if (nino.isEmpty() && !writtenNino.isEmpty()) {
            problems.add(SOURCE, "nino", "invalid (participant kept; no administrative linkage)");
        }
        Optional<LocalDate> dob = optionalDate(row, "date_of_birth", problems);
        String consent = row.get("consent_admin_linkage");
        boolean consented = consent.equalsIgnoreCase("true");
        if (!consented && !consent.equalsIgnoreCase("false")) {
            problems.add(SOURCE, "consent_admin_linkage", "neither true nor false (treated as no consent)");
        }
        String statusText = row.get("status");
        Optional<ParticipantStatus> status = ParticipantStatus.parse(statusText);
        if (status.isEmpty()) {
            problems.add(SOURCE, "status", "unknown code (left empty)");
        }
        Optional<LocalDate> statusDate = optionalDate(row, "status_date", problems);
        return new Participant(id, code(codes, row.get("site")), code(codes, row.get("area")), code(codes, row.get("trial_group")),
                Arm.parse(row.get("arm")).orElseThrow(), randomisationDate(row.get("randomised_at")).orElseThrow(), nino,
                // as written, but one string rather than two when it is written as normalised (most are)
                nino.map(NationalInsuranceNumber::normalised).filter(writtenNino::equals).orElse(writtenNino), dob,
                code(codes, row.get("sex")),
                row.get("postcode"), consented, status, statusDate);
    }

    private static String code(Map<String, String> codes, String value) {
        return codes.computeIfAbsent(value, v -> v);
    }

    private static Optional<LocalDate> optionalDate(CsvRow row, String column, FieldProblems problems) {
        String text = row.get(column);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<LocalDate> date = CalendarDates.parse(text);
        if (date.isEmpty()) {
            problems.add(SOURCE, column, "not a date (left empty)");
        }
        return date;
    }
}
