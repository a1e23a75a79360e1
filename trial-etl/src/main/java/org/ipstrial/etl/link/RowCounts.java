package org.ipstrial.etl.link;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where every row of one input file went, in the contract's buckets:
 * read = linked + quarantined (by reason) + date-of-birth conflict + no linkage consent + not a participant.
 */
public record RowCounts(String source, long read, long linked, SortedMap<String, Long> quarantinedByReason,
        long dateOfBirthConflict, long noLinkageConsent, long notAParticipant) {

    public RowCounts {
        Objects.requireNonNull(source, "source");
        quarantinedByReason = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(quarantinedByReason));
    }

    public long quarantined() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows neither linked nor quarantined: conflicts, non-consenting participants and non-participants. */
    public long discarded() {
        return dateOfBirthConflict + noLinkageConsent + notAParticipant;
    }

    /** The accounting identity; a run whose counts do not balance is a bug and stops. */
    public boolean balances() {
        return read == linked + quarantined() + discarded();
    }
}
