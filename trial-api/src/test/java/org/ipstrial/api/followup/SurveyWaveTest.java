package org.ipstrial.api.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.ipstrial.api.core.followup.DueWindow;
import org.ipstrial.api.core.followup.FollowUpSettings;
import org.ipstrial.api.core.followup.FollowUpState;
import org.ipstrial.api.core.followup.SurveyWave;
import org.junit.jupiter.api.Test;

class SurveyWaveTest {
    private static final SurveyWave FOUR_MONTHS = new SurveyWave("4m", 4, 14, 56);
    private static final SurveyWave TWELVE_MONTHS = new SurveyWave("12m", 12, 14, 56);

    @Test
    void theWindowIsAroundTheDayThatManyCalendarMonthsAfterRandomisation() {
        DueWindow window = FOUR_MONTHS.windowFor(LocalDate.of(2019, 3, 10));
        assertThat(window.target()).isEqualTo(LocalDate.of(2019, 7, 10));
        assertThat(window.opens()).isEqualTo(LocalDate.of(2019, 6, 26));
        assertThat(window.closes()).isEqualTo(LocalDate.of(2019, 9, 4));
        assertThat(TWELVE_MONTHS.windowFor(LocalDate.of(2019, 3, 10)).target()).isEqualTo(LocalDate.of(2020, 3, 10));
    }

    @Test
    void aDayMissingFromTheTargetMonthFallsOnThatMonthsLastDay() {
        assertThat(FOUR_MONTHS.windowFor(LocalDate.of(2019, 10, 31)).target()).isEqualTo(LocalDate.of(2020, 2, 29));
        assertThat(TWELVE_MONTHS.windowFor(LocalDate.of(2020, 2, 29)).target()).isEqualTo(LocalDate.of(2021, 2, 28));
    }

    @Test
    void theStateChangesOnTheDaysTheWindowOpensAndAfterItCloses() {
        DueWindow window = FOUR_MONTHS.windowFor(LocalDate.of(2019, 3, 10));
        assertThat(window.stateOn(LocalDate.of(2019, 6, 25), false)).isEqualTo(FollowUpState.upcoming);
        assertThat(window.stateOn(LocalDate.of(2019, 6, 26), false)).isEqualTo(FollowUpState.due);
        assertThat(window.stateOn(LocalDate.of(2019, 9, 4), false)).isEqualTo(FollowUpState.due);
        assertThat(window.stateOn(LocalDate.of(2019, 9, 5), false)).isEqualTo(FollowUpState.overdue);
        // Done wins whenever it was recorded, even before the window opened (an early interview).
        assertThat(window.stateOn(LocalDate.of(2019, 6, 1), true)).isEqualTo(FollowUpState.done);
        assertThat(window.stateOn(LocalDate.of(2019, 12, 1), true)).isEqualTo(FollowUpState.done);
    }

    @Test
    void aWindowOfZeroDaysEitherSideIsTheTargetDayAlone() {
        DueWindow window = new SurveyWave("6m", 6, 0, 0).windowFor(LocalDate.of(2019, 1, 15));
        assertThat(window.opens()).isEqualTo(window.target()).isEqualTo(window.closes()).isEqualTo(LocalDate.of(2019, 7, 15));
        assertThat(window.stateOn(LocalDate.of(2019, 7, 15), false)).isEqualTo(FollowUpState.due);
        assertThat(window.stateOn(LocalDate.of(2019, 7, 16), false)).isEqualTo(FollowUpState.overdue);
    }

    @Test
    void aWindowThatClosesBeforeItOpensIsRefused() {
        assertThatThrownBy(() -> new DueWindow(LocalDate.of(2019, 2, 1), LocalDate.of(2019, 1, 1), LocalDate.of(2019, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreTheContractsTwoWaves() {
        FollowUpSettings defaults = new FollowUpSettings();
        assertThat(defaults.getWaves()).extracting(SurveyWave::code).containsExactly("4m", "12m");
        assertThat(defaults.wave("12m")).contains(TWELVE_MONTHS);
        assertThat(defaults.wave("6m")).isEmpty();
        assertThat(defaults.isEveryCodeUnique()).isTrue();
    }
}
