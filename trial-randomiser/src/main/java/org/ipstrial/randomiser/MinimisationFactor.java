package org.ipstrial.randomiser;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A minimisation factor and its levels, for example {@code sex: [female, male]} or
 * {@code area: [north, south, east]}. The levels are fixed for the whole trial: the marginal totals
 * are kept per level, and the order of the levels is part of the design (it is in the commitment).
 *
 * @param name the factor's name: {@code site}, {@code area}, {@code trial_group} or a screening or
 *     baseline item
 * @param levels at least two levels, codes, each listed once
 */
public record MinimisationFactor(String name, List<String> levels) {

    public MinimisationFactor {
        Codes.require(name, "minimisation factor");
        Objects.requireNonNull(levels, "minimisation factor " + name + ": levels are missing");
        levels = List.copyOf(levels);
        if (levels.size() < 2) {
            throw new IllegalArgumentException("minimisation factor " + name
                    + ": at least two levels are needed, got " + levels);
        }
        for (String level : levels) {
            Codes.require(level, "minimisation factor " + name + ": level");
        }
        if (new HashSet<>(levels).size() != levels.size()) {
            throw new IllegalArgumentException("minimisation factor " + name + ": a level is listed twice in " + levels);
        }
    }

    /** The index of a level, or -1 when it is not one of this factor's. */
    public int indexOf(String level) {
        return levels.indexOf(level);
    }
}
