package org.ipstrial.etl.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CalendarDatesTest {

    @Test
    void bothFormsGiveTheSameDay() {
        assertThat(CalendarDates.parse("2019-03-01")).contains(LocalDate.of(2019, 3, 1));
        assertThat(CalendarDates.parse("01/03/2019")).contains(LocalDate.of(2019, 3, 1));
        assertThat(CalendarDates.parse("29/02/2020")).contains(LocalDate.of(2020, 2, 29));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2019-02-29", "31/04/2019", "2019-13-01", "00/01/2019", "2019/03/01", "03/01/19", "1/3/2019",
        "2019-3-1", "01-03-2019", "2019-03-01T00:00", "", "  2019-03-01", "20190301", "2019-03-0a"})
    void anythingElseIsRejected(String text) {
        assertThat(CalendarDates.parse(text)).isEmpty();
    }
}
