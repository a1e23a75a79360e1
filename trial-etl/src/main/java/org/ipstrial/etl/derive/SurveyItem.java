package org.ipstrial.etl.derive;

import java.util.Objects;

/** One survey item column and its answer range; values outside it are not answers. */
public record SurveyItem(String column, int min, int max) {
    public SurveyItem {
        Objects.requireNonNull(column, "column");
        if (max < min) {
            throw new IllegalArgumentException("item " + column + " has max below min");
        }
    }

    public boolean inRange(int value) {
        return value >= min && value <= max;
    }
}
