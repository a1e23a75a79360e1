package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One interview of one participant in one wave. Held compactly (a million participants' interviews
 * stay in memory while the administrative files are read): answers in a {@code short[]} when they
 * fit (every item of the reference questionnaires does, hours in hundredths included), otherwise an
 * {@code int[]}; the date as a day number.
 *
 * <p>{@code line} is the row's line in its file, to break the last tie and to report. Answers are
 * in the questionnaire catalogue's item order, each in its item's units (whole numbers, or
 * hundredths for an item with two decimals: see {@code SurveyItem}); null = not answered (blank, a
 * missing code, or a value out of range).
 */
public final class SurveyInterview {
    private static final int NOT_ANSWERED = Integer.MIN_VALUE;
    private static final short NOT_ANSWERED_SHORT = Short.MIN_VALUE;
    private static final long NO_DATE = Long.MIN_VALUE;

    private final long line;
    private final long interviewDay;
    private final String mode;
    private final short[] shortAnswers;
    private final int[] answers;
    private final int itemsAnswered;

    public SurveyInterview(long line, Optional<LocalDate> interviewDate, String mode, List<Integer> answers) {
        Objects.requireNonNull(interviewDate, "interviewDate");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.line = line;
        this.interviewDay = interviewDate.map(LocalDate::toEpochDay).orElse(NO_DATE);
        int answered = 0;
        boolean fitsShort = true;
        for (Integer a : answers) {
            if (a != null && a == NOT_ANSWERED) {
                throw new IllegalArgumentException("answer out of the representable range");
            }
            if (a != null) {
                answered++;
                fitsShort &= a > Short.MIN_VALUE && a <= Short.MAX_VALUE;
            }
        }
        this.itemsAnswered = answered;
        if (fitsShort) {
            this.shortAnswers = new short[answers.size()];
            this.answers = null;
            for (int i = 0; i < shortAnswers.length; i++) {
                Integer a = answers.get(i);
                shortAnswers[i] = a == null ? NOT_ANSWERED_SHORT : (short) (int) a;
            }
        } else {
            this.shortAnswers = null;
            this.answers = new int[answers.size()];
            for (int i = 0; i < this.answers.length; i++) {
                Integer a = answers.get(i);
                this.answers[i] = a == null ? NOT_ANSWERED : a;
            }
        }
    }

    public long line() {
        return line;
    }

    public Optional<LocalDate> interviewDate() {
        return interviewDay == NO_DATE ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(interviewDay));
    }

    public String mode() {
        return mode;
    }

    /** The answers as a read-only list; null = not answered. */
    public List<Integer> answers() {
        return new AbstractList<>() {
            @Override
            public Integer get(int index) {
                if (shortAnswers != null) {
                    short a = shortAnswers[index];
                    return a == NOT_ANSWERED_SHORT ? null : Integer.valueOf(a);
                }
                int a = answers[index];
                return a == NOT_ANSWERED ? null : a;
            }

            @Override
            public int size() {
                return shortAnswers != null ? shortAnswers.length : answers.length;
            }
        };
    }

    public int itemsAnswered() {
        return itemsAnswered;
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
        if (a.interviewDay != b.interviewDay) {
            return a.interviewDay > b.interviewDay ? a : b;
        }
        return a.line <= b.line ? a : b;
    }

    @Override
    public String toString() {
        return "SurveyInterview[line " + line + "]";
    }
}
