package org.ipstrial.randomiser;

import java.util.Objects;

/**
 * One slot of a stratum's sequence: a row of the allocation list.
 *
 * @param stratum the stratum
 * @param sequence the slot's place in the stratum's sequence, from 1
 * @param blockIndex the index of its block, from 0
 * @param blockSize the size of that block
 * @param positionInBlock the slot's place in its block, from 1
 * @param designVersion the design version its block was drawn under
 * @param arm the arm allocated
 */
public record Allocation(
        Stratum stratum, long sequence, long blockIndex, int blockSize, int positionInBlock, int designVersion,
        String arm) {

    public Allocation {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(arm, "arm");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
        if (blockIndex < 0) {
            throw new IllegalArgumentException("block index starts at 0, was " + blockIndex);
        }
        if (positionInBlock < 1 || positionInBlock > blockSize) {
            throw new IllegalArgumentException("position in block must be 1 to " + blockSize + ", was " + positionInBlock);
        }
    }

    /** The slot at a 1-based position of a block. */
    public static Allocation of(Block block, long sequence, int positionInBlock) {
        return new Allocation(block.stratum(), sequence, block.index(), block.size(), positionInBlock,
                block.designVersion(), block.armAt(positionInBlock - 1));
    }
}
