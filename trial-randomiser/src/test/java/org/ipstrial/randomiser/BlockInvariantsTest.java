package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of the sequence over many secrets, ratios and block-size sets. Every assertion names
 * the seed, so a failure can be replayed with {@code Designs.secret(seed)}.
 */
class BlockInvariantsTest {

    private static final int SEEDS = 200;
    private static final int BLOCKS = 60;

    static Stream<Arguments> designs() {
        return Stream.of(
                Arguments.of(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 2, 6, 1)),
                Arguments.of(Designs.ratio(1, 1), Designs.sizes(4, 1)),
                Arguments.of(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 1, 6, 1, 8, 1)),
                Arguments.of(Designs.ratio(1, 1), Designs.sizes(2, 0, 4, 3, 6, 1)),
                Arguments.of(Designs.ratio(2, 1), Designs.sizes(3, 1, 6, 1)),
                Arguments.of(Designs.ratio(2, 1), Designs.sizes(6, 1)),
                Arguments.of(Designs.ratio(1, 2), Designs.sizes(3, 2, 6, 1, 9, 1)),
                Arguments.of(Designs.ratio(3, 2), Designs.sizes(5, 1, 10, 1)),
                Arguments.of(Designs.ratio(3, 2), Designs.sizes(5, 1, 10, 2, 15, 1)));
    }

    @ParameterizedTest(name = "{0}, sizes {1}")
    @MethodSource("designs")
    void everyBlockHoldsTheArmsExactlyInTheRatioAndADrawableSize(AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        DesignVersion version = Designs.version(ratio, sizes);
        List<Integer> drawable = sizes.stream().filter(c -> c.weight() > 0).map(BlockSizeChoice::size).toList();
        for (long seed = 0; seed < SEEDS; seed++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(seed));
            for (long k = 0; k < BLOCKS; k++) {
                Block block = randomiser.block(Designs.A_OOW, k, version);
                assertThat(drawable).as("seed %d block %d size", seed, k).contains(block.size());
                for (String arm : Designs.ARMS) {
                    long count = block.arms().stream().filter(arm::equals).count();
                    assertThat(count).as("seed %d block %d arm %s", seed, k, arm)
                            .isEqualTo((long) block.size() * ratio.weightOf(arm) / ratio.sum());
                }
            }
        }
    }

    /**
     * An arm's shortfall or excess against its target share, |n_a - n w_a / W|, is at most
     * s w_a (W - w_a) / W^2 inside a block of size s, and zero at a block's end: so never more than
     * the largest block allows. Compared in integers, multiplied by W^2.
     */
    @ParameterizedTest(name = "{0}, sizes {1}")
    @MethodSource("designs")
    void runningImbalanceNeverExceedsWhatTheLargestBlockAllowsAndReachesIt(
            AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        DesignVersion version = Designs.version(ratio, sizes);
        int largest = version.largestBlockSizeFor(Designs.A_OOW);
        int sum = ratio.sum();
        Map<String, Long> largestSeen = new HashMap<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(seed));
            List<Allocation> slots = AllocationList.forStratum(
                    randomiser, Designs.A_OOW, StratumSchedule.constant(version), BLOCKS * 4);
            Map<String, Long> counts = new HashMap<>();
            long n = 0;
            for (Allocation slot : slots) {
                counts.merge(slot.arm(), 1L, Long::sum);
                n++;
                for (String arm : Designs.ARMS) {
                    int weight = ratio.weightOf(arm);
                    long scaled = Math.abs(sum * (sum * counts.getOrDefault(arm, 0L) - n * weight));
                    long bound = (long) largest * weight * (sum - weight);
                    assertThat(scaled).as("seed %d sequence %d arm %s: imbalance x W^2", seed, n, arm)
                            .isLessThanOrEqualTo(bound);
                    largestSeen.merge(arm, scaled, Math::max);
                }
            }
        }
        // The bound is tight: it is reached whenever one arm fills the start of a largest block.
        // For blocks up to 10 that happens within the seeds here; for 15 (1 block in 5,005) it may not.
        if (largest > 10) {
            return;
        }
        for (String arm : Designs.ARMS) {
            int weight = ratio.weightOf(arm);
            assertThat(largestSeen.get(arm)).as("the bound is reached for arm %s", arm)
                    .isEqualTo((long) largest * weight * (sum - weight));
        }
    }

    @ParameterizedTest(name = "{0}, sizes {1}")
    @MethodSource("designs")
    void theSameSecretGivesTheSameSequenceAndAnotherSecretAnotherOne(
            AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        StratumSchedule schedule = StratumSchedule.constant(Designs.version(ratio, sizes));
        List<Allocation> previous = null;
        for (long seed = 0; seed < SEEDS; seed++) {
            List<Allocation> first = AllocationList.forStratum(
                    new PermutedBlockRandomiser(Designs.secret(seed)), Designs.A_OOW, schedule, 100);
            List<Allocation> again = AllocationList.forStratum(
                    new PermutedBlockRandomiser(Designs.secret(seed)), Designs.A_OOW, schedule, 100);
            assertThat(again).as("seed %d regenerated", seed).isEqualTo(first);
            if (previous != null) {
                assertThat(first).as("seed %d against seed %d", seed, seed - 1).isNotEqualTo(previous);
            }
            previous = first;
        }
    }

    @ParameterizedTest(name = "{0}, sizes {1}")
    @MethodSource("designs")
    void strataHaveTheirOwnSequencesUnaffectedByEachOther(AllocationRatio ratio, List<BlockSizeChoice> sizes) {
        DesignVersion version = Designs.version(ratio, sizes);
        for (long seed = 0; seed < SEEDS; seed++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(seed));
            List<String> alone = arms(randomiser, Designs.A_OOW, version, 40);
            // Interleave the other strata's draws: A-OOW's sequence must not move.
            List<String> interleaved = new ArrayList<>();
            for (long k = 0; k < 40; k++) {
                randomiser.block(Designs.A_IW, k, version);
                interleaved.addAll(randomiser.block(Designs.A_OOW, k, version).arms());
                randomiser.block(Designs.B_OOW, k, version);
            }
            assertThat(interleaved).as("seed %d", seed).isEqualTo(alone);
            assertThat(arms(randomiser, Designs.A_IW, version, 40)).as("seed %d: A-IW against A-OOW", seed)
                    .isNotEqualTo(alone);
        }
    }

    private static List<String> arms(PermutedBlockRandomiser randomiser, Stratum stratum, DesignVersion version, int blocks) {
        List<String> arms = new ArrayList<>();
        for (long k = 0; k < blocks; k++) {
            arms.addAll(randomiser.block(stratum, k, version).arms());
        }
        return arms;
    }
}
