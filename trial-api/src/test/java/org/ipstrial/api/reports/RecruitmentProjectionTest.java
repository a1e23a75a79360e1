package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.ipstrial.api.core.reports.RecruitmentProjection;
import org.junit.jupiter.api.Test;

class RecruitmentProjectionTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @Test
    void theRateIntervalIsTheExactPoissonOne() {
        // 40 in 8 weeks: 5 a week. The exact 95% limits are the rates at which seeing 40 or more
        // (or 40 or fewer) has probability 2.5%.
        var p = RecruitmentProjection.of(1000, 200, 40, 8, TODAY, TODAY.plusWeeks(40).minusDays(1));
        assertThat(p.ratePerWeek()).isEqualTo(5.0);
        double lowerMean = p.rateLower() * 8;
        double upperMean = p.rateUpper() * 8;
        assertThat(1 - new PoissonDistribution(lowerMean).cumulativeProbability(39)).isCloseTo(0.025, within(1e-6));
        assertThat(new PoissonDistribution(upperMean).cumulativeProbability(40)).isCloseTo(0.025, within(1e-6));
        assertThat(p.remaining()).isEqualTo(800);
        assertThat(p.projectedDate()).isEqualTo(TODAY.plusDays(800 / 5 * 7));
        assertThat(p.earliestDate()).isBefore(p.projectedDate());
        assertThat(p.latestDate()).isAfter(p.projectedDate());
        assertThat(p.weeksLeft()).isEqualTo(40.0);
        assertThat(p.neededPerWeek()).isEqualTo(20.0);
        assertThat(p.overdue()).isFalse();
    }

    @Test
    void noneRecentlyMeansNoLatestDateButStillAnUpperRate() {
        var p = RecruitmentProjection.of(100, 10, 0, 8, TODAY, TODAY.plusWeeks(10));
        assertThat(p.ratePerWeek()).isZero();
        assertThat(p.rateLower()).isZero();
        assertThat(p.rateUpper()).isCloseTo(-Math.log(0.025) / 8, within(1e-9));
        assertThat(p.projectedDate()).isNull();
        assertThat(p.latestDate()).isNull();
        assertThat(p.earliestDate()).isNotNull();
    }

    @Test
    void aReachedTargetNeedsNothingMoreAndAPassedEndIsOverdue() {
        var reached = RecruitmentProjection.of(100, 120, 10, 8, TODAY, TODAY.plusWeeks(10));
        assertThat(reached.remaining()).isZero();
        assertThat(reached.neededPerWeek()).isNull();
        assertThat(reached.projectedDate()).isNull();
        assertThat(reached.overdue()).isFalse();
        var late = RecruitmentProjection.of(100, 50, 10, 8, TODAY, TODAY.minusDays(1));
        assertThat(late.overdue()).isTrue();
        assertThat(late.neededPerWeek()).isNull();
        assertThat(late.weeksLeft()).isZero();
    }
}
