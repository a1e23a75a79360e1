package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A follow-up interview's answers, drawn from the person's latent health and wellbeing at that
 * wave: each is the baseline factor carried forward (correlation 0.7) plus new noise and a small
 * improvement over time that both arms share; in the treatment world a shift is added, calibrated
 * so that the planted effect on the EQ-5D-5L level sum and the SWEMWBS raw sum holds on average
 * over the simulated people. The same draws serve both worlds, so the two potential answers differ
 * only by that shift.
 */
final class SurveyModel {
    static final String[] SWEMWBS = items("swemwbs_", 7);
    static final String[] PHQ8 = items("phq8_", 8);
    static final String[] GAD7 = items("gad7_", 7);
    static final String[] JSSE = items("jsse_", 9);
    private static final double CARRY = 0.7;
    private static final double FRESH = Math.sqrt(1 - CARRY * CARRY);

    /** A wave's draws for one person. */
    record Draws(double health, double wellbeing, double[] eq5d, double vas, boolean vasHeaps, double[] swemwbs, double[] phq8,
            double[] gad7, double[] jsse, double confidence, double lifeSatisfaction, double response, int fieldworkDay,
            int mode, double hours, double partialShare, int partialDaysBefore) {}

    private SurveyModel() {}

    static Draws draw(SplittableRandom random, int fieldworkDays) {
        return new Draws(random.nextGaussian(), random.nextGaussian(), gaussians(random, 5), random.nextGaussian(),
                Streams.chance(random, 0.35), gaussians(random, 7), gaussians(random, 8), gaussians(random, 7),
                gaussians(random, 9), random.nextGaussian(), random.nextGaussian(), random.nextDouble(),
                random.nextInt(fieldworkDays), Streams.pick(random, 0.10, 0.60, 0.30), random.nextGaussian(),
                0.2 + 0.3 * random.nextDouble(), Streams.between(random, 1, 14));
    }

    /** The improvement both arms share by a wave (people recruited at a low point tend to recover). */
    private static double trend(int months) {
        return months >= 12 ? 0.10 : 0.05;
    }

    static double health(BaselineModel.Profile p, Draws d, int months, double shift) {
        return CARRY * p.health() + FRESH * d.health() + trend(months) + shift;
    }

    static double wellbeing(BaselineModel.Profile p, Draws d, int months, double shift) {
        return CARRY * p.wellbeing() + FRESH * d.wellbeing() + trend(months) + shift;
    }

    static int eq5dLevelSum(BaselineModel.Profile p, Draws d, int months, double shift) {
        double health = health(p, d, months, shift);
        int sum = 0;
        for (int k = 0; k < 5; k++) {
            sum += Scales.eq5d(k, health, d.eq5d()[k]);
        }
        return sum;
    }

    static int swemwbsRaw(BaselineModel.Profile p, Draws d, int months, double shift) {
        double wellbeing = wellbeing(p, d, months, shift);
        int sum = 0;
        for (double noise : d.swemwbs()) {
            sum += Scales.swemwbs(wellbeing, noise);
        }
        return sum;
    }

    /** Every item of the interview, complete (missing codes are added when the row is written). */
    static Map<String, Integer> answers(BaselineModel.Profile p, Draws d, int months, double healthShift,
            double wellbeingShift, boolean employedNow, String hoursBand) {
        double health = health(p, d, months, healthShift);
        double wellbeing = wellbeing(p, d, months, wellbeingShift);
        double confidence = 0.6 * p.confidence() + 0.4 * wellbeing + 0.69 * d.confidence();
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (int k = 0; k < SWEMWBS.length; k++) {
            answers.put(SWEMWBS[k], Scales.swemwbs(wellbeing, d.swemwbs()[k]));
        }
        for (int k = 0; k < PHQ8.length; k++) {
            answers.put(PHQ8[k], Scales.symptom(wellbeing, d.phq8()[k]));
        }
        for (int k = 0; k < GAD7.length; k++) {
            answers.put(GAD7[k], Scales.symptom(wellbeing, d.gad7()[k]));
        }
        for (int k = 0; k < JSSE.length; k++) {
            answers.put(JSSE[k], Scales.jsse(confidence, d.jsse()[k]));
        }
        for (int k = 0; k < 5; k++) {
            answers.put(Scales.EQ5D_ITEMS[k], Scales.eq5d(k, health, d.eq5d()[k]));
        }
        answers.put("eq5d_vas", Scales.vas(health, d.vas(), d.vasHeaps()));
        answers.put("ons_life_sat", Scales.lifeSatisfaction(wellbeing, d.lifeSatisfaction()));
        answers.put("employed_now", employedNow ? 1 : 2);
        answers.put("hours_per_week", employedNow ? hours(hoursBand, d.hours()) : -1);
        return answers;
    }

    private static int hours(String band, double noise) {
        double centre = switch (band) {
            case "A" -> 11;
            case "B" -> 20;
            case "C" -> 27;
            default -> 37.5;
        };
        return (int) Math.max(1, Math.round(centre + 2.5 * noise));
    }

    static LocalDate interviewDate(LocalDate randomised, int months, Draws d) {
        return randomised.plusMonths(months).plusDays(d.fieldworkDay());
    }

    static String mode(Draws d) {
        return switch (d.mode()) {
            case 0 -> "face_to_face";
            case 1 -> "telephone";
            default -> "web";
        };
    }

    private static double[] gaussians(SplittableRandom random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static String[] items(String prefix, int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = prefix + (i + 1);
        }
        return names;
    }
}
