package org.ipstrial.etl.derive;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipstrial.etl.records.BenefitSpell;
import org.ipstrial.etl.records.PayrollPayment;

/**
 * Every administrative outcome of one participant, or none with the reason why. Empty outcomes are
 * never zeros: only a linkable participant with no linked rows gets zeros (genuinely not employed
 * and not on benefits).
 */
public sealed interface AdministrativeOutcomes {

    /** Why a participant's administrative outcomes are empty; no consent takes precedence. */
    enum MissingReason {
        NO_CONSENT("no_consent"),
        NO_VALID_NINO("no_valid_nino");

        private final String code;

        MissingReason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    record Missing(MissingReason reason) implements AdministrativeOutcomes {
        public Missing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    record Derived(boolean anyRowLinked, PayrollOutcomes payroll, BenefitOutcomes benefits, List<Integer> employedOnBenefitByMonth)
            implements AdministrativeOutcomes {
        public Derived {
            Objects.requireNonNull(payroll, "payroll");
            Objects.requireNonNull(benefits, "benefits");
            Objects.requireNonNull(employedOnBenefitByMonth, "employedOnBenefitByMonth");
        }
    }

    /** Which reason, if any, leaves a participant without administrative outcomes. */
    static Optional<MissingReason> missingReason(boolean consentAdminLinkage, boolean hasValidNino) {
        if (!consentAdminLinkage) {
            return Optional.of(MissingReason.NO_CONSENT);
        }
        if (!hasValidNino) {
            return Optional.of(MissingReason.NO_VALID_NINO);
        }
        return Optional.empty();
    }

    /** The outcomes of one linkable participant from their linked rows. */
    static Derived derive(LocalDate r, List<PayrollPayment> payments, LocalDate payrollExtract,
            List<BenefitSpell> spells, LocalDate benefitExtract, OutOfWorkBenefitSet set) {
        PayrollOutcomes payroll = PayrollOutcomes.derive(r, payments, payrollExtract);
        BenefitOutcomes benefits = BenefitOutcomes.derive(r, spells, benefitExtract, set);
        Integer[] both = new Integer[OutcomeWindows.MONTHS];
        for (int i = 0; i < both.length; i++) {
            Integer employed = payroll.employedByMonth().get(i);
            Integer onBenefit = benefits.onOutOfWorkBenefitByMonth().get(i);
            if (employed != null && onBenefit != null) {
                both[i] = employed == 1 && onBenefit == 1 ? 1 : 0;
            }
        }
        return new Derived(!payments.isEmpty() || !spells.isEmpty(), payroll, benefits,
                Collections.unmodifiableList(Arrays.asList(both)));
    }
}
