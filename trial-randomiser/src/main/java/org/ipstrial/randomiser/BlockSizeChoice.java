package org.ipstrial.randomiser;

/**
 * One possible block size and its weight: a block's size is drawn with probability
 * {@code weight / (sum of all weights)}. A weight of 0 keeps a size listed but never drawn.
 *
 * @param size the number of allocations in a block of this size
 * @param weight a non-negative integer weight
 */
public record BlockSizeChoice(int size, int weight) {

    public BlockSizeChoice {
        if (size < 1) {
            throw new IllegalArgumentException("block size must be a positive integer, was " + size);
        }
        if (weight < 0) {
            throw new IllegalArgumentException(
                    "block size " + size + ": the weight must not be negative, was " + weight);
        }
    }

    @Override
    public String toString() {
        return size + " (weight " + weight + ")";
    }
}
