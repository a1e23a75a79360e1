package org.ipstrial.randomiser;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One allocation made by minimisation, with what explains it: the imbalance each arm would have
 * given, the arms that minimise it, and which way the random element went.
 *
 * @param stratum the stratum whose totals and sequence it belongs to
 * @param sequence its place in the stratum's sequence, from 1
 * @param designVersion the design version it was made under
 * @param levels the recruit's level of each minimisation factor, in the design's factor order
 * @param arm the arm allocated
 * @param imbalanceIfAllocated for each arm (design order), the weighted imbalance had the recruit gone there
 * @param minimisingArms the arms with the smallest of those (several when tied)
 * @param decision how the arm was chosen
 * @param seal the allocation's seal: an HMAC under the secret of everything above but the
 *     explanation, recorded with it so that any later change to a recorded arm, level or version is
 *     found by {@link MinimisationVerifier}
 */
public record MinimisedAllocation(
        Stratum stratum, long sequence, int designVersion, Map<String, String> levels, String arm,
        Map<String, Long> imbalanceIfAllocated, List<String> minimisingArms, Decision decision, String seal) {

    /** How the random element chose the arm. */
    public enum Decision {
        /** Every arm gives the same imbalance: drawn with the ratio's probabilities. */
        ALL_ARMS_TIED,
        /** The arm that minimises the imbalance (one of them, drawn by ratio, when several tie), with the design's probability. */
        MINIMISING_ARM,
        /** Another arm, with the remaining probability, drawn by ratio among the other arms. */
        OTHER_ARM
    }

    public MinimisedAllocation {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(imbalanceIfAllocated, "imbalance if allocated");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(seal, "seal");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
        imbalanceIfAllocated = Collections.unmodifiableMap(new LinkedHashMap<>(imbalanceIfAllocated));
        minimisingArms = List.copyOf(minimisingArms);
    }
}
