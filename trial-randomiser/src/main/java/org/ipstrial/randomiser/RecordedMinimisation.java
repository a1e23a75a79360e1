package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One allocation made by minimisation as the service recorded it, to be checked against the
 * allocation regenerated from the secret.
 *
 * @param stratum the stratum
 * @param sequence its place in the stratum's sequence, from 1
 * @param designVersion the design version recorded with it
 * @param levels the recruit's level of each minimisation factor, as recorded
 * @param arm the arm recorded
 * @param allocatedAt when it was allocated (it must use the version then in force)
 * @param seal the seal recorded with it
 */
public record RecordedMinimisation(
        Stratum stratum, long sequence, int designVersion, Map<String, String> levels, String arm,
        Instant allocatedAt, String seal) {

    public RecordedMinimisation {
        Objects.requireNonNull(stratum, "recorded allocation: stratum");
        Objects.requireNonNull(levels, "recorded allocation: levels");
        Objects.requireNonNull(arm, "recorded allocation: arm");
        Objects.requireNonNull(allocatedAt, "recorded allocation: allocated at");
        Objects.requireNonNull(seal, "recorded allocation: seal");
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** What the service records for an allocation it made at {@code allocatedAt}. */
    public static RecordedMinimisation of(MinimisedAllocation allocation, Instant allocatedAt) {
        return new RecordedMinimisation(allocation.stratum(), allocation.sequence(), allocation.designVersion(),
                allocation.levels(), allocation.arm(), allocatedAt, allocation.seal());
    }
}
