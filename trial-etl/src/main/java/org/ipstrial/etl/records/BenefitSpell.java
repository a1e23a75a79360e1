package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One linked benefit spell of one participant.
 *
 * @param benefit  the benefit code, upper case
 * @param ucRegime the Universal Credit regime, lower case, when given
 * @param end      empty while the spell was ongoing at the extract date
 */
public record BenefitSpell(String benefit, Optional<String> ucRegime, LocalDate start, Optional<LocalDate> end) {
    public BenefitSpell {
        Objects.requireNonNull(benefit, "benefit");
        Objects.requireNonNull(ucRegime, "ucRegime");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isPresent() && end.get().isBefore(start)) {
            throw new IllegalArgumentException("a benefit spell cannot end before it starts");
        }
    }
}
