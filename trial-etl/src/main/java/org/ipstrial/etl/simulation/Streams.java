package org.ipstrial.etl.simulation;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent random streams, one per (stage, person): a stage's draws for a person do not depend
 * on how many draws other people or other stages made, so changing a messiness rate never changes
 * anyone's latent outcomes, and the same seed gives the same trial. SplittableRandom's algorithm
 * (SplitMix64) is specified by the JDK, so streams are the same on every Java 17 machine.
 */
final class Streams {
    private final long seed;

    Streams(long seed) {
        this.seed = seed;
    }

    SplittableRandom of(String stage, long index) {
        return new SplittableRandom(mix(mix(seed ^ stageKey(stage)) + index));
    }

    private static long stageKey(String stage) {
        long h = 1125899906842597L;
        for (byte b : stage.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return mix(h);
    }

    /** The SplitMix64 finaliser: spreads nearby inputs (index 1, 2, 3...) over all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Index of a category drawn with the given weights (which need not sum to 1). */
    static int pick(SplittableRandom random, double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static boolean chance(SplittableRandom random, double probability) {
        return random.nextDouble() < probability;
    }

    /** A uniform whole number in [min, max]. */
    static int between(SplittableRandom random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }
}
