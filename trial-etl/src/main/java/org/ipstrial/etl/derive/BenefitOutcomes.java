package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ipstrial.etl.records.BenefitSpell;

/**
 * Out-of-work benefit outcomes of one linkable participant; null elements are censored windows.
 * A spell still open at the extract date runs to the extract date.
 */
public record BenefitOutcomes(Long daysOnOutOfWorkBenefit12m, List<Integer> onOutOfWorkBenefitByMonth, boolean censored12m) {

    public static BenefitOutcomes derive(LocalDate r, List<BenefitSpell> spells, LocalDate extractDate, OutOfWorkBenefitSet set) {
        DaySet onBenefit = DaySet.of(spells.stream()
                .filter(set::isOutOfWork)
                .map(s -> s.end().orElse(extractDate).isBefore(s.start()) ? null : new Window(s.start(), s.end().orElse(extractDate)))
                .filter(w -> w != null)
                .toList());
        Integer[] byMonth = new Integer[OutcomeWindows.MONTHS];
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            Window month = OutcomeWindows.month(r, m);
            if (!month.isCensoredBy(extractDate)) {
                byMonth[m - 1] = onBenefit.anyWithin(month) ? 1 : 0;
            }
        }
        Window year = OutcomeWindows.outcomeYear(r);
        boolean censored = year.isCensoredBy(extractDate);
        return new BenefitOutcomes(censored ? null : onBenefit.daysWithin(year),
                Collections.unmodifiableList(Arrays.asList(byMonth)), censored);
    }
}
