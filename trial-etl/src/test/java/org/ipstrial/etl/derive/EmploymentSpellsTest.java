package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.ipstrial.etl.derive.EmploymentSpell.SpellEnd;
import org.ipstrial.etl.records.PayFrequency;
import org.ipstrial.etl.records.PayrollPayment;
import org.junit.jupiter.api.Test;

class EmploymentSpellsTest {
    private static final LocalDate EXTRACT = LocalDate.of(2020, 12, 31);

    static PayrollPayment pay(String employer, String start, String leaving, String paid, PayFrequency f, long pence) {
        return new PayrollPayment(employer, Optional.ofNullable(start).map(LocalDate::parse), Optional.ofNullable(leaving).map(LocalDate::parse),
                LocalDate.parse(paid), f, pence);
    }

    @Test
    void contractExamplesOfInferredEnds() {
        assertThat(only(pay("E1", "2018-06-01", null, "2019-01-31", PayFrequency.M1, 100)).end()).isEqualTo(LocalDate.of(2019, 2, 27));
        assertThat(only(pay("E1", "2018-06-01", null, "2019-11-30", PayFrequency.M3, 100)).end()).isEqualTo(LocalDate.of(2020, 2, 28));
        assertThat(only(pay("E1", "2018-06-01", null, "2019-03-01", PayFrequency.W2, 100)).end()).isEqualTo(LocalDate.of(2019, 3, 14));
    }

    @Test
    void otherPayPeriods() {
        assertThat(only(pay("E", null, null, "2019-03-01", PayFrequency.W1, 1)).end()).isEqualTo(LocalDate.of(2019, 3, 7));
        assertThat(only(pay("E", null, null, "2019-03-01", PayFrequency.W4, 1)).end()).isEqualTo(LocalDate.of(2019, 3, 28));
        assertThat(only(pay("E", null, null, "2019-08-31", PayFrequency.M6, 1)).end()).isEqualTo(LocalDate.of(2020, 2, 28));
        assertThat(only(pay("E", null, null, "2019-02-28", PayFrequency.MA, 1)).end()).isEqualTo(LocalDate.of(2020, 2, 27));
        assertThat(only(pay("E", null, null, "2019-03-01", PayFrequency.IO, 1)).end()).isEqualTo(LocalDate.of(2019, 3, 1));
        assertThat(only(pay("E", null, null, "2019-03-01", PayFrequency.IR, 1)).end()).isEqualTo(LocalDate.of(2019, 3, 1));
    }

    @Test
    void reportedLeavingDateWinsAndTheLatestOneWhenRowsDisagree() {
        EmploymentSpell s = only(
                pay("E", "2019-01-01", "2019-05-10", "2019-04-30", PayFrequency.M1, 1),
                pay("E", "2019-01-01", "2019-05-20", "2019-05-15", PayFrequency.M1, 1),
                pay("E", "2019-01-01", null, "2019-03-31", PayFrequency.M1, 1));
        assertThat(s.end()).isEqualTo(LocalDate.of(2019, 5, 20));
        assertThat(s.endKind()).isEqualTo(SpellEnd.REPORTED);
        assertThat(s.start()).isEqualTo(LocalDate.of(2019, 1, 1));
    }

    @Test
    void the92DayRuleIsStrictlyMoreThan92Days() {
        // 2020-12-31 minus 92 days is 2020-09-30: a last payment on that day keeps the spell open.
        EmploymentSpell open = only(pay("E", null, null, "2020-09-30", PayFrequency.W1, 1));
        assertThat(open.endKind()).isEqualTo(SpellEnd.OPEN_AT_EXTRACT);
        assertThat(open.end()).isEqualTo(EXTRACT);
        EmploymentSpell closed = only(pay("E", null, null, "2020-09-29", PayFrequency.W1, 1));
        assertThat(closed.endKind()).isEqualTo(SpellEnd.INFERRED_FROM_LAST_PAYMENT);
        assertThat(closed.end()).isEqualTo(LocalDate.of(2020, 10, 5));
    }

    @Test
    void blankStartIsASpellOfItsOwnStartingAtTheEarliestPayment() {
        List<EmploymentSpell> spells = EmploymentSpells.of(List.of(
                pay("E", null, null, "2019-02-01", PayFrequency.M1, 1),
                pay("E", null, null, "2019-01-01", PayFrequency.M1, 1),
                pay("E", "2018-01-01", null, "2018-02-01", PayFrequency.M1, 1)), EXTRACT);
        assertThat(spells).hasSize(2);
        assertThat(spells.get(0).start()).isEqualTo(LocalDate.of(2018, 1, 1));
        assertThat(spells.get(0).end()).isEqualTo(LocalDate.of(2018, 2, 28));
        assertThat(spells.get(1).start()).isEqualTo(LocalDate.of(2019, 1, 1));
        assertThat(spells.get(1).end()).isEqualTo(LocalDate.of(2019, 2, 28));
    }

    @Test
    void differentEmployersAreDifferentSpells() {
        assertThat(EmploymentSpells.of(List.of(
                pay("E1", "2019-01-01", null, "2019-01-31", PayFrequency.M1, 1),
                pay("E2", "2019-01-01", null, "2019-01-31", PayFrequency.M1, 1)), EXTRACT)).hasSize(2);
    }

    @Test
    void lastDayWithSeveralFrequenciesTakesTheLongestPeriod() {
        EmploymentSpell s = only(
                pay("E", null, null, "2019-03-01", PayFrequency.W1, 1),
                pay("E", null, null, "2019-03-01", PayFrequency.M1, 1));
        assertThat(s.end()).isEqualTo(LocalDate.of(2019, 3, 31));
    }

    @Test
    void overlappingSpellsCountEachDayOnce() {
        List<EmploymentSpell> spells = EmploymentSpells.of(List.of(
                pay("E1", "2019-01-01", "2019-01-20", "2019-01-15", PayFrequency.W1, 1),
                pay("E2", "2019-01-10", "2019-01-31", "2019-01-25", PayFrequency.W1, 1)), EXTRACT);
        DaySet days = EmploymentSpells.daysCovered(spells);
        assertThat(days.daysWithin(new Window(LocalDate.of(2019, 1, 1), LocalDate.of(2019, 12, 31)))).isEqualTo(31);
    }

    @Test
    void aLeavingDateBeforeTheStartCoversNoDay() {
        EmploymentSpell s = only(pay("E", "2019-05-01", "2019-04-01", "2019-04-30", PayFrequency.M1, 1));
        assertThat(s.coversAnyDay()).isFalse();
        assertThat(EmploymentSpells.daysCovered(List.of(s)).daysWithin(new Window(LocalDate.of(2019, 1, 1), LocalDate.of(2019, 12, 31)))).isZero();
    }

    private static EmploymentSpell only(PayrollPayment... payments) {
        List<EmploymentSpell> spells = EmploymentSpells.of(List.of(payments), EXTRACT);
        assertThat(spells).hasSize(1);
        return spells.get(0);
    }
}
