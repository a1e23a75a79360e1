package org.ipstrial.randomiser;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Minimisation designs and simulated recruits shared by the tests. */
final class Minimisations {

    static final List<String> ARMS = Designs.ARMS;
    static final MinimisationFactor SEX = new MinimisationFactor("sex", List.of("female", "male"));
    static final MinimisationFactor AREA = new MinimisationFactor("area", List.of("north", "south"));
    static final MinimisationFactor WORK = new MinimisationFactor("work_last_2y", List.of("yes", "no", "unknown"));

    private Minimisations() {}

    static MinimisationVersion version(int number, Instant from, AllocationRatio ratio, Map<String, Integer> weights,
            ImbalanceMeasure measure, String probability) {
        return new MinimisationVersion(number, from, ratio.arms(), ratio, weights, measure, new BigDecimal(probability));
    }

    static Map<String, Integer> weights(Object... factorWeightPairs) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (int i = 0; i < factorWeightPairs.length; i += 2) {
            weights.put((String) factorWeightPairs[i], (Integer) factorWeightPairs[i + 1]);
        }
        return weights;
    }

    /** No stratification; sex weight 1, area weight 2; range; 0.8; 1:1: the hand-worked design. */
    static MinimisationDesign handWorked() {
        return new MinimisationDesign("hand-worked", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                List.of(SEX, AREA), List.of(version(1, Designs.GO_LIVE, Designs.ratio(1, 1),
                        weights("sex", 1, "area", 2), ImbalanceMeasure.RANGE, "0.8")));
    }

    /** Stratified by site (A, B), three factors, one version of the given rule. */
    static MinimisationDesign bySite(AllocationRatio ratio, ImbalanceMeasure measure, String probability) {
        return new MinimisationDesign("by-site", List.of("site"), List.of(Stratum.of("A"), Stratum.of("B")),
                List.of(SEX, AREA, WORK), List.of(version(1, Designs.GO_LIVE, ratio,
                        weights("sex", 1, "area", 1, "work_last_2y", 1), measure, probability)));
    }

    /** A recruit's levels, each level equally likely, from a seeded source. */
    static Map<String, String> recruit(MinimisationDesign design, SplittableRandom random) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (MinimisationFactor factor : design.factors()) {
            levels.put(factor.name(), factor.levels().get(random.nextInt(factor.levels().size())));
        }
        return levels;
    }
}
