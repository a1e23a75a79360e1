package org.ipstrial.etl.derive;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One questionnaire total, as configuration: its items, their answer range, and its missing-item
 * rule. By default ({@code proratedMissingItems} 0) a total is computed only when every item is
 * answered; with k > 0, up to k missing items are allowed and the total is the mean of the answered
 * items times the item count, rounded half-up to {@code precision} decimals.
 *
 * @param name dataset variable suffix, e.g. {@code swemwbs_raw} (the column is {@code m12_swemwbs_raw})
 */
public record ScoreDefinition(String name, String label, List<String> items, int min, int max,
        int proratedMissingItems, int precision) {

    public ScoreDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        items = List.copyOf(items);
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("score name must be lower case letters, digits and _");
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("score " + name + " has no items");
        }
        if (max < min) {
            throw new IllegalArgumentException("score " + name + " has max below min");
        }
        if (proratedMissingItems < 0 || proratedMissingItems >= items.size()) {
            throw new IllegalArgumentException("score " + name + ": proratedMissingItems must be 0.." + (items.size() - 1));
        }
        if (precision < 0 || precision > 6) {
            throw new IllegalArgumentException("score " + name + ": precision must be 0..6");
        }
    }

    /** Whether a value is an answer (in range), rather than a missing code, blank or out of range. */
    public boolean isAnswer(Integer value) {
        return value != null && value >= min && value <= max;
    }

    /**
     * The total of one interview's answers, in item order (null or out-of-range = not answered);
     * empty when too many items are missing.
     */
    public Optional<BigDecimal> total(List<Integer> answers) {
        if (answers.size() != items.size()) {
            throw new IllegalArgumentException("score " + name + " expects " + items.size() + " answers");
        }
        long sum = 0;
        int answered = 0;
        for (Integer a : answers) {
            if (isAnswer(a)) {
                sum += a;
                answered++;
            }
        }
        int missing = items.size() - answered;
        if (missing == 0) {
            return Optional.of(BigDecimal.valueOf(sum).setScale(precision, RoundingMode.UNNECESSARY));
        }
        if (missing > proratedMissingItems || answered == 0) {
            return Optional.empty();
        }
        BigDecimal prorated = BigDecimal.valueOf(sum).multiply(BigDecimal.valueOf(items.size()))
                .divide(BigDecimal.valueOf(answered), precision, RoundingMode.HALF_UP);
        return Optional.of(prorated);
    }

    /** The rule in force, in words, for the data dictionary. */
    public String rule() {
        String base = "sum of " + String.join(", ", items) + " (each " + min + ".." + max
                + "; missing codes -8, -9, -1, blank and out-of-range values are not answers)";
        if (proratedMissingItems == 0) {
            return base + "; computed only when every item is answered";
        }
        return base + "; up to " + proratedMissingItems + " missing item(s) prorated: mean of answered items x "
                + items.size() + ", rounded half-up to " + precision + " decimal(s)";
    }
}
