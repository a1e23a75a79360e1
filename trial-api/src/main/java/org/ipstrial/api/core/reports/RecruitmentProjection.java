package org.ipstrial.api.core.reports;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * When a target will be reached at the recent recruitment rate, and what rate would reach it on time.
 *
 * <p>Randomisations are taken as a Poisson process: {@code k} in an exposure of {@code t} weeks
 * estimates the weekly rate as k/t, with the exact (Garwood) 95% interval from Gamma quantiles:
 * lower = Gamma(k, 1).quantile(0.025) / t (0 when k = 0), upper = Gamma(k + 1, 1).quantile(0.975) / t.
 * The projected date uses the rate; the earliest and latest dates use the upper and lower ends of
 * its interval (no latest date when the lower end is 0: at that rate the target is never reached).
 *
 * @param windowWeeks exposure in weeks (recent complete weeks within the recruitment period)
 * @param randomisedInWindow randomisations in that exposure
 * @param ratePerWeek k / t (null when there is no exposure)
 * @param rateLower lower end of the 95% interval
 * @param rateUpper upper end of the 95% interval
 * @param remaining target minus randomised so far (0 when reached)
 * @param projectedDate the day the target is reached at the estimated rate (null: never, or already reached)
 * @param earliestDate the day at the upper rate
 * @param latestDate the day at the lower rate (null when the lower rate is 0)
 * @param weeksLeft weeks from today to the end of recruitment (0 when it has passed)
 * @param neededPerWeek randomisations per week from today that finish on time (null when reached or overdue)
 * @param overdue true when the recruitment end has passed and the target is not reached
 */
public record RecruitmentProjection(double windowWeeks, long randomisedInWindow, Double ratePerWeek, Double rateLower,
        Double rateUpper, long remaining, LocalDate projectedDate, LocalDate earliestDate, LocalDate latestDate,
        double weeksLeft, Double neededPerWeek, boolean overdue) {

    public static final double CONFIDENCE = 0.95;

    public static RecruitmentProjection of(long target, long randomised, long randomisedInWindow, double windowWeeks,
            LocalDate today, LocalDate recruitmentEnd) {
        if (target < 0 || randomised < 0 || randomisedInWindow < 0 || windowWeeks < 0) {
            throw new IllegalArgumentException("counts and exposure must not be negative");
        }
        long remaining = Math.max(0, target - randomised);
        Double rate = null;
        Double lower = null;
        Double upper = null;
        if (windowWeeks > 0) {
            double alpha = (1 - CONFIDENCE) / 2;
            rate = randomisedInWindow / windowWeeks;
            lower = randomisedInWindow == 0 ? 0.0
                    : new GammaDistribution(null, randomisedInWindow, 1).inverseCumulativeProbability(alpha) / windowWeeks;
            upper = new GammaDistribution(null, randomisedInWindow + 1, 1).inverseCumulativeProbability(1 - alpha) / windowWeeks;
        }
        double weeksLeft = recruitmentEnd == null ? 0
                : Math.max(0, ChronoUnit.DAYS.between(today, recruitmentEnd.plusDays(1)) / 7.0);
        boolean overdue = remaining > 0 && weeksLeft == 0;
        Double needed = remaining == 0 || weeksLeft == 0 ? null : remaining / weeksLeft;
        return new RecruitmentProjection(windowWeeks, randomisedInWindow, rate, lower, upper, remaining,
                dateAt(today, remaining, rate), dateAt(today, remaining, upper), dateAt(today, remaining, lower),
                weeksLeft, needed, overdue);
    }

    /** The day {@code remaining} more are randomised at {@code perWeek}; null when never or already. */
    static LocalDate dateAt(LocalDate today, long remaining, Double perWeek) {
        if (remaining == 0 || perWeek == null || perWeek <= 0) {
            return null;
        }
        double days = Math.ceil(remaining / perWeek * 7);
        return days > 365.0 * 200 ? null : today.plusDays((long) days);
    }
}
