package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class OutcomeWindowsTest {
    private static final LocalDate R = LocalDate.of(2019, 1, 31);

    @Test
    void outcomeYearIsRToRPlus364() {
        assertThat(OutcomeWindows.outcomeYear(R)).isEqualTo(new Window(R, LocalDate.of(2020, 1, 30)));
    }

    @Test
    void monthsFollowTheFloorOf30Point4375() {
        // Hand-worked: floor(30.4375)=30, floor(60.875)=60, floor(91.3125)=91, floor(121.75)=121,
        // floor(334.8125)=334, floor(365.25)=365, floor(639.1875)=639, floor(669.625)=669.
        assertThat(offsets(1)).containsExactly(0L, 29L);
        assertThat(offsets(2)).containsExactly(30L, 59L);
        assertThat(offsets(3)).containsExactly(60L, 90L);
        assertThat(offsets(4)).containsExactly(91L, 120L);
        assertThat(offsets(12)).containsExactly(334L, 364L);
        assertThat(offsets(22)).containsExactly(639L, 668L);
    }

    @Test
    void monthsTileWithoutGapsAndMonth12EndsWithTheYear() {
        for (int m = 1; m < OutcomeWindows.MONTHS; m++) {
            assertThat(OutcomeWindows.month(R, m).last().plusDays(1)).isEqualTo(OutcomeWindows.month(R, m + 1).first());
        }
        assertThat(OutcomeWindows.month(R, 12).last()).isEqualTo(OutcomeWindows.outcomeYear(R).last());
    }

    @Test
    void censoringComparesTheLastDayWithTheExtractDate() {
        Window month1 = OutcomeWindows.month(R, 1);
        assertThat(month1.isCensoredBy(month1.last())).isFalse();
        assertThat(month1.isCensoredBy(month1.last().minusDays(1))).isTrue();
    }

    @Test
    void monthOfAgreesWithTheWindowsForEveryDay() {
        for (long offset = -3; offset < 700; offset++) {
            int expected = 0;
            for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
                if (OutcomeWindows.month(R, m).contains(R.plusDays(offset))) {
                    expected = m;
                }
            }
            assertThat(OutcomeWindows.monthOf(offset)).as("offset %d", offset).isEqualTo(expected);
        }
    }

    @Test
    void onlyMonths1To22() {
        assertThatThrownBy(() -> OutcomeWindows.month(R, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutcomeWindows.month(R, 23)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Long[] offsets(int m) {
        Window w = OutcomeWindows.month(R, m);
        return new Long[] {ChronoUnit.DAYS.between(R, w.first()), ChronoUnit.DAYS.between(R, w.last())};
    }
}
