package org.ipstrial.randomiser.diagnostics;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.Stratum;

/**
 * The simulated behaviour of one allocation scheme (a ratio with its block-size choices), shared
 * by the strata listed: strata with the same scheme behave alike, so they are simulated once.
 *
 * @param strata the strata using this scheme
 * @param ratio the allocation ratio
 * @param blockSizes the block-size choices
 * @param recruits recruits per stratum in each replication
 * @param replications the number of simulated sequences
 * @param finalImbalance the imbalance after the last recruit
 * @param largestImbalance the largest imbalance reached at any point of a sequence
 * @param correctGuessRate the proportion of allocations a convergence-strategy recruiter guesses right
 * @param certainShare the proportion of allocations certain to a recruiter who knows the past
 * @param closedFormGuessRate the exact guess rate, for fixed 1:1 blocks and a whole number of blocks
 * @param closedFormCertainShare the exact certain share, under the same conditions
 */
public record SchemeDiagnostics(
        List<Stratum> strata,
        AllocationRatio ratio,
        List<BlockSizeChoice> blockSizes,
        int recruits,
        int replications,
        ImbalanceSummary finalImbalance,
        ImbalanceSummary largestImbalance,
        Estimate correctGuessRate,
        Estimate certainShare,
        OptionalDouble closedFormGuessRate,
        OptionalDouble closedFormCertainShare) {

    public SchemeDiagnostics {
        strata = List.copyOf(strata);
        blockSizes = List.copyOf(blockSizes);
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(finalImbalance, "final imbalance");
        Objects.requireNonNull(largestImbalance, "largest imbalance");
        Objects.requireNonNull(correctGuessRate, "correct guess rate");
        Objects.requireNonNull(certainShare, "certain share");
        Objects.requireNonNull(closedFormGuessRate, "closed-form guess rate");
        Objects.requireNonNull(closedFormCertainShare, "closed-form certain share");
    }
}
