package org.ipstrial.etl.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionPlanTest {
    private static final long MB = 1024 * 1024;

    @Test
    void partitionsGrowWithTheInputAndShrinkWithTheBudget() {
        assertThat(PartitionPlan.partitionsFor(0, 512 * MB, 100)).isEqualTo(1);
        assertThat(PartitionPlan.partitionsFor(100 * MB, 512 * MB, 10_000)).isEqualTo(1);
        // ten million rows of about 60 bytes: at most 15M rows x 48 bytes = 720 MB, two partitions of 512 MB
        assertThat(PartitionPlan.partitionsFor(600 * MB, 512 * MB, 100_000)).isEqualTo(2);
        assertThat(PartitionPlan.partitionsFor(6000 * MB, 512 * MB, 1_000_000)).isEqualTo(15);
        assertThat(PartitionPlan.partitionsFor(6000 * MB, 256 * MB, 1_000_000)).isEqualTo(29);
        assertThat(PartitionPlan.partitionsFor(6000 * MB, 16 * MB, 100)).isEqualTo(100); // one person each at most
        assertThat(PartitionPlan.partitionsFor(Long.MAX_VALUE / 64, 16 * MB, 10_000_000)).isEqualTo(PartitionPlan.MAX_PARTITIONS);
    }

    @Test
    void everyParticipantIsInOnePartitionAndPartitionsAreRunsOfPidRanks() {
        long seed = 20261203L;
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            int people = 1 + random.nextInt(500);
            int partitions = 1 + random.nextInt(40);
            int[] order = shuffled(people, random);
            PartitionPlan plan = PartitionPlan.of(partitions, order);

            assertThat(plan.partitions()).as("seed %d round %d", seed, round).isEqualTo(Math.min(partitions, people));
            assertThat(plan.firstRank()[0]).isZero();
            assertThat(plan.firstRank()[plan.partitions()]).isEqualTo(people);
            for (int k = 0; k < plan.partitions(); k++) {
                int size = plan.firstRank()[k + 1] - plan.firstRank()[k];
                assertThat(size).as("seed %d round %d partition %d", seed, round, k).isBetween(people / plan.partitions(),
                        people / plan.partitions() + 1);
                for (int rank = plan.firstRank()[k]; rank < plan.firstRank()[k + 1]; rank++) {
                    assertThat(plan.partitionOf()[order[rank]]).isEqualTo(k);
                }
            }
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
