package org.ipstrial.etl.link;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.etl.read.CalendarDates;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.BenefitSpell;

/**
 * Reads, validates and links the benefit spells file (contract section 2). Benefit codes outside
 * the contract's list are accepted (the contract allows "another code"); they are simply not
 * out-of-work benefits unless the configured set names them. An unknown UC regime is quarantined,
 * since it decides whether a spell counts.
 */
public final class BenefitRows {
    public static final String SOURCE = "benefits";
    public static final Set<String> REQUIRED = Set.of("nino", "benefit", "start_date", "end_date");
    public static final Set<String> OPTIONAL = Set.of("date_of_birth", "uc_regime");
    public static final List<String> UC_REGIMES = List.of("searching", "planning", "preparing",
            "no_work_requirements", "working_with_requirements", "light_touch");
    private static final int NO_DATE = Integer.MIN_VALUE;

    private BenefitRows() {}

    /** The linked spells of the participants of one partition (indexed by register index). */
    public static final class LinkedBenefits {
        private final int[] offsets;
        private final int[] order;
        private final int[] start;
        private final int[] end;
        private final int[] benefit;
        private final int[] regime;
        private final List<String> codes;

        private LinkedBenefits(Builder b, int people) {
            RowGrouping.Grouping g = RowGrouping.groupBy(b.person, b.size, people);
            offsets = g.offsets();
            order = g.order();
            start = b.start;
            end = b.end;
            benefit = b.benefit;
            regime = b.regime;
            codes = List.copyOf(b.codeNames);
        }

        /** Reads one partition file of {@code rows} linked spells, in the order they were written. */
        public static LinkedBenefits read(PartitionFormat.Input in, int rows, int people) throws IOException {
            Builder b = new Builder(rows);
            for (int i = 0; i < rows; i++) {
                int who = in.readInt();
                int start = in.readInt();
                int end = in.readInt();
                byte regime = in.readByte();
                b.add(who, in.readText(), regime, start, end);
            }
            return new LinkedBenefits(b, people);
        }

        public int rowsOf(int participant) {
            return offsets[participant + 1] - offsets[participant];
        }

        public List<BenefitSpell> spellsOf(int participant) {
            List<BenefitSpell> spells = new ArrayList<>(rowsOf(participant));
            for (int k = offsets[participant]; k < offsets[participant + 1]; k++) {
                int i = order[k];
                spells.add(new BenefitSpell(codes.get(benefit[i]),
                        regime[i] < 0 ? Optional.empty() : Optional.of(UC_REGIMES.get(regime[i])),
                        LocalDate.ofEpochDay(start[i]),
                        end[i] == NO_DATE ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(end[i]))));
            }
            return spells;
        }
    }

    private static final class Builder {
        int size;
        int[] person;
        int[] start;
        int[] end;
        int[] benefit;
        int[] regime;
        final Map<String, Integer> codeIds = new HashMap<>();
        final List<String> codeNames = new ArrayList<>();

        Builder(int capacity) {
            person = new int[capacity];
            start = new int[capacity];
            end = new int[capacity];
            benefit = new int[capacity];
            regime = new int[capacity];
        }

        void add(int who, String code, int regimeIndex, int from, int to) {
            person[size] = who;
            start[size] = from;
            end[size] = to;
            benefit[size] = codeIds.computeIfAbsent(code, k -> {
                codeNames.add(k);
                return codeNames.size() - 1;
            });
            regime[size] = regimeIndex;
            size++;
        }
    }

    public record Result(RowCounts counts, CsvSource.Columns columns) {}

    /**
     * The first pass: reads, checks and links every row in file order and writes each linked spell,
     * in its compact binary form, to its participant's partition.
     */
    public static Result read(CsvSource source, ParticipantRegister register, SourceLedger ledger, Progress progress,
            LinkedRows linked) {
        AdministrativeLinkage linkage = new AdministrativeLinkage(register);
        PartitionFormat format = new PartitionFormat();
        CsvSource.Columns columns = linkage.readEach(source, ledger, progress,
                (row, who) -> linkOne(row, who, linkage, ledger, format, linked));
        return new Result(ledger.counts(), columns);
    }

    private static void linkOne(CsvRow row, int who, AdministrativeLinkage linkage, SourceLedger ledger, PartitionFormat format,
            LinkedRows linked) {
        Optional<Optional<LocalDate>> dob = CalendarDates.parseOptional(row.get("date_of_birth"));
        if (dob.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_DATE_OF_BIRTH);
            return;
        }
        String code = row.get("benefit").toUpperCase(Locale.ROOT);
        if (code.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.MISSING_BENEFIT);
            return;
        }
        String regimeText = row.get("uc_regime").toLowerCase(Locale.ROOT);
        int regime = regimeText.isEmpty() ? -1 : UC_REGIMES.indexOf(regimeText);
        if (!regimeText.isEmpty() && regime < 0) {
            ledger.quarantined(row, QuarantineReason.UNKNOWN_UC_REGIME);
            return;
        }
        Optional<LocalDate> start = CalendarDates.parse(row.get("start_date"));
        if (start.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_START_DATE);
            return;
        }
        Optional<Optional<LocalDate>> end = CalendarDates.parseOptional(row.get("end_date"));
        if (end.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_END_DATE);
            return;
        }
        if (end.get().isPresent() && end.get().get().isBefore(start.get())) {
            ledger.quarantined(row, QuarantineReason.END_BEFORE_START);
            return;
        }
        if (linkage.conflicts(who, dob.get())) {
            ledger.dateOfBirthConflict();
            return;
        }
        ledger.linked();
        // A regime only means something for Universal Credit; on another benefit it is ignored.
        linked.add(who, format.spell(who, (int) start.get().toEpochDay(), end.get().map(d -> (int) d.toEpochDay()).orElse(NO_DATE),
                (byte) ("UC".equals(code) ? regime : -1), PartitionFormat.utf8(code)));
    }
}
