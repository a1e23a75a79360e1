package org.ipstrial.etl.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipstrial.etl.derive.SurveyItem;
import org.junit.jupiter.api.Test;

/** Survey answers as people give them: whole-number items and hours per week with decimals. */
class SurveyAnswerTest {
    private static final SurveyItem HOURS = new SurveyItem("hours_per_week", 0, 168, 2);
    private static final SurveyItem PHQ = new SurveyItem("phq8_1", 0, 3);

    private static Integer answer(String text, SurveyItem item, FieldProblems problems) {
        return SurveyRows.answer(text, item, "survey_m12", problems);
    }

    @Test
    void theContractsExampleThirtySevenAndAHalfHoursIsKeptAsThirtySevenAndAHalf() {
        FieldProblems problems = new FieldProblems();
        Integer units = answer("37.5", HOURS, problems);

        assertThat(units).isEqualTo(3750);
        assertThat(HOURS.text(units)).isEqualTo("37.5");
        assertThat(problems.counts()).isEmpty();
    }

    @Test
    void hoursTakeUpToTwoDecimalsInZeroTo168AndAreWrittenWithoutTrailingZeros() {
        FieldProblems problems = new FieldProblems();
        assertThat(HOURS.text(answer("40", HOURS, problems))).isEqualTo("40");
        assertThat(HOURS.text(answer("40.00", HOURS, problems))).isEqualTo("40");
        assertThat(HOURS.text(answer("7.25", HOURS, problems))).isEqualTo("7.25");
        assertThat(HOURS.text(answer("0.5", HOURS, problems))).isEqualTo("0.5");
        assertThat(HOURS.text(answer("0", HOURS, problems))).isEqualTo("0");
        assertThat(HOURS.text(answer("168", HOURS, problems))).isEqualTo("168");
        assertThat(HOURS.text(answer("100", HOURS, problems))).isEqualTo("100");
        assertThat(HOURS.text(answer("12.500", HOURS, problems))).isEqualTo("12.5");
        assertThat(problems.counts()).isEmpty();
    }

    @Test
    void missingCodesAreMissingAndAnythingElseIsAFieldProblemNotAnAnswer() {
        FieldProblems problems = new FieldProblems();
        assertThat(answer("", HOURS, problems)).isNull();
        assertThat(answer("-1", HOURS, problems)).isNull();
        assertThat(answer("-8", HOURS, problems)).isNull();
        assertThat(answer("-9.00", HOURS, problems)).isNull();
        assertThat(problems.counts()).isEmpty();

        assertThat(answer("37.555", HOURS, problems)).isNull();
        assertThat(answer("37,5", HOURS, problems)).isNull();
        assertThat(answer("3.75e1", HOURS, problems)).isNull();
        assertThat(answer("about 30", HOURS, problems)).isNull();
        assertThat(problems.counts()).containsEntry("survey_m12: hours_per_week: not a number with up to 2 decimals (not an answer)", 4L);
        assertThat(answer("168.01", HOURS, problems)).isNull();
        assertThat(answer("-0.5", HOURS, problems)).isNull();
        assertThat(problems.counts()).containsEntry("survey_m12: hours_per_week: out of range (not an answer)", 2L);
    }

    @Test
    void wholeNumberItemsStillTakeWholeNumbersOnly() {
        FieldProblems problems = new FieldProblems();
        assertThat(answer("2", PHQ, problems)).isEqualTo(2);
        assertThat(answer("2.5", PHQ, problems)).isNull();
        assertThat(answer("2.0", PHQ, problems)).isNull();
        assertThat(problems.counts()).containsEntry("survey_m12: phq8_1: not a whole number (not an answer)", 2L);
    }
}
