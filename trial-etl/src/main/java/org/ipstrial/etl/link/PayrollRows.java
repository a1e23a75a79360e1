package org.ipstrial.etl.link;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.ipstrial.etl.read.CalendarDates;
import org.ipstrial.etl.read.CsvRow;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.Money;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.PayFrequency;
import org.ipstrial.etl.records.PayrollPayment;

/**
 * Reads, validates and links the payroll file (contract section 1). The first pass checks and links
 * each row and sends it to its participant's partition; the second pass reads one partition at a
 * time back into compact primitive columns ({@link LinkedPayroll}).
 */
public final class PayrollRows {
    public static final String SOURCE = "payroll";
    public static final Set<String> REQUIRED = Set.of("nino", "employer_ref", "employment_start_date",
            "employment_end_date", "payment_date", "pay_frequency", "taxable_pay");
    public static final Set<String> OPTIONAL = Set.of("date_of_birth", "hours_band");
    static final int NO_DATE = Integer.MIN_VALUE;
    private static final Set<String> HOURS_BANDS = Set.of("A", "B", "C", "D", "E");
    private static final PayFrequency[] FREQUENCIES = PayFrequency.values();

    private PayrollRows() {}

    /**
     * The linked payments of the participants of one partition (indexed by register index), read
     * back from the partition's file into primitive columns.
     */
    public static final class LinkedPayroll {
        private final int[] offsets;
        private final int[] order;
        private final int[] paymentDay;
        private final int[] startDay;
        private final int[] leavingDay;
        private final int[] employer;
        private final byte[] frequency;
        private final long[] pence;
        private final List<String> employers;

        private LinkedPayroll(Builder b, int people) {
            RowGrouping.Grouping g = RowGrouping.groupBy(b.person, b.size, people);
            this.offsets = g.offsets();
            this.order = g.order();
            this.paymentDay = b.paymentDay;
            this.startDay = b.startDay;
            this.leavingDay = b.leavingDay;
            this.employer = b.employer;
            this.frequency = b.frequency;
            this.pence = b.pence;
            this.employers = List.copyOf(b.employerNames);
        }

        /**
         * Reads one partition file of {@code rows} linked rows in the order they were written (file
         * order); {@code people} is the register's size.
         */
        public static LinkedPayroll read(PartitionFormat.Input in, int rows, int people) throws IOException {
            Builder b = new Builder(rows);
            for (int i = 0; i < rows; i++) {
                int who = in.readInt();
                int payment = in.readInt();
                int start = in.readInt();
                int leaving = in.readInt();
                byte frequency = in.readByte();
                long pence = in.readLong();
                String employerRef = in.readText();
                b.add(who, payment, start, leaving, employerRef, frequency, pence);
            }
            return new LinkedPayroll(b, people);
        }

        public int rowsOf(int participant) {
            return offsets[participant + 1] - offsets[participant];
        }

        /** The participant's payments, in file order. */
        public List<PayrollPayment> paymentsOf(int participant) {
            List<PayrollPayment> payments = new ArrayList<>(rowsOf(participant));
            for (int k = offsets[participant]; k < offsets[participant + 1]; k++) {
                int i = order[k];
                payments.add(new PayrollPayment(employers.get(employer[i]), day(startDay[i]), day(leavingDay[i]),
                        LocalDate.ofEpochDay(paymentDay[i]), FREQUENCIES[frequency[i]], pence[i]));
            }
            return payments;
        }

        private static Optional<LocalDate> day(int epochDay) {
            return epochDay == NO_DATE ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(epochDay));
        }
    }

    private static final class Builder {
        int size;
        int[] person;
        int[] paymentDay;
        int[] startDay;
        int[] leavingDay;
        int[] employer;
        byte[] frequency;
        long[] pence;
        final Map<String, Integer> employerIds = new HashMap<>();
        final List<String> employerNames = new ArrayList<>();

        Builder(int capacity) {
            person = new int[capacity];
            paymentDay = new int[capacity];
            startDay = new int[capacity];
            leavingDay = new int[capacity];
            employer = new int[capacity];
            frequency = new byte[capacity];
            pence = new long[capacity];
        }

        void add(int who, int payment, int start, int leaving, String employerRef, byte freq, long amount) {
            person[size] = who;
            paymentDay[size] = payment;
            startDay[size] = start;
            leavingDay[size] = leaving;
            employer[size] = employerIds.computeIfAbsent(employerRef, k -> {
                employerNames.add(k);
                return employerNames.size() - 1;
            });
            frequency[size] = freq;
            pence[size] = amount;
            size++;
        }
    }

    public record Result(RowCounts counts, CsvSource.Columns columns) {}

    /**
     * The first pass: reads, checks and links every row in file order (the ledger and the quarantine
     * see exactly what an in-memory read would) and hands each linked row, in its compact binary
     * form, to {@code linked}.
     */
    public static Result read(CsvSource source, ParticipantRegister register, SourceLedger ledger, Progress progress, LinkedRows linked) {
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
        String employerRef = row.get("employer_ref");
        if (employerRef.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.MISSING_EMPLOYER_REF);
            return;
        }
        Optional<Optional<LocalDate>> start = CalendarDates.parseOptional(row.get("employment_start_date"));
        if (start.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_EMPLOYMENT_START_DATE);
            return;
        }
        Optional<Optional<LocalDate>> leaving = CalendarDates.parseOptional(row.get("employment_end_date"));
        if (leaving.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_EMPLOYMENT_END_DATE);
            return;
        }
        Optional<LocalDate> payment = CalendarDates.parse(row.get("payment_date"));
        if (payment.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_PAYMENT_DATE);
            return;
        }
        Optional<PayFrequency> frequency = PayFrequency.parse(row.get("pay_frequency"));
        if (frequency.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.UNKNOWN_PAY_FREQUENCY);
            return;
        }
        OptionalLong pence = Money.parsePence(row.get("taxable_pay"));
        if (pence.isEmpty()) {
            ledger.quarantined(row, QuarantineReason.INVALID_TAXABLE_PAY);
            return;
        }
        String band = row.get("hours_band").toUpperCase(java.util.Locale.ROOT);
        if (!band.isEmpty() && !HOURS_BANDS.contains(band)) {
            ledger.quarantined(row, QuarantineReason.UNKNOWN_HOURS_BAND);
            return;
        }
        if (linkage.conflicts(who, dob.get())) {
            ledger.dateOfBirthConflict();
            return;
        }
        ledger.linked();
        int paymentDay = (int) payment.get().toEpochDay();
        int startDay = start.get().map(d -> (int) d.toEpochDay()).orElse(NO_DATE);
        int leavingDay = leaving.get().map(d -> (int) d.toEpochDay()).orElse(NO_DATE);
        byte freq = (byte) frequency.get().ordinal();
        long amount = pence.getAsLong();
        linked.add(who, format.payment(who, paymentDay, startDay, leavingDay, freq, amount, PartitionFormat.utf8(employerRef)));
    }

}
