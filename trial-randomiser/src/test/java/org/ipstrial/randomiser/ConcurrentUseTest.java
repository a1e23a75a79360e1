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
}
