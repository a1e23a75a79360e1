package org.ipstrial.randomiser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How predictable a recorded minimisation history was to a guesser who knows each stratum's
 * marginal totals and the recruit's levels (not the secret): before each allocation they guess an
 * arm that minimises the imbalance (among k tied arms, each with chance 1/k). For each stratum it
 * gives the guesses that came true (scored 1/k when the arm was one of the k) beside the number
 * the design leads one to expect, which follows from the minimising probability and the ratio,
 * and beside chance (1/arms). Needs no secret: it replays the totals from the recorded levels and
 * arms, in sequence order. What the statistician's sequence report shows for a minimisation design.
 *
 * <p>The expected score of one allocation, for the tied minimising arms T (weights w, total W, T's
 * total W_T) and probability p is the sum over g in T of
 * (1/|T|) P(g), where P(g) = w_g / W when every arm ties, and otherwise
 * P(g) = sum over h in T of (w_h / W_T) (p [g = h] + (1 - p) [g != h] w_g / (W - w_h)).
 * For two arms that is p when one arm minimises and 1/2 on a tie.
 */
public final class MinimisationPredictability {

    /**
     * One stratum's predictability.
     *
     * @param stratum the stratum
     * @param allocations the allocations replayed
     * @param correctGuesses the guesses that came true (1/k for an arm among k tied)
     * @param expectedCorrectGuesses what the design leads one to expect of those allocations
     * @param chanceCorrectGuesses allocations / arms: no predictability at all
     */
    public record Stratum(
            org.ipstrial.randomiser.Stratum stratum, long allocations, double correctGuesses,
            double expectedCorrectGuesses, double chanceCorrectGuesses) {
        public Stratum {
            Objects.requireNonNull(stratum, "stratum");
        }

        /** The share of allocations called right, or NaN before the first. */
        public double correctGuessRate() {
            return allocations == 0 ? Double.NaN : correctGuesses / allocations;
        }

        public double expectedCorrectGuessRate() {
            return allocations == 0 ? Double.NaN : expectedCorrectGuesses / allocations;
        }
    }

    private MinimisationPredictability() {}

    /**
     * Every stratum of the design (those with no allocation too), in the design's order. Rows are
     * taken in sequence order per stratum; a row of an unknown stratum or version, or with a level
     * that is not the design's, is refused: verify the history first ({@link MinimisationVerifier}).
     */
    public static List<Stratum> of(MinimisationDesign design, List<RecordedMinimisation> history) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(history, "history");
        Map<org.ipstrial.randomiser.Stratum, List<RecordedMinimisation>> byStratum = new LinkedHashMap<>();
        design.strata().forEach(s -> byStratum.put(s, new ArrayList<>()));
        for (RecordedMinimisation row : history) {
            List<RecordedMinimisation> rows = byStratum.get(row.stratum());
            if (rows == null) {
                throw new IllegalArgumentException("stratum " + row.stratum().key() + " is not a stratum of design "
                        + design.name());
            }
            rows.add(row);
        }
        List<Stratum> result = new ArrayList<>();
        for (Map.Entry<org.ipstrial.randomiser.Stratum, List<RecordedMinimisation>> entry : byStratum.entrySet()) {
            List<RecordedMinimisation> rows = new ArrayList<>(entry.getValue());
            rows.sort(Comparator.comparingLong(RecordedMinimisation::sequence));
            MarginalTotals totals = new MarginalTotals(design);
            double correct = 0;
            double expected = 0;
            for (RecordedMinimisation row : rows) {
                MinimisationVersion version = design.version(row.designVersion());
                int[] levels = design.levelIndexes(row.levels());
                int arm = version.arms().indexOf(row.arm());
                if (arm < 0) {
                    throw new IllegalArgumentException("stratum " + row.stratum().key() + " sequence " + row.sequence()
                            + ": '" + row.arm() + "' is not an arm of the design");
                }
                boolean[] minimising = minimising(MinimisationRandomiser.imbalanceIfAllocated(design, version, levels, totals));
                correct += score(minimising, arm);
                expected += expectedScore(version, minimising);
                totals.add(levels, arm);
            }
            long n = rows.size();
            result.add(new Stratum(entry.getKey(), n, correct, expected, (double) n / design.arms().size()));
        }
        return List.copyOf(result);
    }

    static boolean[] minimising(long[] scores) {
        long lowest = Long.MAX_VALUE;
        for (long score : scores) {
            lowest = Math.min(lowest, score);
        }
        boolean[] minimising = new boolean[scores.length];
        for (int a = 0; a < scores.length; a++) {
            minimising[a] = scores[a] == lowest;
        }
        return minimising;
    }

    /** 1/k when the allocated arm is one of the k minimising arms, else 0. */
    static double score(boolean[] minimising, int allocated) {
        int tied = 0;
        for (boolean m : minimising) {
            tied += m ? 1 : 0;
        }
        return minimising[allocated] ? 1.0 / tied : 0.0;
    }

    /** The expected score of the guess under the design's rule (see the class comment). */
    static double expectedScore(MinimisationVersion version, boolean[] minimising) {
        List<String> arms = version.arms();
        int count = arms.size();
        double[] w = new double[count];
        double total = 0;
        double tiedTotal = 0;
        int tied = 0;
        for (int a = 0; a < count; a++) {
            w[a] = version.ratio().weightOf(arms.get(a));
            total += w[a];
            if (minimising[a]) {
                tied++;
                tiedTotal += w[a];
            }
        }
        double p = new BigDecimal(version.probabilityInMillionths()).movePointLeft(6).doubleValue();
        double score = 0;
        for (int g = 0; g < count; g++) {
            if (!minimising[g]) {
                continue;
            }
            double probability;
            if (tied == count) {
                probability = w[g] / total;
            } else {
                probability = 0;
                for (int h = 0; h < count; h++) {
                    if (!minimising[h]) {
                        continue;
                    }
                    double preferred = w[h] / tiedTotal;
                    probability += preferred * (g == h ? p : (1 - p) * w[g] / (total - w[h]));
                }
            }
            score += probability / tied;
        }
        return score;
    }
}
