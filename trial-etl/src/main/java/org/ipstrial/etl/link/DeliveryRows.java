package org.ipstrial.etl.link;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.etl.read.CalendarDates;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.Arm;
import org.ipstrial.etl.records.Participant;
import org.ipstrial.etl.records.ServiceDelivery;

/**
 * Reads and links the IPS service's delivery file (docs/etl.md, "The delivery file") on the
 * participant identifier: one row per randomised treatment-group recruit. Control recruits are
 * absent by design (they receive business as usual: their delivery is 0, not missing), so a row
 * for one is quarantined. Delivery does not depend on consent to administrative linkage: it is the
 * trial's own record. Two passes, like the participant file: the first counts each identifier, so
 * a recruit with two rows has both quarantined (which one is right cannot be known). The file is
 * small (one row per recruit), so the kept rows are held in memory by participant.
 */
public final class DeliveryRows {
    public static final String SOURCE = "delivery";
    public static final Set<String> REQUIRED = Set.of("participant_id", "sessions", "sessions_over_15_minutes",
            "first_session_date", "engaged", "vocational_profile_date", "first_employer_contact_date", "job_starts",
            "first_job_start_date", "first_job_hours_per_week");
    private static final Pattern COUNT = Pattern.compile("\\d{1,6}");
    private static final Pattern HOURS = Pattern.compile("\\d{1,3}(\\.\\d{1,2})?");

    private DeliveryRows() {}

