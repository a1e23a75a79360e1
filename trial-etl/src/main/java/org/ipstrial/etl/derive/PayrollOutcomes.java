package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ipstrial.etl.records.PayrollPayment;

/**
 * Employment and earnings outcomes of one linkable participant. A null element is a censored
 * window (its last day is after the payroll extract date): an empty cell, never a zero.
 */
public record PayrollOutcomes(
        Long daysEmployed12m,
        Integer employed13Weeks12m,
        Long earnings12mPence,
        Integer monthsEmployed12m,
        List<Integer> employedByMonth,
        List<Long> earningsByMonthPence,
        boolean censored12m) {

    /** Days employed in the outcome year at or above which a person counts as employed 13 weeks. */
    public static final int THIRTEEN_WEEKS = 91;

    public static PayrollOutcomes derive(LocalDate r, List<PayrollPayment> payments, LocalDate extractDate) {
        DaySet employed = EmploymentSpells.daysCovered(EmploymentSpells.of(payments, extractDate));
        Window year = OutcomeWindows.outcomeYear(r);
        boolean yearCensored = year.isCensoredBy(extractDate);

        Integer[] employedByMonth = new Integer[OutcomeWindows.MONTHS];
        Long[] earningsByMonth = new Long[OutcomeWindows.MONTHS];
        // One pass over the payments, each added to its month, rather than a pass per month.
        long[] paidInMonth = new long[OutcomeWindows.MONTHS + 1];
        long rDay = r.toEpochDay();
        for (PayrollPayment p : payments) {
            paidInMonth[OutcomeWindows.monthOf(p.paymentDate().toEpochDay() - rDay)] += p.taxablePayPence();
        }
        int monthsEmployed = 0;
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            Window month = OutcomeWindows.month(r, m);
            if (month.isCensoredBy(extractDate)) {
                continue;
            }
            boolean any = employed.anyWithin(month);
            employedByMonth[m - 1] = any ? 1 : 0;
            earningsByMonth[m - 1] = paidInMonth[m];
            if (m <= 12 && any) {
                monthsEmployed++;
            }
        }
        if (yearCensored) {
            return new PayrollOutcomes(null, null, null, null, list(employedByMonth), list(earningsByMonth), true);
        }
        long days = employed.daysWithin(year);
        return new PayrollOutcomes(
                days,
                days >= THIRTEEN_WEEKS ? 1 : 0,
                earningsWithin(payments, year),
                monthsEmployed,
                list(employedByMonth),
                list(earningsByMonth),
                false);
    }

    static long earningsWithin(List<PayrollPayment> payments, Window window) {
        long pence = 0;
        for (PayrollPayment p : payments) {
            if (window.contains(p.paymentDate())) {
                pence += p.taxablePayPence();
            }
        }
        return pence;
    }

    private static <T> List<T> list(T[] values) {
        return Collections.unmodifiableList(Arrays.asList(values));
    }
}
