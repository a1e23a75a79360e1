package org.ipstrial.etl.link;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.ipstrial.etl.derive.SurveyItem;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.etl.read.CalendarDates;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.SurveyInterview;

/**
 * Reads and links one survey wave file (contract section 3), or the baseline answers (section 4),
 * on the participant identifier. Survey rows do not depend on administrative-linkage consent.
 * A participant interviewed twice keeps one interview; the other row is quarantined as
 * {@code superseded_duplicate_interview}, so nothing is dropped silently.
 */
public final class SurveyRows {
    public static final Set<String> WAVE_REQUIRED = Set.of("participant_id", "wave", "interview_date", "mode");
    public static final Set<String> BASELINE_REQUIRED = Set.of("participant_id");
    public static final Set<String> MODES = Set.of("face_to_face", "telephone", "web");
    private static final Set<Integer> MISSING_CODES = Set.of(-8, -9, -1);

    private SurveyRows() {}

    /**
     * @param waveCode the code the {@code wave} column must hold, or empty for the baseline file
     */
    public record Wave(String source, Optional<String> waveCode) {}

    /**
     * @param interviews the kept interview of each participant by register index; null = none
     */
    public record Result(SurveyInterview[] interviews, RowCounts counts, CsvSource.Columns columns, long participantsWithDuplicates) {

        public java.util.Optional<SurveyInterview> interviewOf(int participant) {
            return java.util.Optional.ofNullable(interviews[participant]);
        }
    }

    public static Result read(CsvSource source, Wave wave, List<SurveyItem> catalogue, ParticipantRegister register,
            SourceLedger ledger, FieldProblems problems, Progress progress) {
        SurveyInterview[] kept = new SurveyInterview[register.size()];
        Set<Long> supersededLines = new HashSet<>();
        Set<Integer> duplicated = new HashSet<>();
        CsvSource.Columns columns = source.read(progress, c -> ledger.quarantine().start(c.header().names()), row -> {
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
            if (wave.waveCode().isPresent() && !row.get("wave").equalsIgnoreCase(wave.waveCode().get())) {
                ledger.quarantined(row, QuarantineReason.WRONG_WAVE);
                return;
            }
            String dateText = row.get("interview_date");
            Optional<LocalDate> date = CalendarDates.parse(dateText);
            boolean dateRequired = wave.waveCode().isPresent();
            if (date.isEmpty() && (dateRequired || !dateText.isEmpty())) {
                ledger.quarantined(row, QuarantineReason.INVALID_INTERVIEW_DATE);
                return;
            }
            SurveyInterview interview = new SurveyInterview(row.line(), date, mode(row, wave, problems), answers(row, wave, catalogue, problems));
            ledger.linked();
            SurveyInterview before = kept[who.get()];
            if (before == null) {
                kept[who.get()] = interview;
                return;
            }
            duplicated.add(who.get());
            SurveyInterview preferred = SurveyInterview.preferred(before, interview);
            kept[who.get()] = preferred;
            supersededLines.add(preferred == interview ? before.line() : interview.line());
            ledger.linkedRowSuperseded(QuarantineReason.SUPERSEDED_DUPLICATE_INTERVIEW);
        });
        if (!supersededLines.isEmpty()) {
            // Superseded interviews are rare: a second pass copies them to the quarantine, so the
            // first pass need not hold every raw row in memory.
            source.read(Progress.silent(), c -> {}, row -> {
                if (supersededLines.contains(row.line())) {
                    ledger.quarantine().add(row, QuarantineReason.SUPERSEDED_DUPLICATE_INTERVIEW.code());
                }
            });
        }
        return new Result(kept, ledger.counts(), columns, duplicated.size());
    }

    private static String mode(CsvRow row, Wave wave, FieldProblems problems) {
        String mode = row.get("mode").toLowerCase(java.util.Locale.ROOT);
        for (String known : MODES) {
            if (known.equals(mode)) {
                return known; // the one instance: a million interviews need not each hold their own
            }
        }
        if (wave.waveCode().isPresent()) {
            problems.add(wave.source(), "mode", mode.isEmpty() ? "blank (left empty)" : "unknown code (left empty)");
        }
        return "";
    }

    private static List<Integer> answers(CsvRow row, Wave wave, List<SurveyItem> catalogue, FieldProblems problems) {
        List<Integer> answers = new ArrayList<>(catalogue.size());
        for (SurveyItem item : catalogue) {
            answers.add(answer(row.get(item.column()), item, wave.source(), problems));
        }
        return answers;
    }

    /**
     * An in-range answer in the item's units, or null: blank, a missing code, or an unreadable or
     * out-of-range value. A whole-number item takes whole numbers only; an item with decimals (hours
     * per week: 37.5) takes a plain number with up to that many decimals.
     */
    static Integer answer(String text, SurveyItem item, String source, FieldProblems problems) {
        if (text.isEmpty()) {
            return null;
        }
        int value;
        if (item.decimals() == 0) {
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                problems.add(source, item.column(), "not a whole number (not an answer)");
                return null;
            }
        } else {
            OptionalInt units = decimalUnits(text, item);
            if (units.isEmpty()) {
                problems.add(source, item.column(), "not a number with up to " + item.decimals() + " decimals (not an answer)");
                return null;
            }
            value = units.getAsInt();
            if (value % item.unit() == 0 && MISSING_CODES.contains((int) (value / item.unit()))) {
                return null;
            }
        }
        if (item.decimals() == 0 && MISSING_CODES.contains(value)) {
            return null;
        }
        if (!item.inRange(value)) {
            problems.add(source, item.column(), "out of range (not an answer)");
            return null;
        }
        return value;
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("[-+]?\\d{1,6}(\\.\\d{1,6})?");

    /** A plain decimal (no exponent, no thousands separator) as a whole number of the item's units. */
    private static OptionalInt decimalUnits(String text, SurveyItem item) {
        if (!PLAIN_NUMBER.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        java.math.BigDecimal number = new java.math.BigDecimal(text).stripTrailingZeros();
        if (number.scale() > item.decimals()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(number.movePointRight(item.decimals()).intValueExact());
    }
}
