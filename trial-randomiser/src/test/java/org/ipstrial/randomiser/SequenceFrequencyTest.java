package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * Over 500 fixed seeds, chi-square goodness-of-fit tests of the arm at each block's first position,
 * of block sizes and of the order of arms inside a block. With a fair generator each test rejects
 * at alpha = 0.01 with probability 0.01, so the number of rejections is Binomial(500, 0.01): more
 * than its 99.9th percentile (12) would be a sign of bias, not of chance.
 */
class SequenceFrequencyTest {

    private static final int SEEDS = 500;
    private static final int BLOCKS_PER_SEED = 200;
    private static final double ALPHA = 0.01;
    private static final int MOST_REJECTIONS_ALLOWED =
            new BinomialDistribution(null, SEEDS, ALPHA).inverseCumulativeProbability(0.999);

    private final ChiSquareTest chiSquare = new ChiSquareTest();

    @Test
    void theBoundIsTheBinomialQuantile() {
        assertThat(MOST_REJECTIONS_ALLOWED).isBetween(10, 14);
    }

    @Test
    void blockSizesFollowTheirWeights() {
        DesignVersion version = Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 2, 6, 1));
        List<Integer> categories = List.of(2, 4, 6);
        assertRejectionsWithinBound("block sizes 2/4/6 weighted 1/2/1", version, categories,
                new double[] {0.25, 0.5, 0.25}, Block::size);
    }

    @Test
    void blockSizesFollowTheirWeightsAtTwoToOne() {
        DesignVersion version = Designs.version(Designs.ratio(2, 1), Designs.sizes(3, 3, 6, 1, 9, 1));
        assertRejectionsWithinBound("block sizes 3/6/9 weighted 3/1/1", version, List.of(3, 6, 9),
                new double[] {0.6, 0.2, 0.2}, Block::size);
    }

    @Test
    void theFirstArmOfABlockFollowsTheRatio() {
        DesignVersion equal = Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 2, 6, 1));
        assertRejectionsWithinBound("first arm at 1:1", equal, Designs.ARMS, new double[] {0.5, 0.5},
                block -> block.armAt(0));
        DesignVersion twoToOne = Designs.version(Designs.ratio(2, 1), Designs.sizes(3, 1, 6, 1));
        assertRejectionsWithinBound("first arm at 2:1", twoToOne, Designs.ARMS, new double[] {2.0 / 3, 1.0 / 3},
                block -> block.armAt(0));
        DesignVersion threeToTwo = Designs.version(Designs.ratio(3, 2), Designs.sizes(5, 1, 10, 1));
        assertRejectionsWithinBound("last arm at 3:2", threeToTwo, Designs.ARMS, new double[] {0.6, 0.4},
                block -> block.armAt(block.size() - 1));
    }

    @Test
    void everyOrderOfABlockIsEquallyLikely() {
        // Fisher-Yates with unbiased draws: the 6 orders of a 1:1 block of 4 each have probability 1/6.
        DesignVersion version = Designs.version(Designs.ratio(1, 1), Designs.sizes(4, 1));
        List<String> orders = List.of("TTCC", "TCTC", "TCCT", "CTTC", "CTCT", "CCTT");
        double[] sixths = {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6};
        assertRejectionsWithinBound("orders of a block of 4", version, orders, sixths, SequenceFrequencyTest::order);
        // And the 3 orders of a 2:1 block of 3.
        DesignVersion twoToOne = Designs.version(Designs.ratio(2, 1), Designs.sizes(3, 1));
        assertRejectionsWithinBound("orders of a 2:1 block of 3", twoToOne, List.of("TTC", "TCT", "CTT"),
                new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, SequenceFrequencyTest::order);
    }

    private <T> void assertRejectionsWithinBound(
            String what, DesignVersion version, List<T> categories, double[] probabilities, Function<Block, T> category) {
        List<Long> rejectedSeeds = new ArrayList<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(seed));
            long[] observed = new long[categories.size()];
            for (long k = 0; k < BLOCKS_PER_SEED; k++) {
                T value = category.apply(randomiser.block(Designs.A_OOW, k, version));
                int index = categories.indexOf(value);
                assertThat(index).as("seed %d block %d: %s is a category of %s", seed, k, value, what)
                        .isNotNegative();
                observed[index]++;
            }
            double[] expected = new double[probabilities.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = probabilities[i] * BLOCKS_PER_SEED;
            }
            if (chiSquare.chiSquareTest(expected, observed, ALPHA)) {
                rejectedSeeds.add(seed);
            }
        }
        assertThat(rejectedSeeds.size())
                .as("%s: chi-square rejections at alpha %.2f over %d seeds (rejected seeds %s)",
                        what, ALPHA, SEEDS, rejectedSeeds)
                .isLessThanOrEqualTo(MOST_REJECTIONS_ALLOWED);
    }

    private static String order(Block block) {
        StringBuilder order = new StringBuilder();
        for (String arm : block.arms()) {
            order.append(arm.equals("treatment") ? 'T' : 'C');
        }
        return order.toString();
    }
}
