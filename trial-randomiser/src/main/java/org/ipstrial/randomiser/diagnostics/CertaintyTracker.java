package org.ipstrial.randomiser.diagnostics;

import java.util.List;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;

/**
 * Follows one stratum's sequence as a recruiter who knows every past allocation, the ratio and the
 * block sizes that can be drawn, but not where blocks end. The next allocation is certain when every
 * way of cutting the past into complete blocks (each of a drawable size, holding the arms exactly in
 * the ratio) followed by a partial block that some drawable size can complete leaves one arm only.
 *
 * <p>{@code boundary[b]} records whether the first b allocations can be cut into complete blocks.
 * Only the last (largest size) positions can start the current block, so each step costs
 * O(largest size x sizes x arms).
 */
final class CertaintyTracker {

    private final int arms;
    private final int[] sizes;
    private final int[][] armsPerBlock; // [size index][arm]
    private final int largest;
    private final long[][] prefix; // prefix[n][arm]: count of the arm among the first n allocations
    private final boolean[] boundary;
    private int seen;

    CertaintyTracker(List<String> armOrder, AllocationRatio ratio, List<BlockSizeChoice> choices, int capacity) {
        this.arms = armOrder.size();
        List<BlockSizeChoice> drawable = choices.stream().filter(c -> c.weight() > 0).toList();
        this.sizes = drawable.stream().mapToInt(BlockSizeChoice::size).toArray();
        this.armsPerBlock = new int[sizes.length][arms];
        for (int s = 0; s < sizes.length; s++) {
            for (int a = 0; a < arms; a++) {
                armsPerBlock[s][a] = sizes[s] / ratio.sum() * ratio.weightOf(armOrder.get(a));
            }
        }
        this.largest = java.util.Arrays.stream(sizes).max().orElseThrow();
        this.prefix = new long[capacity + 1][arms];
        this.boundary = new boolean[capacity + 1];
        this.boundary[0] = true;
    }

    /** Whether the next allocation is certain, given those seen so far. */
    boolean nextIsCertain() {
        int onlyArm = -1;
        for (int b = seen; b >= Math.max(0, seen - largest + 1); b--) {
            if (!boundary[b]) {
                continue;
            }
            int length = seen - b;
            if (length == 0) {
                return false; // a new block may start here, with any arm
            }
            for (int s = 0; s < sizes.length; s++) {
                if (sizes[s] <= length || !fits(b, s)) {
                    continue;
                }
                for (int a = 0; a < arms; a++) {
                    if (prefix[seen][a] - prefix[b][a] < armsPerBlock[s][a]) {
                        if (onlyArm >= 0 && onlyArm != a) {
                            return false;
                        }
                        onlyArm = a;
                    }
                }
            }
        }
        return onlyArm >= 0;
    }

    /** Records the next allocation (an index into the arm order). */
    void record(int arm) {
        System.arraycopy(prefix[seen], 0, prefix[seen + 1], 0, arms);
        prefix[seen + 1][arm]++;
        seen++;
        for (int s = 0; s < sizes.length; s++) {
            int start = seen - sizes[s];
            if (start >= 0 && boundary[start] && isCompleteBlock(start, s)) {
                boundary[seen] = true;
                return;
            }
        }
    }

    private boolean fits(int start, int sizeIndex) {
        for (int a = 0; a < arms; a++) {
            if (prefix[seen][a] - prefix[start][a] > armsPerBlock[sizeIndex][a]) {
                return false;
            }
        }
        return true;
    }

    private boolean isCompleteBlock(int start, int sizeIndex) {
        for (int a = 0; a < arms; a++) {
            if (prefix[seen][a] - prefix[start][a] != armsPerBlock[sizeIndex][a]) {
                return false;
            }
        }
        return true;
    }
}
