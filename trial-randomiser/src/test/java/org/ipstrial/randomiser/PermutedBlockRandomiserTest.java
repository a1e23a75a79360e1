package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PermutedBlockRandomiserTest {

    private final PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(1));

    @Test
    void aBlockHoldsTheRatioAndADrawnSize() {
        DesignVersion version = Designs.version(Designs.ratio(2, 1), Designs.sizes(3, 1, 6, 1));
        Block block = randomiser.block(Designs.A_OOW, 0, version);
        assertThat(block.size()).isIn(3, 6);
        assertThat(block.arms().stream().filter("treatment"::equals).count()).isEqualTo(2L * block.size() / 3);
        assertThat(block.designVersion()).isEqualTo(1);
    }

    @Test
    void nextAllocationWalksThroughABlockThenStartsTheNext() {
        RandomisationDesign design = Designs.reference();
        Allocation first = randomiser.nextAllocation(design, Designs.A_OOW, Optional.empty(), Designs.GO_LIVE);
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.blockIndex()).isZero();
        assertThat(first.positionInBlock()).isEqualTo(1);
        Allocation current = first;
        for (int i = 1; i < first.blockSize(); i++) {
            current = randomiser.nextAllocation(design, Designs.A_OOW, Optional.of(current), Designs.GO_LIVE);
            assertThat(current.blockIndex()).isZero();
        }
        Allocation next = randomiser.nextAllocation(design, Designs.A_OOW, Optional.of(current), Designs.GO_LIVE);
        assertThat(next.blockIndex()).isEqualTo(1);
        assertThat(next.positionInBlock()).isEqualTo(1);
        assertThat(next.sequence()).isEqualTo(first.blockSize() + 1L);
    }

    @Test
    void aNegativeBlockIndexIsRefused() {
        assertThatThrownBy(() -> randomiser.block(Designs.A_OOW, -1, Designs.reference().version(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block index");
    }
}
