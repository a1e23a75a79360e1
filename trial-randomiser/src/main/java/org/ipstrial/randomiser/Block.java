package org.ipstrial.randomiser;

import java.util.List;
import java.util.Objects;

/**
 * One permuted block of a stratum's sequence: its arms in allocation order.
 *
 * @param stratum the stratum whose sequence it belongs to
 * @param index the block's index in that sequence, from 0
 * @param designVersion the number of the design version the block was drawn under
 * @param arms the arms in allocation order
 */
public record Block(Stratum stratum, long index, int designVersion, List<String> arms) {

    public Block {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(arms, "arms");
        if (index < 0) {
            throw new IllegalArgumentException("block index must be 0 or more, was " + index);
        }
        arms = List.copyOf(arms);
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("a block holds at least one allocation");
        }
    }

    public int size() {
        return arms.size();
    }

    /** The arm at a position in the block, counted from 0. */
    public String armAt(int positionInBlock) {
        if (positionInBlock < 0 || positionInBlock >= arms.size()) {
            throw new IllegalArgumentException("position in block " + positionInBlock
                    + " is outside block " + index + " of stratum " + stratum.key() + " (positions 0 to "
                    + (arms.size() - 1) + ")");
        }
        return arms.get(positionInBlock);
    }
}
