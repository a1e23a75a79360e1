package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.ipstrial.etl.records.SurveyInterview;
import org.junit.jupiter.api.Test;

class SurveyInterviewTest {

    private static SurveyInterview interview(long line, String date, Integer... answers) {
        return new SurveyInterview(line, Optional.ofNullable(date).map(LocalDate::parse), "web", Arrays.asList(answers));
    }

    @Test
    void mostItemsAnsweredWinsEvenIfEarlier() {
        SurveyInterview complete = interview(2, "2019-05-01", 1, 2, 3);
        SurveyInterview partial = interview(3, "2019-06-01", 1, null, 3);
        assertThat(SurveyInterview.preferred(complete, partial)).isSameAs(complete);
        assertThat(SurveyInterview.preferred(partial, complete)).isSameAs(complete);
    }

    @Test
    void thenTheLaterInterviewThenTheEarlierLine() {
        SurveyInterview early = interview(2, "2019-05-01", 1, 2, null);
        SurveyInterview late = interview(3, "2019-06-01", null, 2, 3);
        assertThat(SurveyInterview.preferred(early, late)).isSameAs(late);
        SurveyInterview sameDay = interview(9, "2019-06-01", 1, 2, null);
        assertThat(SurveyInterview.preferred(sameDay, late)).isSameAs(late);
        assertThat(SurveyInterview.preferred(late, sameDay)).isSameAs(late);
    }
}
