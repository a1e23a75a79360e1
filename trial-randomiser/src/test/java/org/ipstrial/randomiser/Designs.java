package org.ipstrial.randomiser;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Designs and secrets shared by the tests. */
final class Designs {

    static final List<String> ARMS = List.of("treatment", "control");
    static final Instant GO_LIVE = Instant.parse("2026-01-05T09:00:00Z");
    static final Stratum A_OOW = Stratum.of("A", "A-OOW");
    static final Stratum A_IW = Stratum.of("A", "A-IW");
    static final Stratum B_OOW = Stratum.of("B", "B-OOW");
    static final List<Stratum> REFERENCE_STRATA = List.of(A_OOW, A_IW, B_OOW);

    private Designs() {}

    /** A secret derived from a seed, so a failing test can be replayed from the seed it prints. */
    static RandomisationSecret secret(long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return new RandomisationSecret(sha.digest(ByteBuffer.allocate(8).putLong(seed).array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<BlockSizeChoice> sizes(int... sizeWeightPairs) {
        List<BlockSizeChoice> choices = new ArrayList<>();
        for (int i = 0; i < sizeWeightPairs.length; i += 2) {
            choices.add(new BlockSizeChoice(sizeWeightPairs[i], sizeWeightPairs[i + 1]));
        }
        return choices;
    }

    static DesignVersion version(int number, Instant from, AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        return new DesignVersion(number, from, ARMS, ratio, Map.of(), sizes);
    }

    static DesignVersion version(AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        return version(1, GO_LIVE, ratio, sizes);
    }

    static AllocationRatio ratio(int treatment, int control) {
        return AllocationRatio.of(ARMS, treatment, control);
    }

    /** The reference trial: three strata, 1:1, block sizes 2, 4, 6 with weights 1, 2, 1. */
    static RandomisationDesign reference() {
        return new RandomisationDesign("ips-reference-trial", List.of("site", "trial_group"), REFERENCE_STRATA,
                List.of(version(ratio(1, 1), sizes(2, 1, 4, 2, 6, 1))));
    }
}