    /** Why a treatment-group recruit has no delivery values; the codes appear in the dataset. */
    public enum MissingReason {
        /** No row for the recruit in the delivery file. */
        NOT_IN_DELIVERY_FILE,
        /** The recruit's only row was quarantined (its reason is in the quarantine file). */
        DELIVERY_ROW_QUARANTINED,
        /** The recruit had two or more rows; all were quarantined. */
        DUPLICATE_DELIVERY_ROWS;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param deliveries the recruit's delivery by register index; null for control participants and
     *     for treatment recruits without one (see {@link #missingReason})
     */
    public record Result(ServiceDelivery[] deliveries, MissingReason[] missing, RowCounts counts, CsvSource.Columns columns) {

        public Optional<ServiceDelivery> deliveryOf(int participant) {
            return Optional.ofNullable(deliveries[participant]);
        }

        /** Empty for control participants and for treatment recruits whose delivery is known. */
        public Optional<MissingReason> missingReason(int participant) {
            return Optional.ofNullable(missing[participant]);
        }
    }

    public static Result read(CsvSource source, ParticipantRegister register, SourceLedger ledger, Progress progress) {
        Map<ParticipantId, Integer> occurrences = new HashMap<>();
        CsvSource.Columns columns = source.read(progress, c -> ledger.quarantine().start(c.header().names()),
                row -> ParticipantId.parse(row.get("participant_id")).ifPresent(id -> occurrences.merge(id, 1, Integer::sum)));
        ServiceDelivery[] deliveries = new ServiceDelivery[register.size()];
        MissingReason[] missing = new MissingReason[register.size()];
        for (int i = 0; i < register.size(); i++) {
            if (register.get(i).arm() == Arm.TREATMENT) {
                missing[i] = MissingReason.NOT_IN_DELIVERY_FILE;
            }
        }
        source.read(Progress.silent(), c -> {}, row -> {
            if (!row.hasHeaderFieldCount()) {
                ledger.quarantined(row, QuarantineReason.WRONG_NUMBER_OF_FIELDS);
                return;
            }
            Optional<ParticipantId> id = ParticipantId.parse(row.get("participant_id"));
            if (id.isEmpty()) {
                ledger.quarantined(row, QuarantineReason.MALFORMED_PARTICIPANT_ID);
                return;
            }
            Optional<Integer> who = register.indexOf(id.get());
            if (who.isEmpty()) {
                ledger.quarantined(row, QuarantineReason.UNKNOWN_PARTICIPANT_ID);
                return;
            }
            int index = who.get();
            Participant participant = register.get(index);
            if (participant.arm() != Arm.TREATMENT) {
                ledger.quarantined(row, QuarantineReason.DELIVERY_FOR_CONTROL_PARTICIPANT);
                return;
            }
            if (occurrences.get(id.get()) > 1) {
                ledger.quarantined(row, QuarantineReason.DUPLICATE_PARTICIPANT_ID);
                missing[index] = MissingReason.DUPLICATE_DELIVERY_ROWS;
                return;
            }
            Parsed parsed = parse(row, participant.randomisationDate());
            if (parsed.problem() != null) {
                ledger.quarantined(row, parsed.problem());
                missing[index] = MissingReason.DELIVERY_ROW_QUARANTINED;
                return;
            }
            deliveries[index] = parsed.delivery();
            missing[index] = null;
            ledger.linked();
        });
        return new Result(deliveries, missing, ledger.counts(), columns);
    }

    /** A row's delivery, or the first problem found in it. */
    record Parsed(ServiceDelivery delivery, QuarantineReason problem) {
        static Parsed problem(QuarantineReason reason) {
            return new Parsed(null, reason);
        }
    }

    /** Checks one row in a fixed order, so a row with several problems always gets the same reason. */
    static Parsed parse(CsvRow row, LocalDate randomisation) {
        String engagedText = row.get("engaged").toLowerCase(Locale.ROOT);
        if (!engagedText.equals("true") && !engagedText.equals("false")) {
            return Parsed.problem(QuarantineReason.INVALID_ENGAGED);
        }
        boolean engaged = engagedText.equals("true");
        Integer sessions = count(row.get("sessions"));
        Integer over15 = count(row.get("sessions_over_15_minutes"));
        if (sessions == null || over15 == null || over15 > sessions) {
            return Parsed.problem(QuarantineReason.INVALID_SESSION_COUNT);
        }
        Integer jobStarts = count(row.get("job_starts"));
        if (jobStarts == null) {
            return Parsed.problem(QuarantineReason.INVALID_JOB_STARTS);
        }
        Optional<Optional<LocalDate>> firstSession = CalendarDates.parseOptional(row.get("first_session_date"));
        Optional<Optional<LocalDate>> profile = CalendarDates.parseOptional(row.get("vocational_profile_date"));
        Optional<Optional<LocalDate>> contact = CalendarDates.parseOptional(row.get("first_employer_contact_date"));
        Optional<Optional<LocalDate>> firstJob = CalendarDates.parseOptional(row.get("first_job_start_date"));
        if (firstSession.isEmpty() || profile.isEmpty() || contact.isEmpty() || firstJob.isEmpty()) {
            return Parsed.problem(QuarantineReason.INVALID_DELIVERY_DATE);
        }
        Optional<Integer> hours = Optional.empty();
        String hoursText = row.get("first_job_hours_per_week");
        if (!hoursText.isEmpty()) {
            if (!HOURS.matcher(hoursText).matches()) {
                return Parsed.problem(QuarantineReason.INVALID_HOURS_PER_WEEK);
            }
            int hundredths = new BigDecimal(hoursText).movePointRight(2).intValueExact();
            if (hundredths > 10_000) {
                return Parsed.problem(QuarantineReason.INVALID_HOURS_PER_WEEK);
            }
            hours = Optional.of(hundredths);
        }
        if (engaged != (sessions > 0) || firstSession.get().isPresent() != (sessions > 0)
                || firstJob.get().isPresent() != (jobStarts > 0) || (jobStarts == 0 && hours.isPresent())) {
            return Parsed.problem(QuarantineReason.INCONSISTENT_DELIVERY);
        }
        for (Optional<Optional<LocalDate>> date : java.util.List.of(firstSession, profile, contact, firstJob)) {
            if (date.get().filter(d -> d.isBefore(randomisation)).isPresent()) {
                return Parsed.problem(QuarantineReason.DELIVERY_BEFORE_RANDOMISATION);
            }
        }
        return new Parsed(new ServiceDelivery(engaged, sessions, over15, firstSession.get(), profile.get(), contact.get(), jobStarts,
                firstJob.get(), hours), null);
    }

    private static Integer count(String text) {
        return COUNT.matcher(text).matches() ? Integer.valueOf(text) : null;
    }
}
