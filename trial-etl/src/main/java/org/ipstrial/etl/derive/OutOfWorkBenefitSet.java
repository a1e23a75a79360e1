package org.ipstrial.etl.derive;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.ipstrial.etl.records.BenefitSpell;

/**
 * Which benefit spells count as out-of-work benefits. Universal Credit counts unless its regime is
 * one of {@code ucRegimesNotOutOfWork} (a blank regime counts as out of work).
 */
public record OutOfWorkBenefitSet(Set<String> benefits, Set<String> ucRegimesNotOutOfWork) {
    public static final String UNIVERSAL_CREDIT = "UC";

    public OutOfWorkBenefitSet {
        Objects.requireNonNull(benefits, "benefits");
        Objects.requireNonNull(ucRegimesNotOutOfWork, "ucRegimesNotOutOfWork");
        benefits = Set.copyOf(new TreeSet<>(benefits.stream().map(b -> b.toUpperCase(Locale.ROOT)).toList()));
        ucRegimesNotOutOfWork = Set.copyOf(ucRegimesNotOutOfWork.stream().map(b -> b.toLowerCase(Locale.ROOT)).toList());
        if (benefits.isEmpty()) {
            throw new IllegalArgumentException("the out-of-work benefit set must name at least one benefit");
        }
    }

    /** The contract's reference set. */
    public static OutOfWorkBenefitSet reference() {
        return new OutOfWorkBenefitSet(Set.of("JSA", "ESA", "IS", "IB", "UC"), Set.of("working_with_requirements", "light_touch"));
    }

    public boolean isOutOfWork(BenefitSpell spell) {
        if (!benefits.contains(spell.benefit())) {
            return false;
        }
        if (UNIVERSAL_CREDIT.equals(spell.benefit())) {
            return spell.ucRegime().map(r -> !ucRegimesNotOutOfWork.contains(r)).orElse(true);
        }
        return true;
    }

    /** A stable one-line description, recorded in the dataset and the manifest. */
    public String describe() {
        String codes = String.join(",", new TreeSet<>(benefits));
        if (!benefits.contains(UNIVERSAL_CREDIT) || ucRegimesNotOutOfWork.isEmpty()) {
            return codes;
        }
        return codes + "; UC except regimes " + String.join(",", new TreeSet<>(ucRegimesNotOutOfWork));
    }
}
