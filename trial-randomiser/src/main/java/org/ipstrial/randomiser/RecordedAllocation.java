package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.Objects;

/**
 * One allocation as the service recorded it, to be checked against the regenerated sequence.
 *
 * @param stratum the stratum
 * @param sequence its place in the stratum's sequence, from 1
 * @param blockIndex its block, from 0
 * @param positionInBlock its place in the block, from 1
 * @param designVersion the design version recorded with its block
 * @param arm the arm recorded
 * @param allocatedAt when it was allocated (a block must start under the version then in force)
 */
public record RecordedAllocation(
        Stratum stratum, long sequence, long blockIndex, int positionInBlock, int designVersion, String arm,
        Instant allocatedAt) {

    public RecordedAllocation {
        Objects.requireNonNull(stratum, "recorded allocation: stratum");
        Objects.requireNonNull(arm, "recorded allocation: arm");
        Objects.requireNonNull(allocatedAt, "recorded allocation: allocated at");
    }
}
