package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A ratio change applies from the next block boundary of each stratum, never inside a started block. */
class RatioChangeTest {

    private static final Instant CHANGE = Designs.GO_LIVE.plus(Duration.ofDays(30));

    /** Version 2 moves A-OOW to 1:2 (capacity control) with block sizes of its own; other strata stay 1:1. */
    static RandomisationDesign designWithChange() {
        DesignVersion first = Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 2, 6, 1));
        DesignVersion second = new DesignVersion(2, CHANGE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of(Designs.A_OOW, Designs.ratio(1, 2)), Designs.sizes(2, 1, 4, 2, 6, 1),
                Map.of(Designs.A_OOW, Designs.sizes(3, 1, 6, 1)));
        return new RandomisationDesign("capacity-control", List.of("site", "trial_group"), Designs.REFERENCE_STRATA,
                List.of(first, second));
    }

    @Test
    void theBlockInProgressFinishesUnderTheOldRatioAndTheNextStartsUnderTheNew() {
        RandomisationDesign design = designWithChange();
        for (long seed = 0; seed < 100; seed++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(seed));
            for (int beforeChange = 1; beforeChange <= 13; beforeChange++) {
                List<Allocation> slots = allocate(randomiser, design, Designs.A_OOW, beforeChange, 30);
                Allocation lastBefore = slots.get(beforeChange - 1);
                for (Allocation slot : slots) {
                    boolean startedBeforeChange = slot.blockIndex() <= lastBefore.blockIndex();
                    assertThat(slot.designVersion()).as("seed %d, change after %d: sequence %d", seed, beforeChange,
                            slot.sequence()).isEqualTo(startedBeforeChange ? 1 : 2);
                }
                assertThat(countsByBlock(slots)).as("seed %d, change after %d", seed, beforeChange)
                        .allSatisfy(counts -> {
                            int control = counts[1];
                            int size = counts[0] + counts[1];
                            if (counts[2] == 1) {
                                assertThat(control * 2).isEqualTo(size);
                            } else {
                                assertThat(control * 3).isEqualTo(size * 2);
                            }
                        });
            }
        }
    }

    @Test
    void otherStrataKeepTheirRatioUnderTheNewVersion() {
        RandomisationDesign design = designWithChange();
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(7));
        List<Allocation> slots = allocate(randomiser, design, Designs.B_OOW, 5, 60);
        assertThat(slots.get(59).designVersion()).isEqualTo(2);
        assertThat(countsByBlock(slots)).allSatisfy(counts -> assertThat(counts[0]).isEqualTo(counts[1]));
    }

    @Test
    void aVersionOnlyChangesTheBlocksDrawnUnderIt() {
        // Blocks are keyed by version number too: the same block index under two versions is drawn
        // independently, and a version's blocks do not depend on later versions existing.
        RandomisationDesign design = designWithChange();
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(3));
        RandomisationDesign firstOnly = new RandomisationDesign("capacity-control", design.factors(), design.strata(),
                List.of(design.version(1)));
        assertThat(randomiser.block(Designs.A_OOW, 5, firstOnly.version(1)))
                .isEqualTo(randomiser.block(Designs.A_OOW, 5, design.version(1)));
    }

    /** Allocates {@code before} slots before the change and the rest after it, through nextAllocation. */
    private static List<Allocation> allocate(
            PermutedBlockRandomiser randomiser, RandomisationDesign design, Stratum stratum, int before, int total) {
        List<Allocation> slots = new ArrayList<>();
        Optional<Allocation> previous = Optional.empty();
        for (int i = 0; i < total; i++) {
            Instant now = i < before ? CHANGE.minusSeconds(total - i) : CHANGE.plusSeconds(i);
            Allocation slot = randomiser.nextAllocation(design, stratum, previous, now);
            slots.add(slot);
            previous = Optional.of(slot);
        }
        return slots;
    }

    /** Per completed block: {treatment, control, version}. */
    private static List<int[]> countsByBlock(List<Allocation> slots) {
        List<int[]> blocks = new ArrayList<>();
        int[] current = new int[3];
        for (Allocation slot : slots) {
            current[slot.arm().equals("treatment") ? 0 : 1]++;
            current[2] = slot.designVersion();
            if (slot.positionInBlock() == slot.blockSize()) {
                blocks.add(current);
                current = new int[3];
            }
        }
        return blocks;
    }
}
