package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.etl.records.PayFrequency;
import org.ipstrial.etl.records.PayrollPayment;

/** Builds one person's employment spells from their linked payroll payments (contract rule). */
public final class EmploymentSpells {
    /** A last payment more than this many days before the extract date closes the spell. */
    public static final int DAYS_BEFORE_EXTRACT_TO_INFER_END = 92;

    private EmploymentSpells() {}

    private record SpellKey(String employerRef, Optional<LocalDate> employmentStart) {}

    public static List<EmploymentSpell> of(List<PayrollPayment> payments, LocalDate extractDate) {
        Map<SpellKey, List<PayrollPayment>> bySpell = new LinkedHashMap<>();
        for (PayrollPayment p : payments) {
            bySpell.computeIfAbsent(new SpellKey(p.employerRef(), p.employmentStart()), k -> new ArrayList<>()).add(p);
        }
        List<EmploymentSpell> spells = new ArrayList<>();
        for (Map.Entry<SpellKey, List<PayrollPayment>> e : bySpell.entrySet()) {
            spells.add(spell(e.getKey().employmentStart(), e.getValue(), extractDate));
        }
        spells.sort(Comparator.comparing(EmploymentSpell::start).thenComparing(EmploymentSpell::end));
        return List.copyOf(spells);
    }

    private static EmploymentSpell spell(Optional<LocalDate> recordedStart, List<PayrollPayment> rows, LocalDate extractDate) {
        LocalDate firstPayment = rows.stream().map(PayrollPayment::paymentDate).min(Comparator.naturalOrder()).orElseThrow();
        LocalDate start = recordedStart.orElse(firstPayment);
        Optional<LocalDate> leaving = rows.stream().flatMap(r -> r.leavingDate().stream()).max(Comparator.naturalOrder());
        if (leaving.isPresent()) {
            return new EmploymentSpell(start, leaving.get(), EmploymentSpell.SpellEnd.REPORTED);
        }
        LocalDate lastPayment = rows.stream().map(PayrollPayment::paymentDate).max(Comparator.naturalOrder()).orElseThrow();
        if (lastPayment.isBefore(extractDate.minusDays(DAYS_BEFORE_EXTRACT_TO_INFER_END))) {
            // Several rows on the last payment day with different frequencies: the longest period
            // wins, so the result does not depend on row order.
            PayFrequency frequency = rows.stream()
                    .filter(r -> r.paymentDate().equals(lastPayment))
                    .map(PayrollPayment::frequency)
                    .max(Comparator.comparingInt(PayFrequency::approximateDays).thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            return new EmploymentSpell(start, frequency.lastDayCovered(lastPayment), EmploymentSpell.SpellEnd.INFERRED_FROM_LAST_PAYMENT);
        }
        return new EmploymentSpell(start, extractDate, EmploymentSpell.SpellEnd.OPEN_AT_EXTRACT);
    }

    /** The days covered by any of the spells. */
    public static DaySet daysCovered(List<EmploymentSpell> spells) {
        return DaySet.of(spells.stream().filter(EmploymentSpell::coversAnyDay).map(EmploymentSpell::asWindow).toList());
    }
}
