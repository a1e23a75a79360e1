package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationListTest {

    private final PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(5));

    @Test
    void theListHasNSlotsPerStratumNumberedFromOneWithBlocksFromZero() {
        RandomisationDesign design = Designs.reference();
        List<Allocation> rows = AllocationList.forDesign(randomiser, design, design.version(1), 25);
        assertThat(rows).hasSize(75);
        for (Stratum stratum : design.strata()) {
            List<Allocation> ofStratum = rows.stream().filter(r -> r.stratum().equals(stratum)).toList();
            assertThat(ofStratum).extracting(Allocation::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
            assertThat(ofStratum.get(0).blockIndex()).isZero();
            assertThat(ofStratum.get(0).positionInBlock()).isEqualTo(1);
        }
    }

    @Test
    void theListFollowsTheScheduleOfVersionsBlockByBlock() {
        RandomisationDesign design = RatioChangeTest.designWithChange();
        StratumSchedule schedule = new StratumSchedule(List.of(
                new StratumSchedule.Change(0, design.version(1)), new StratumSchedule.Change(3, design.version(2))));
        List<Allocation> rows = AllocationList.forStratum(randomiser, Designs.A_OOW, schedule, 40);
        assertThat(rows).allSatisfy(row -> assertThat(row.designVersion()).isEqualTo(row.blockIndex() < 3 ? 1 : 2));
        for (Allocation row : rows) {
            Block block = randomiser.block(Designs.A_OOW, row.blockIndex(), schedule.versionForBlock(row.blockIndex()));
            assertThat(row.arm()).isEqualTo(block.armAt(row.positionInBlock() - 1));
            assertThat(row.blockSize()).isEqualTo(block.size());
        }
    }

    @Test
    void theCsvHasTheDocumentedColumns() {
        List<Allocation> rows = List.of(new Allocation(Designs.A_OOW, 1, 0, 4, 1, 1, "control"),
                new Allocation(Designs.A_OOW, 2, 0, 4, 2, 1, "treatment"));
        assertThat(AllocationList.toCsv(rows)).isEqualTo("""
                stratum,sequence,block,block_size,position_in_block,arm
                A/A-OOW,1,0,4,1,control
                A/A-OOW,2,0,4,2,treatment
                """);
    }
}
