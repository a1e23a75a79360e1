package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.ipstrial.etl.records.SurveyInterview;
import org.junit.jupiter.api.Test;

/** Interviews are held compactly; what goes in comes out, small answers or large. */
class SurveyInterviewStorageTest {
    @Test
    void answersComeBackAsGivenWhetherTheyFitASixteenBitCellOrNot() {
        Integer[] small = {0, 5, null, -32767, 32767, 3750};
        Integer[] large = {1, null, 40_000, -100_000, Integer.MAX_VALUE};
        SurveyInterview a = new SurveyInterview(7, Optional.of(LocalDate.of(2019, 5, 20)), "web", Arrays.asList(small));
        SurveyInterview b = new SurveyInterview(8, Optional.empty(), "", Arrays.asList(large));

        assertThat(a.answers()).containsExactly(small);
        assertThat(a.itemsAnswered()).isEqualTo(5);
        assertThat(a.interviewDate()).contains(LocalDate.of(2019, 5, 20));
        assertThat(b.answers()).containsExactly(large);
        assertThat(b.itemsAnswered()).isEqualTo(4);
        assertThat(b.interviewDate()).isEmpty();
        assertThat(SurveyInterview.preferred(a, b)).isSameAs(a);
    }
}
