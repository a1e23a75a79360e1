package org.ipstrial.etl.simulation;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Who arrives when: each trial group's randomised recruits spread over the recruitment months by
 * the configured monthly curve (exact counts per month by largest remainder, so the curve's shape
 * is reproduced at every scale), on weekdays in office hours, Europe/London; and the screening
 * flow behind them (screened, ineligible by criterion, declined) for the CONSORT diagram.
 */
final class RecruitmentFlow {
    static final ZoneId TRIAL_ZONE = ZoneId.of("Europe/London");

    /** A recruit who was randomised; {@code index} is their place in time order across the trial. */
    record Recruit(int index, String trialGroup, String site, String area, ZonedDateTime randomisedAt) {}

    /** The screening flow of one trial group. */
    record ScreeningCounts(String trialGroup, int screened, int ineligible, Map<String, Integer> ineligibleByCriterion,
            int declined, int randomised) {
        ScreeningCounts {
            ineligibleByCriterion = java.util.Collections.unmodifiableMap(new TreeMap<>(ineligibleByCriterion));
        }
    }

    private RecruitmentFlow() {}

    static List<Recruit> recruits(SimulationConfig config, Streams streams) {
        record Arrival(String group, String site, String area, ZonedDateTime at, int drawOrder) {}
        List<Arrival> arrivals = new ArrayList<>();
        SimulationConfig.Recruitment recruitment = config.recruitment();
        for (String group : config.groups().keySet()) {
            String site = config.trial().trialGroup(group).site();
            List<String> areas = config.trial().site(site).areas();
            double[] areaWeights = areas.stream().mapToDouble(a -> recruitment.areaWeights().get(a)).toArray();
            int[] perMonth = largestRemainder(config.randomisedAtScale(group), recruitment.monthlyWeights());
            int drawn = 0;
            for (int month = 0; month < perMonth.length; month++) {
                LocalDate first = recruitment.start().plusMonths(month);
                List<LocalDate> weekdays = first.datesUntil(first.plusMonths(1))
                        .filter(d -> d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY)
                        .toList();
                for (int k = 0; k < perMonth[month]; k++) {
                    SplittableRandom random = streams.of("arrival/" + group, drawn);
                    LocalDate day = weekdays.get(random.nextInt(weekdays.size()));
                    // Appointments from 09:00 to 16:50 in ten-minute slots.
                    LocalTime time = LocalTime.of(9, 0).plusMinutes(10L * random.nextInt(48));
                    String area = areas.get(Streams.pick(random, areaWeights));
                    arrivals.add(new Arrival(group, site, area, ZonedDateTime.of(day, time, TRIAL_ZONE), drawn));
                    drawn++;
                }
            }
        }
        List<String> groupOrder = List.copyOf(config.groups().keySet());
        arrivals.sort(Comparator.comparing(Arrival::at).thenComparing(a -> groupOrder.indexOf(a.group()))
                .thenComparingInt(Arrival::drawOrder));
        List<Recruit> recruits = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            recruits.add(new Recruit(recruits.size(), a.group(), a.site(), a.area(), a.at()));
        }
        return recruits;
    }

    /**
     * Everyone screened for each group until its randomised count is reached: each screened person is
     * ineligible with the configured rate (failing one criterion of their group, sometimes two), else
     * declines with the configured rate, else is randomised.
     */
    static List<ScreeningCounts> screening(SimulationConfig config, Streams streams) {
        List<ScreeningCounts> counts = new ArrayList<>();
        for (String group : config.groups().keySet()) {
            List<String> criteria = config.trial().criteria().stream().filter(c -> c.appliesTo(group))
                    .map(TrialShape.Criterion::id).toList();
            int target = config.randomisedAtScale(group);
            int screened = 0;
            int ineligible = 0;
            int declined = 0;
            int randomised = 0;
            Map<String, Integer> byCriterion = new LinkedHashMap<>();
            while (randomised < target) {
                SplittableRandom random = streams.of("screening/" + group, screened);
                screened++;
                if (!criteria.isEmpty() && Streams.chance(random, config.recruitment().ineligibleRate())) {
                    ineligible++;
                    String first = criteria.get(random.nextInt(criteria.size()));
                    byCriterion.merge(first, 1, Integer::sum);
                    String second = criteria.get(random.nextInt(criteria.size()));
                    if (Streams.chance(random, 0.25) && !second.equals(first)) {
                        byCriterion.merge(second, 1, Integer::sum);
                    }
                } else if (Streams.chance(random, config.recruitment().declineRate())) {
                    declined++;
                } else {
                    randomised++;
                }
            }
            counts.add(new ScreeningCounts(group, screened, ineligible, byCriterion, declined, randomised));
        }
        return counts;
    }

    /** Splits a total over categories in proportion to weights, exactly, by largest remainder. */
    static int[] largestRemainder(int total, List<Double> weights) {
        double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
        int[] counts = new int[weights.size()];
        double[] remainders = new double[weights.size()];
        int assigned = 0;
        for (int i = 0; i < counts.length; i++) {
            double exact = total * weights.get(i) / sum;
            counts[i] = (int) Math.floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        while (assigned < total) {
            int best = 0;
            for (int i = 1; i < counts.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return counts;
    }
}
