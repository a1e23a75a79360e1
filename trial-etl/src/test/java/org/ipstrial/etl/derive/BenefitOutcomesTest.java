package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.etl.records.BenefitSpell;
import org.ipstrial.etl.records.PayFrequency;
import org.junit.jupiter.api.Test;

class BenefitOutcomesTest {
    private static final LocalDate R = LocalDate.of(2019, 1, 1);
    private static final LocalDate EXTRACT = LocalDate.of(2021, 1, 1);
    private static final OutOfWorkBenefitSet REFERENCE = OutOfWorkBenefitSet.reference();

    static BenefitSpell spell(String benefit, String regime, String start, String end) {
        return new BenefitSpell(benefit, Optional.ofNullable(regime), LocalDate.parse(start), Optional.ofNullable(end).map(LocalDate::parse));
    }

    @Test
    void universalCreditRegimes() {
        assertThat(REFERENCE.isOutOfWork(spell("UC", null, "2019-01-01", null))).isTrue();
        assertThat(REFERENCE.isOutOfWork(spell("UC", "searching", "2019-01-01", null))).isTrue();
        assertThat(REFERENCE.isOutOfWork(spell("UC", "no_work_requirements", "2019-01-01", null))).isTrue();
        assertThat(REFERENCE.isOutOfWork(spell("UC", "working_with_requirements", "2019-01-01", null))).isFalse();
        assertThat(REFERENCE.isOutOfWork(spell("UC", "light_touch", "2019-01-01", null))).isFalse();
        for (String b : List.of("JSA", "ESA", "IS", "IB")) {
            assertThat(REFERENCE.isOutOfWork(spell(b, null, "2019-01-01", null))).isTrue();
        }
        for (String b : List.of("PIP", "DLA", "CA", "HB", "XYZ")) {
            assertThat(REFERENCE.isOutOfWork(spell(b, null, "2019-01-01", null))).isFalse();
        }
    }

    @Test
    void theSetIsConfigurable() {
        OutOfWorkBenefitSet jsaOnly = new OutOfWorkBenefitSet(Set.of("jsa"), Set.of());
        assertThat(jsaOnly.isOutOfWork(spell("JSA", null, "2019-01-01", null))).isTrue();
        assertThat(jsaOnly.isOutOfWork(spell("UC", null, "2019-01-01", null))).isFalse();
        assertThat(jsaOnly.describe()).isEqualTo("JSA");
        assertThat(REFERENCE.describe()).isEqualTo("ESA,IB,IS,JSA,UC; UC except regimes light_touch,working_with_requirements");
    }

    @Test
    void overlappingSpellsCountEachDayOnceAndOpenSpellsRunToTheExtract() {
        BenefitOutcomes o = BenefitOutcomes.derive(R, List.of(
                spell("JSA", null, "2018-12-01", "2019-01-10"), // 10 days in the year
                spell("ESA", null, "2019-01-05", "2019-01-20"), // adds 11..20: 10 more
                spell("PIP", null, "2019-01-01", null), // not out of work
                spell("UC", "light_touch", "2019-03-01", null), // not out of work
                spell("UC", null, "2019-12-22", null)), // open: 2019-12-22..2019-12-31 = 10 days
                EXTRACT, REFERENCE);
        assertThat(o.daysOnOutOfWorkBenefit12m()).isEqualTo(30);
        assertThat(o.onOutOfWorkBenefitByMonth().get(0)).isEqualTo(1);
        assertThat(o.onOutOfWorkBenefitByMonth().get(1)).isZero();
        assertThat(o.onOutOfWorkBenefitByMonth().get(11)).isEqualTo(1);
        assertThat(o.onOutOfWorkBenefitByMonth().get(21)).isEqualTo(1);
    }

    @Test
    void censoredByTheBenefitExtract() {
        BenefitOutcomes o = BenefitOutcomes.derive(R, List.of(), LocalDate.of(2019, 12, 30), REFERENCE);
        assertThat(o.censored12m()).isTrue();
        assertThat(o.daysOnOutOfWorkBenefit12m()).isNull();
        assertThat(o.onOutOfWorkBenefitByMonth().get(10)).isZero();
        assertThat(o.onOutOfWorkBenefitByMonth().get(11)).isNull();
    }

    @Test
    void employedOnBenefitNeedsBothAndIsEmptyWhenEitherIsCensored() {
        AdministrativeOutcomes.Derived d = AdministrativeOutcomes.derive(R,
                List.of(EmploymentSpellsTest.pay("E", "2019-01-01", "2019-01-31", "2019-01-15", PayFrequency.M1, 1)),
                LocalDate.of(2020, 12, 31),
                List.of(spell("JSA", null, "2019-01-20", "2019-03-15")), LocalDate.of(2019, 6, 1), REFERENCE);
        assertThat(d.anyRowLinked()).isTrue();
        assertThat(d.employedOnBenefitByMonth().get(0)).isEqualTo(1); // days 0..29 both
        assertThat(d.employedOnBenefitByMonth().get(1)).isEqualTo(1); // day 30 (2019-01-31) employed, on JSA
        assertThat(d.employedOnBenefitByMonth().get(2)).isZero(); // JSA only
        assertThat(d.employedOnBenefitByMonth().get(4)).isZero(); // month 5 ends on day 151 = the extract date: not censored
        assertThat(d.employedOnBenefitByMonth().get(5)).isNull(); // month 6 ends on day 181: censored
    }

    @Test
    void missingReasonNoConsentTakesPrecedence() {
        assertThat(AdministrativeOutcomes.missingReason(false, false)).contains(AdministrativeOutcomes.MissingReason.NO_CONSENT);
        assertThat(AdministrativeOutcomes.missingReason(false, true)).contains(AdministrativeOutcomes.MissingReason.NO_CONSENT);
        assertThat(AdministrativeOutcomes.missingReason(true, false)).contains(AdministrativeOutcomes.MissingReason.NO_VALID_NINO);
        assertThat(AdministrativeOutcomes.missingReason(true, true)).isEmpty();
    }
}
