package org.ipstrial.randomiser;

import java.util.List;
import java.util.Objects;

/**
 * Which design version each block of a stratum uses: version changes take effect at block
 * boundaries, so a schedule is a list of (first block, version) changes.
 *
 * @param changes in increasing order of first block, the first from block 0
 */
public record StratumSchedule(List<Change> changes) {

    /** From block {@code fromBlock} onwards (until the next change), blocks use {@code version}. */
    public record Change(long fromBlock, DesignVersion version) {
        public Change {
            Objects.requireNonNull(version, "design version");
            if (fromBlock < 0) {
                throw new IllegalArgumentException("schedule: first block must be 0 or more, was " + fromBlock);
            }
        }
    }

    public StratumSchedule {
        Objects.requireNonNull(changes, "schedule changes");
        changes = List.copyOf(changes);
        if (changes.isEmpty() || changes.get(0).fromBlock() != 0) {
            throw new IllegalArgumentException("schedule: the first change must start at block 0");
        }
        for (int i = 1; i < changes.size(); i++) {
            if (changes.get(i).fromBlock() <= changes.get(i - 1).fromBlock()) {
                throw new IllegalArgumentException("schedule: changes must be in increasing order of block, found block "
                        + changes.get(i).fromBlock() + " after block " + changes.get(i - 1).fromBlock());
            }
        }
    }

    /** Every block under one version. */
    public static StratumSchedule constant(DesignVersion version) {
        return new StratumSchedule(List.of(new Change(0, version)));
    }

    /** The version block {@code blockIndex} uses. */
    public DesignVersion versionForBlock(long blockIndex) {
        if (blockIndex < 0) {
            throw new IllegalArgumentException("block index must be 0 or more, was " + blockIndex);
        }
        DesignVersion version = changes.get(0).version();
        for (Change change : changes) {
            if (change.fromBlock() > blockIndex) {
                break;
            }
            version = change.version();
        }
        return version;
    }
}
