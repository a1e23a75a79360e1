package org.ipstrial.randomiser;

import java.util.List;

/** The outcome of checking a recorded allocation history against the secret. */
public sealed interface VerificationResult {

    /** How many recorded allocations were checked. */
    int allocationsChecked();

    /** Every recorded allocation matches the regenerated sequence. */
    record Verified(int allocationsChecked) implements VerificationResult {}

    /** At least one difference; every difference found is listed. */
    record Mismatches(int allocationsChecked, List<Mismatch> mismatches) implements VerificationResult {
        public Mismatches {
            mismatches = List.copyOf(mismatches);
            if (mismatches.isEmpty()) {
                throw new IllegalArgumentException("a mismatch result needs at least one mismatch");
            }
        }
    }
}
