package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipstrial.etl.derive.EmploymentSpellsTest.pay;

import java.time.LocalDate;
import java.util.List;
import org.ipstrial.etl.records.PayFrequency;
import org.junit.jupiter.api.Test;

class PayrollOutcomesTest {
    private static final LocalDate R = LocalDate.of(2019, 1, 1);
    private static final LocalDate LATE_EXTRACT = LocalDate.of(2022, 1, 1);

    @Test
    void noLinkedRowsGivesGenuineZeros() {
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(), LATE_EXTRACT);
        assertThat(o.employed13Weeks12m()).isZero();
        assertThat(o.earnings12mPence()).isZero();
        assertThat(o.monthsEmployed12m()).isZero();
        assertThat(o.daysEmployed12m()).isZero();
        assertThat(o.employedByMonth()).hasSize(22).containsOnly(0);
        assertThat(o.earningsByMonthPence()).containsOnly(0L);
        assertThat(o.censored12m()).isFalse();
    }

    @Test
    void thirteenWeeksIs91DistinctDaysAcrossOverlappingEmployers() {
        // E1 covers 2019-01-01..2019-03-01 (60 days), E2 2019-02-01..2019-04-01 (60 days, 29 shared): 91 distinct days.
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(
                pay("E1", "2019-01-01", "2019-03-01", "2019-02-28", PayFrequency.M1, 100_00),
                pay("E2", "2019-02-01", "2019-04-01", "2019-03-29", PayFrequency.M1, 50_00)), LATE_EXTRACT);
        assertThat(o.daysEmployed12m()).isEqualTo(91);
        assertThat(o.employed13Weeks12m()).isEqualTo(1);
        PayrollOutcomes oneLess = PayrollOutcomes.derive(R, List.of(
                pay("E1", "2019-01-01", "2019-03-01", "2019-02-28", PayFrequency.M1, 100_00),
                pay("E2", "2019-02-01", "2019-03-31", "2019-03-29", PayFrequency.M1, 50_00)), LATE_EXTRACT);
        assertThat(oneLess.daysEmployed12m()).isEqualTo(90);
        assertThat(oneLess.employed13Weeks12m()).isZero();
    }

    @Test
    void earningsSumPaymentsInTheWindowIncludingNegativeAdjustments() {
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(
                pay("E", "2018-06-01", null, "2018-12-31", PayFrequency.M1, 999_00), // before R
                pay("E", "2018-06-01", null, "2019-01-01", PayFrequency.M1, 1000_00), // day 0: month 1
                pay("E", "2018-06-01", null, "2019-01-30", PayFrequency.M1, -250_50), // day 29: month 1
                pay("E", "2018-06-01", null, "2019-01-31", PayFrequency.M1, 10_00), // day 30: month 2
                pay("E", "2018-06-01", null, "2019-12-31", PayFrequency.M1, 7_00), // day 364: month 12
                pay("E", "2018-06-01", "2020-01-15", "2020-01-01", PayFrequency.M1, 5_00)), // day 365: month 13
                LATE_EXTRACT);
        assertThat(o.earnings12mPence()).isEqualTo(1000_00 - 250_50 + 10_00 + 7_00);
        assertThat(o.earningsByMonthPence().get(0)).isEqualTo(1000_00 - 250_50);
        assertThat(o.earningsByMonthPence().get(1)).isEqualTo(10_00);
        assertThat(o.earningsByMonthPence().get(11)).isEqualTo(7_00);
        assertThat(o.earningsByMonthPence().get(12)).isEqualTo(5_00);
        assertThat(o.monthsEmployed12m()).isEqualTo(12);
    }

    @Test
    void monthBoundaryOneDayOfEmploymentCountsTheMonth() {
        // A one-off payment on day 30 (first day of month 2) only.
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(pay("E", null, null, "2019-01-31", PayFrequency.IO, 1)), LATE_EXTRACT);
        assertThat(o.employedByMonth().subList(0, 3)).containsExactly(0, 1, 0);
        assertThat(o.monthsEmployed12m()).isEqualTo(1);
        assertThat(o.daysEmployed12m()).isEqualTo(1);
    }

    @Test
    void windowsEndingAfterTheExtractDateAreEmptyNotZero() {
        // Extract 2019-06-30 is day 180: months 1..5 end by day 151; month 6 (152..181) ends after it.
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(), LocalDate.of(2019, 6, 30));
        assertThat(o.censored12m()).isTrue();
        assertThat(o.employed13Weeks12m()).isNull();
        assertThat(o.earnings12mPence()).isNull();
        assertThat(o.monthsEmployed12m()).isNull();
        assertThat(o.daysEmployed12m()).isNull();
        assertThat(o.employedByMonth().subList(0, 5)).containsOnly(0);
        assertThat(o.employedByMonth().subList(5, 22)).containsOnlyNulls();
        assertThat(o.earningsByMonthPence().get(5)).isNull();
    }

    @Test
    void anOpenSpellRunsToTheExtractDate() {
        LocalDate extract = LocalDate.of(2020, 6, 30);
        PayrollOutcomes o = PayrollOutcomes.derive(R, List.of(pay("E", "2019-06-01", null, "2020-06-15", PayFrequency.M1, 1)), extract);
        // 2019-06-01 .. 2019-12-31 inside the year: 214 days.
        assertThat(o.daysEmployed12m()).isEqualTo(214);
        assertThat(o.employedByMonth().get(16)).isEqualTo(1);
    }
}
