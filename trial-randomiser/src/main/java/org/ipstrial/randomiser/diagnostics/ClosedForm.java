package org.ipstrial.randomiser.diagnostics;

import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Exact figures for fixed blocks of size 2m at 1:1, against which the simulation is checked.
 *
 * <p>Convergence strategy (Blackwell and Hodges 1957; Matts and Lachin 1988): the expected number of
 * correct guesses in a block of 2m is {@code m + (2^(2m) / C(2m, m) - 1) / 2}, so the expected
 * proportion is that divided by 2m: 0.75 for blocks of 2, 0.7083 for 4, 0.6833 for 6.
 *
 * <p>Certain allocations: with fixed blocks the recruiter knows where blocks end, and an allocation
 * is certain exactly when one arm is used up in its block, i.e. it belongs to the block's final run
 * of one arm. The final run is at least k long with probability {@code 2 C(2m-k, m) / C(2m, m)}
 * (k = 1..m), so the expected number of certain allocations per block is the sum of those, and the
 * share is that divided by 2m: 0.5 for blocks of 2, 1/3 for 4, 0.2667 for 6.
 */
public final class ClosedForm {

    private ClosedForm() {}

    /** Expected proportion of correct guesses under the convergence strategy, fixed 1:1 blocks. */
    public static double convergenceGuessRate(int blockSize) {
        int m = half(blockSize);
        double expectedCorrect = m + (Math.pow(2, 2 * m) / CombinatoricsUtils.binomialCoefficientDouble(2 * m, m) - 1) / 2;
        return expectedCorrect / blockSize;
    }

    /** Expected share of allocations certain to a recruiter who knows the past, fixed 1:1 blocks. */
    public static double certainShare(int blockSize) {
        int m = half(blockSize);
        double expectedCertain = 0;
        for (int k = 1; k <= m; k++) {
            expectedCertain += 2 * CombinatoricsUtils.binomialCoefficientDouble(2 * m - k, m)
                    / CombinatoricsUtils.binomialCoefficientDouble(2 * m, m);
        }
        return expectedCertain / blockSize;
    }

    private static int half(int blockSize) {
        if (blockSize < 2 || blockSize % 2 != 0) {
            throw new IllegalArgumentException("a 1:1 block size must be even and at least 2, was " + blockSize);
        }
        return blockSize / 2;
    }
}
