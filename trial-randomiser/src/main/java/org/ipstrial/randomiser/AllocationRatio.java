package org.ipstrial.randomiser;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How many of each arm a block holds per ratio unit: 1:1, 2:1, 3:2... A block of size s holds
 * {@code s * weight / sum()} of each arm, so s must be a multiple of {@link #sum()}.
 *
 * @param weights a positive integer weight per arm code, in the order given
 */
public record AllocationRatio(Map<String, Integer> weights) {

    public AllocationRatio {
        Objects.requireNonNull(weights, "allocation ratio");
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("allocation ratio: no arms given");
        }
        Map<String, Integer> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> entry : weights.entrySet()) {
            String arm = Codes.require(entry.getKey(), "allocation ratio arm");
            Integer weight = entry.getValue();
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("allocation ratio: the weight of arm '" + arm
                        + "' must be a positive integer, was " + weight);
            }
            copy.put(arm, weight);
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Equal allocation (1:1, 1:1:1...) over the given arms. */
    public static AllocationRatio equal(List<String> arms) {
        int[] ones = new int[arms.size()];
        java.util.Arrays.fill(ones, 1);
        return of(arms, ones);
    }

    /** For example {@code of(List.of("treatment", "control"), 2, 1)} for 2:1. */
    public static AllocationRatio of(List<String> arms, int... weights) {
        if (arms.size() != weights.length) {
            throw new IllegalArgumentException("allocation ratio: " + arms.size() + " arms but "
                    + weights.length + " weights");
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            if (map.put(arms.get(i), weights[i]) != null) {
                throw new IllegalArgumentException("allocation ratio: arm '" + arms.get(i) + "' given twice");
            }
        }
        return new AllocationRatio(map);
    }

    /** The sum of the weights: every block size used with this ratio is a multiple of it. */
    public int sum() {
        int sum = 0;
        for (int weight : weights.values()) {
            sum += weight;
        }
        return sum;
    }

    /** The weight of an arm of this ratio. */
    public int weightOf(String arm) {
        Integer weight = weights.get(arm);
        if (weight == null) {
            throw new IllegalArgumentException("allocation ratio " + this + " has no arm '" + arm + "'");
        }
        return weight;
    }

    /** The arms in the order given. */
    public List<String> arms() {
        return List.copyOf(weights.keySet());
    }

    /** For example "treatment:control = 2:1". */
    @Override
    public String toString() {
        return String.join(":", weights.keySet()) + " = "
                + weights.values().stream().map(String::valueOf).collect(Collectors.joining(":"));
    }
}
