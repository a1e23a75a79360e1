package org.ipstrial.randomiser.diagnostics;

import java.util.List;
import org.ipstrial.randomiser.AllocationRatio;

/**
 * The recruiter of the convergence strategy: before each allocation, guess the arm that is furthest
 * behind its share, the arm with the smallest count / ratio weight so far; on a tie, toss a fair
 * coin among the tied arms. Scored by expectation (1/k when the allocated arm is one of k tied
 * arms), so the score carries no coin-toss noise.
 */
final class Guesser {

    private Guesser() {}

    /** The expected score (0 to 1) of guessing the next arm, given counts so far (in {@code arms} order). */
    static double expectedScore(List<String> arms, AllocationRatio ratio, long[] counts, int allocated) {
        // Fractions compared exactly: counts[a] / w[a] < counts[b] / w[b]  <=>  counts[a] w[b] < counts[b] w[a].
        int best = 0;
        for (int a = 1; a < arms.size(); a++) {
            if (counts[a] * ratio.weightOf(arms.get(best)) < counts[best] * ratio.weightOf(arms.get(a))) {
                best = a;
            }
        }
        int tied = 0;
        boolean allocatedIsTied = false;
        for (int a = 0; a < arms.size(); a++) {
            if (counts[a] * ratio.weightOf(arms.get(best)) == counts[best] * ratio.weightOf(arms.get(a))) {
                tied++;
                allocatedIsTied |= a == allocated;
            }
        }
        return allocatedIsTied ? 1.0 / tied : 0.0;
    }
}
