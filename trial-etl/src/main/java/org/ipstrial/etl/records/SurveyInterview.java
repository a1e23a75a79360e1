package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One interview of one participant in one wave.
 *
 * @param line    the row's line in its file, to break the last tie and to report
 * @param answers in the questionnaire catalogue's item order, each in its item's units (whole numbers,
 *                or hundredths for an item with two decimals: see {@code SurveyItem}); null = not
 *                answered (blank, a missing code, or a value out of range)
 */
public record SurveyInterview(long line, Optional<LocalDate> interviewDate, String mode, List<Integer> answers) {
    public SurveyInterview {
        Objects.requireNonNull(interviewDate, "interviewDate");
        Objects.requireNonNull(mode, "mode");
        answers = Collections.unmodifiableList(new java.util.ArrayList<>(answers));
    }

    public int itemsAnswered() {
        int n = 0;
        for (Integer a : answers) {
            if (a != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * The contract's rule for a participant interviewed twice in a wave: keep the interview with most
     * items answered, then the later interview; if still tied, the one earlier in the file.
     */
    public static SurveyInterview preferred(SurveyInterview a, SurveyInterview b) {
        int byItems = Integer.compare(a.itemsAnswered(), b.itemsAnswered());
        if (byItems != 0) {
            return byItems > 0 ? a : b;
        }
        LocalDate da = a.interviewDate.orElse(LocalDate.MIN);
        LocalDate db = b.interviewDate.orElse(LocalDate.MIN);
        if (!da.equals(db)) {
            return da.isAfter(db) ? a : b;
        }
        return a.line <= b.line ? a : b;
    }
}
