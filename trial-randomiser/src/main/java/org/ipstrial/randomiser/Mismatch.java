package org.ipstrial.randomiser;

import java.util.Objects;

/**
 * One difference between a recorded allocation history and the sequence regenerated from the secret.
 *
 * @param stratum the stratum
 * @param sequence the recorded sequence number concerned
 * @param problem what differs
 * @param expected what the regenerated sequence says
 * @param recorded what the history says
 */
public record Mismatch(Stratum stratum, long sequence, Problem problem, String expected, String recorded) {

    public enum Problem {
        /** The stratum is not one of the design's. */
        UNKNOWN_STRATUM,
        /** The design has no version with the recorded number. */
        UNKNOWN_DESIGN_VERSION,
        /** Two recorded allocations share a sequence number. */
        DUPLICATE_SEQUENCE,
        /** Sequence numbers are missing before this one. */
        MISSING_SEQUENCE,
        /** The block index does not follow from the previous allocation. */
        BLOCK_INDEX,
        /** The position in the block does not follow from the previous allocation, or lies beyond the block. */
        POSITION_IN_BLOCK,
        /** The design version changes inside a started block. */
        DESIGN_VERSION_CHANGED_INSIDE_BLOCK,
        /** A block started under a version that was not in force at that moment. */
        DESIGN_VERSION_NOT_IN_FORCE,
        /** The recorded arm differs from the regenerated one. */
        ARM,
        /** Minimisation: a recorded factor level is missing or not one of the design's levels. */
        FACTOR_LEVEL,
        /** Minimisation: the recorded seal does not match the recorded stratum, sequence, version, levels and arm. */
        SEAL
    }

    public Mismatch {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(recorded, "recorded");
    }

    /** One line for a person: "A/A-OOW sequence 7: ARM: expected control, recorded treatment". */
    public String describe() {
        return stratum.key() + " sequence " + sequence + ": " + problem + ": expected " + expected + ", recorded " + recorded;
    }
}
