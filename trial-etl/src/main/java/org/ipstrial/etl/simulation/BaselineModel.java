package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A recruit's characteristics at randomisation: the latent factors that drive later outcomes
 * (health, wellbeing, employability, all standard normal and correlated) and the baseline
 * questionnaire answers drawn from them, item by item, with the trial definition's item names and
 * codes. Shares are the configuration's (per trial group) or the constants documented here and in
 * docs/simulation.md.
 */
final class BaselineModel {
    static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    /** Ethnic group shares (White, Mixed, Asian, Black, Other): site A, then every other site. */
    private static final double[] ETHNICITY_A = {0.82, 0.03, 0.09, 0.04, 0.02};
    private static final double[] ETHNICITY_OTHER = {0.62, 0.04, 0.20, 0.11, 0.03};
    private static final double[] QUALIFICATION = {0.12, 0.10, 0.25, 0.18, 0.12, 0.17, 0.06};
    private static final double[] HOUSING = {0.10, 0.20, 0.27, 0.25, 0.14, 0.04};
    /** Chance of reporting each of the 21 long-standing conditions (mental health most common). */
    private static final double[] CONDITIONS = {0.06, 0.15, 0.30, 0.03, 0.04, 0.01, 0.06, 0.12, 0.10, 0.10, 0.06, 0.70,
        0.02, 0.03, 0.20, 0.03, 0.20, 0.03, 0.04, 0.02, 0.08};
    private static final double[] BARRIERS = {0.85, 0.15, 0.25, 0.20, 0.15, 0.50, 0.20, 0.08};
    private static final double DEPENDENT_CHILDREN = 0.35;

    /**
     * @param health general health factor (higher is better)
     * @param wellbeing mental wellbeing factor (higher is better)
     * @param employability how likely work is, given health and history
     * @param confidence job-search confidence (drives JSSE)
     * @param workLast2y 1 always .. 4 not at all
     * @param healthLimits 1 a lot, 2 a little, 3 not at all
     * @param answers item id to an Integer (single or integer items) or a List of Integer (multi)
     */
    record Profile(int age, LocalDate dateOfBirth, String sex, double health, double wellbeing, double employability,
            double confidence, int workLast2y, int healthLimits, Map<String, Object> answers) {
        Profile {
            answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        }

        boolean female() {
            return sex.equals("female");
        }
    }

    private BaselineModel() {}

    static Profile draw(SplittableRandom random, SimulationConfig config, String site, SimulationConfig.GroupModel group,
            LocalDate randomisedOn) {
        int age;
        do {
            age = (int) Math.round(group.ageMean() + group.ageSd() * random.nextGaussian());
        } while (age < 19 || age > 66);
        LocalDate dateOfBirth = randomisedOn.minusYears(age).minusDays(random.nextInt(365));
        double s = random.nextDouble();
        String sex = s < group.femaleShare() ? "female" : s < 0.993 ? "male" : s < 0.995 ? "intersex" : "prefer_not_to_say";

        double health = random.nextGaussian();
        double wellbeing = 0.5 * health + Math.sqrt(0.75) * random.nextGaussian();
        // Work history: the quantile of a factor picks the category, so "always worked" people are
        // the more employable ones, and the shares are the configuration's exactly in expectation.
        double history = random.nextGaussian();
        int workLast2y = 1 + category(1 - STANDARD_NORMAL.cumulativeProbability(history), group.workLast2y());
        double employability = 0.55 * history + 0.25 * health + 0.15 * wellbeing + 0.75 * random.nextGaussian();
        employability /= Math.sqrt(0.55 * 0.55 + 0.25 * 0.25 + 0.15 * 0.15 + 2 * 0.25 * 0.15 * 0.5 + 0.75 * 0.75);
        double confidence = 0.5 * wellbeing + 0.4 * employability + 0.6 * random.nextGaussian();
        int healthLimits = -health > 0.4 ? 1 : -health > -1.0 ? 2 : 3;

        Map<String, Object> answers = new LinkedHashMap<>();
        // A minimisation factor's answer is needed to randomise, so it is never left missing.
        java.util.Set<String> required = config.requiredAnswers();
        for (TrialShape.BaselineItem item : config.trial().baselineItems()) {
            Object answer = switch (item.id()) {
                case "gender" -> switch (sex) {
                    case "female" -> 2;
                    case "male" -> 1;
                    case "intersex" -> 3;
                    default -> -9;
                };
                case "ethnicity" -> 1 + Streams.pick(random, site.equals("A") ? ETHNICITY_A : ETHNICITY_OTHER);
                case "qualification" -> 1 + category(
                        STANDARD_NORMAL.cumulativeProbability(0.4 * employability + 0.92 * random.nextGaussian()), shares(QUALIFICATION));
                case "dependent_children" -> Streams.chance(random, DEPENDENT_CHILDREN) ? 1 : 2;
                case "housing_tenure" -> 1 + Streams.pick(random, HOUSING);
                case "health_conditions" -> multi(random, CONDITIONS, 12);
                case "health_limits" -> healthLimits;
                case "eq5d_vas" -> Scales.vas(health, random.nextGaussian(), Streams.chance(random, 0.35));
                case "work_last_2y" -> workLast2y;
                case "barriers" -> multi(random, BARRIERS, 1);
                default -> generic(random, item, health, confidence);
            };
            answers.put(item.id(), required.contains(item.id()) ? answer : missingOr(random, config.messiness().itemMissing(), item, answer));
        }
        return new Profile(age, dateOfBirth, sex, health, wellbeing, employability, confidence, workLast2y, healthLimits, answers);
    }

    private static Object generic(SplittableRandom random, TrialShape.BaselineItem item, double health, double confidence) {
        for (int k = 0; k < Scales.EQ5D_ITEMS.length; k++) {
            if (item.id().equals(Scales.EQ5D_ITEMS[k])) {
                return Scales.eq5d(k, health, random.nextGaussian());
            }
        }
        if (item.id().startsWith("jsse_")) {
            return Scales.jsse(confidence, random.nextGaussian());
        }
        // An item this model does not know: uniform over its codes or range.
        return switch (item.type()) {
            case single -> item.codes().get(random.nextInt(item.codes().size()));
            case multi -> List.of(item.codes().get(random.nextInt(item.codes().size())));
            case integer -> Streams.between(random, item.min(), item.max());
        };
    }

    /** "Don't know" (-8) or "prefer not to say" (-9) instead of the answer, at the missing rate. */
    private static Object missingOr(SplittableRandom random, double rate, TrialShape.BaselineItem item, Object answer) {
        if (item.id().equals("gender") || !Streams.chance(random, rate)) {
            return answer;
        }
        int code = Streams.chance(random, 0.5) ? -8 : -9;
        return item.type() == TrialShape.ItemType.multi ? List.of(code) : code;
    }

    private static List<Integer> multi(SplittableRandom random, double[] chances, int fallback) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < chances.length; i++) {
            if (Streams.chance(random, chances[i])) {
                chosen.add(i + 1);
            }
        }
        return chosen.isEmpty() ? List.of(fallback) : chosen;
    }

    private static List<Double> shares(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    /** The 0-based category whose cumulative share first exceeds the quantile. */
    static int category(double quantile, List<Double> shares) {
        double cumulative = 0;
        for (int i = 0; i < shares.size(); i++) {
            cumulative += shares.get(i);
            if (quantile < cumulative) {
                return i;
            }
        }
        return shares.size() - 1;
    }
}
