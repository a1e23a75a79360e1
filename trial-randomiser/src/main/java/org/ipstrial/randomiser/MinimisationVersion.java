package org.ipstrial.randomiser;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a minimisation design, in force from {@code effectiveFrom} until the next. Every
 * allocation uses the version in force at its moment, so a change applies from the next allocation
 * (there is no block to finish).
 *
 * @param number 1, 2, 3... in order of {@code effectiveFrom}
 * @param effectiveFrom the moment from which allocations use this version
 * @param arms the arm codes; their order is part of the algorithm (ties and the other arm are drawn
 *     in this order)
 * @param ratio the allocation ratio: totals are compared per unit of ratio weight
 * @param factorWeights a whole-number weight per minimisation factor, in the design's factor order
 *     (0 leaves a factor out of this version's imbalance)
 * @param measure range or variance of one level's adjusted arm totals
 * @param minimisingProbability the probability of allocating the arm that minimises the imbalance,
 *     from 1/(number of arms) to 1, at most 6 decimal places (e.g. 0.8)
 */
public record MinimisationVersion(
        int number,
        Instant effectiveFrom,
        List<String> arms,
        AllocationRatio ratio,
        Map<String, Integer> factorWeights,
        ImbalanceMeasure measure,
        BigDecimal minimisingProbability) {

    /** The probability is drawn in millionths. */
    public static final int PROBABILITY_SCALE = 1_000_000;

    public MinimisationVersion {
        if (number < 1) {
            throw new IllegalArgumentException("design version number must be 1 or more, was " + number);
        }
        String version = "design version " + number;
        Objects.requireNonNull(effectiveFrom, version + ": effective_from is missing");
        Objects.requireNonNull(arms, version + ": arms are missing");
        Objects.requireNonNull(ratio, version + ": ratio is missing");
        Objects.requireNonNull(factorWeights, version + ": factor weights are missing");
        Objects.requireNonNull(measure, version + ": imbalance measure is missing");
        Objects.requireNonNull(minimisingProbability, version + ": minimising probability is missing");
        arms = List.copyOf(arms);
        if (arms.size() < 2) {
            throw new IllegalArgumentException(version + ": arms: at least two arms, got " + arms.size());
        }
        for (String arm : arms) {
            Codes.require(arm, version + ": arm");
        }
        if (new HashSet<>(arms).size() != arms.size()) {
            throw new IllegalArgumentException(version + ": arms: an arm is listed twice in " + arms);
        }
        if (!ratio.weights().keySet().equals(new HashSet<>(arms))) {
            throw new IllegalArgumentException(version + ": allocation ratio: gives arms " + ratio.weights().keySet()
                    + " but the design's arms are " + arms);
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Integer> entry : factorWeights.entrySet()) {
            Codes.require(entry.getKey(), version + ": factor weight");
            Integer weight = entry.getValue();
            if (weight == null || weight < 0 || weight > 1_000) {
                throw new IllegalArgumentException(version + ": factor weights: the weight of " + entry.getKey()
                        + " must be a whole number from 0 to 1000, was " + weight);
            }
            total += weight;
            weights.put(entry.getKey(), weight);
        }
        if (total == 0) {
            throw new IllegalArgumentException(version + ": factor weights: every weight is zero, so nothing is minimised");
        }
        factorWeights = Collections.unmodifiableMap(weights);
        BigDecimal lowest = BigDecimal.ONE.divide(BigDecimal.valueOf(arms.size()), 6, java.math.RoundingMode.CEILING);
        if (minimisingProbability.compareTo(BigDecimal.ONE) > 0 || minimisingProbability.compareTo(lowest) < 0) {
            throw new IllegalArgumentException(version + ": minimising probability must be from 1/" + arms.size()
                    + " (" + lowest.stripTrailingZeros().toPlainString() + ") to 1, was "
                    + minimisingProbability.toPlainString());
        }
        if (minimisingProbability.stripTrailingZeros().scale() > 6) {
            throw new IllegalArgumentException(version + ": minimising probability has more than 6 decimal places: "
                    + minimisingProbability.toPlainString());
        }
        minimisingProbability = minimisingProbability.stripTrailingZeros();
        if (minimisingProbability.scale() < 0) {
            minimisingProbability = minimisingProbability.setScale(0);
        }
        long lcm = 1;
        for (String arm : arms) {
            long weight = ratio.weightOf(arm);
            lcm = lcm / java.math.BigInteger.valueOf(lcm).gcd(java.math.BigInteger.valueOf(weight)).longValueExact() * weight;
            if (lcm > 1_000) {
                throw new IllegalArgumentException(version + ": allocation ratio " + ratio
                        + ": the least common multiple of the weights must be at most 1000 (totals are compared in "
                        + "multiples of it)");
            }
        }
    }

    /** The probability in millionths: the minimising arm is taken when the draw below 1,000,000 is below this. */
    public int probabilityInMillionths() {
        return minimisingProbability.movePointRight(6).intValueExact();
    }

    /** The probability as written in the commitment: plain decimal, no trailing zeros ("0.8", "1"). */
    public String probabilityText() {
        return minimisingProbability.toPlainString();
    }
}
