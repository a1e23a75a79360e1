package org.ipstrial.etl.link;

import java.nio.ByteBuffer;

/** Where the first pass over an administrative file sends each linked row, encoded: its participant's partition. */
@FunctionalInterface
public interface LinkedRows {
    /**
     * @param participant the register index of the row's participant
     * @param row         the row in {@link PartitionFormat}, from its position to its limit; the
     *                    buffer is reused once the call returns
     */
    void add(int participant, ByteBuffer row);
}
