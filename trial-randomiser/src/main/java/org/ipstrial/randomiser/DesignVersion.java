package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One version of the randomisation design: the arms, the allocation ratio and the block-size
 * choices, in force from {@code effectiveFrom} until the next version. A stratum may override the
 * ratio (capacity control) and, when its ratio sum does not divide the default sizes, the block
 * sizes too.
 *
 * <p>A block started under a version finishes under it: the service records the version number
 * with each block, so a new version applies from the next block boundary of each stratum.
 *
 * @param number 1, 2, 3... in order of {@code effectiveFrom}
 * @param effectiveFrom the moment from which blocks start under this version
 * @param arms the arm codes; their order is part of the algorithm (a block is filled in this order
 *     before it is shuffled)
 * @param defaultRatio the ratio of every stratum without an override
 * @param ratioByStratum per-stratum ratio overrides (may be empty)
 * @param blockSizes the default block-size choices
 * @param blockSizesByStratum per-stratum block-size overrides (may be empty)
 */
public record DesignVersion(
        int number,
        Instant effectiveFrom,
        List<String> arms,
        AllocationRatio defaultRatio,
        Map<Stratum, AllocationRatio> ratioByStratum,
        List<BlockSizeChoice> blockSizes,
        Map<Stratum, List<BlockSizeChoice>> blockSizesByStratum) {

    public DesignVersion {
        if (number < 1) {
            throw new IllegalArgumentException("design version number must be 1 or more, was " + number);
        }
        String version = "design version " + number;
        Objects.requireNonNull(effectiveFrom, version + ": effective from is missing");
        Objects.requireNonNull(arms, version + ": arms are missing");
        Objects.requireNonNull(defaultRatio, version + ": allocation ratio is missing");
        Objects.requireNonNull(ratioByStratum, version + ": per-stratum ratios are missing (give an empty map)");
        Objects.requireNonNull(blockSizes, version + ": block sizes are missing");
        Objects.requireNonNull(blockSizesByStratum,
                version + ": per-stratum block sizes are missing (give an empty map)");

        arms = List.copyOf(arms);
        if (arms.size() < 2) {
            throw new IllegalArgumentException(version + ": arms: a randomised design needs at least two arms, got "
                    + arms.size());
        }
        for (String arm : arms) {
            Codes.require(arm, version + ": arm");
        }
        if (new HashSet<>(arms).size() != arms.size()) {
            throw new IllegalArgumentException(version + ": arms: an arm is listed twice in " + arms);
        }
        ratioByStratum = Map.copyOf(ratioByStratum);
        Map<Stratum, List<BlockSizeChoice>> sizesCopy = new HashMap<>();
        blockSizesByStratum.forEach((stratum, sizes) -> sizesCopy.put(stratum, List.copyOf(sizes)));
        blockSizesByStratum = Map.copyOf(sizesCopy);
        blockSizes = List.copyOf(blockSizes);

        requireSameArms(arms, defaultRatio, version + ": allocation ratio");
        requireValidSizes(blockSizes, version + ": block sizes");
        requireMultiples(blockSizes, defaultRatio, version + ": block sizes",
                "the allocation ratio " + defaultRatio);
        for (Map.Entry<Stratum, AllocationRatio> entry : ratioByStratum.entrySet()) {
            String where = version + ", stratum " + entry.getKey().key();
            requireSameArms(arms, entry.getValue(), where + ": allocation ratio");
        }
        for (Map.Entry<Stratum, List<BlockSizeChoice>> entry : blockSizesByStratum.entrySet()) {
            String where = version + ", stratum " + entry.getKey().key();
            requireValidSizes(entry.getValue(), where + ": block sizes");
        }
        Set<Stratum> overridden = new HashSet<>(ratioByStratum.keySet());
        overridden.addAll(blockSizesByStratum.keySet());
        for (Stratum stratum : overridden) {
            AllocationRatio ratio = ratioByStratum.getOrDefault(stratum, defaultRatio);
            boolean ownSizes = blockSizesByStratum.containsKey(stratum);
            List<BlockSizeChoice> sizes = blockSizesByStratum.getOrDefault(stratum, blockSizes);
            String where = version + ", stratum " + stratum.key() + ": "
                    + (ownSizes ? "block sizes" : "the default block sizes");
            String hint = ownSizes ? "" : " (give this stratum block sizes of its own)";
            requireMultiples(sizes, ratio, where, "its allocation ratio " + ratio + hint);
        }
    }

    /** A version without per-stratum block sizes. */
    public DesignVersion(
            int number,
            Instant effectiveFrom,
            List<String> arms,
            AllocationRatio defaultRatio,
            Map<Stratum, AllocationRatio> ratioByStratum,
            List<BlockSizeChoice> blockSizes) {
        this(number, effectiveFrom, arms, defaultRatio, ratioByStratum, blockSizes, Map.of());
    }

    /** The ratio a stratum's blocks use under this version. */
    public AllocationRatio ratioFor(Stratum stratum) {
        return ratioByStratum.getOrDefault(stratum, defaultRatio);
    }

    /** The block-size choices a stratum's blocks use under this version. */
    public List<BlockSizeChoice> blockSizesFor(Stratum stratum) {
        return blockSizesByStratum.getOrDefault(stratum, blockSizes);
    }

    /** The largest block size a stratum can draw (weight above zero) under this version. */
    public int largestBlockSizeFor(Stratum stratum) {
        int largest = 0;
        for (BlockSizeChoice choice : blockSizesFor(stratum)) {
            if (choice.weight() > 0) {
                largest = Math.max(largest, choice.size());
            }
        }
        return largest;
    }

    private static void requireSameArms(List<String> arms, AllocationRatio ratio, String field) {
        if (!ratio.weights().keySet().equals(Set.copyOf(arms))) {
            throw new IllegalArgumentException(field + ": gives arms " + ratio.weights().keySet()
                    + " but the design's arms are " + arms);
        }
    }

    private static void requireValidSizes(List<BlockSizeChoice> sizes, String field) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException(field + ": at least one block size is needed");
        }
        Set<Integer> seen = new HashSet<>();
        long totalWeight = 0;
        for (BlockSizeChoice choice : sizes) {
            Objects.requireNonNull(choice, field + ": a block size is missing");
            if (!seen.add(choice.size())) {
                throw new IllegalArgumentException(field + ": block size " + choice.size() + " is listed twice");
            }
            totalWeight += choice.weight();
        }
        if (totalWeight == 0) {
            throw new IllegalArgumentException(field + ": every weight is zero, so no block size could be drawn");
        }
        if (totalWeight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + ": the weights add up to more than " + Integer.MAX_VALUE);
        }
    }

    private static void requireMultiples(
            List<BlockSizeChoice> sizes, AllocationRatio ratio, String field, String ratioDescription) {
        int sum = ratio.sum();
        for (BlockSizeChoice choice : sizes) {
            if (choice.size() % sum != 0) {
                throw new IllegalArgumentException(field + ": block size " + choice.size()
                        + " is not a multiple of " + sum + ", the sum of " + ratioDescription);
            }
        }
    }
}
