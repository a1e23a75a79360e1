package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

/**
 * One line of the baseline balance table. For a numeric variable the counts are people with a
 * value and mean/SD describe them; for a level of a categorical variable (or "(missing)") the
 * counts are people at that level and the percentages are of everyone in the arm.
 *
 * @param cellGroup the cells that add up to the arm's total (one variable's levels), for
 *     secondary suppression; rows in different cell groups are never derived from each other
 */
public record BalanceRow(String group, String variable, String level, String cellGroup,
                         int nTreatment, double pctTreatment, double meanTreatment, double sdTreatment,
                         int nControl, double pctControl, double meanControl, double sdControl,
                         double standardisedDifference) {
    public BalanceRow {
        requireNonNull(group, "group");
        requireNonNull(variable, "variable");
        requireNonNull(level, "level");
        requireNonNull(cellGroup, "cellGroup");
    }
}
