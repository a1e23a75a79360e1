package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One randomiser shared by many threads (as in the service) gives exactly the single-threaded blocks. */
class ConcurrentUseTest {

    @Test
    void manyThreadsGetTheSameBlocksAsOne() throws Exception {
        DesignVersion version = Designs.reference().version(1);
        PermutedBlockRandomiser shared = new PermutedBlockRandomiser(Designs.secret(42));
        List<Block> expected = new ArrayList<>();
        PermutedBlockRandomiser alone = new PermutedBlockRandomiser(Designs.secret(42));
        for (long k = 0; k < 2_000; k++) {
            expected.add(alone.block(Designs.REFERENCE_STRATA.get((int) (k % 3)), k, version));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Block>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<Block>> task = () -> {
                    start.await();
                    List<Block> blocks = new ArrayList<>();
                    for (long k = 0; k < 2_000; k++) {
                        blocks.add(shared.block(Designs.REFERENCE_STRATA.get((int) (k % 3)), k, version));
                    }
                    return blocks;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<Block>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One minimisation randomiser shared by many threads, each with its own totals, gives the single-threaded arms. */
    @Test
    void manyThreadsGetTheSameMinimisedArmsAsOne() throws Exception {
        MinimisationDesign design = Minimisations.bySite(Designs.ratio(1, 1), ImbalanceMeasure.VARIANCE, "0.8");
        List<java.util.Map<String, String>> recruits = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 1_000; i++) {
            recruits.add(Minimisations.recruit(design, random));
        }
        MinimisationRandomiser shared = new MinimisationRandomiser(Designs.secret(42));
        Callable<List<MinimisedAllocation>> sequence = () -> {
            List<MinimisedAllocation> allocations = new ArrayList<>();
            MarginalTotals totals = new MarginalTotals(design);
            for (java.util.Map<String, String> levels : recruits) {
                MinimisedAllocation allocation = shared.allocate(design, design.version(1), Stratum.of("A"),
                        totals.allocations() + 1, levels, totals);
                totals.add(levels, allocation.arm());
                allocations.add(allocation);
            }
            return allocations;
        };
        List<MinimisedAllocation> expected = sequence.call();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<MinimisedAllocation>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(sequence));
            }
            for (Future<List<MinimisedAllocation>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
