package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How fast the randomiser answers, on one thread: a whole block, the service's path of
 * computing the next slot of a stratum (which regenerates the current block each time, because
 * nothing upcoming is stored), and one minimised allocation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RandomiserBenchmark {

    private static final List<String> ARMS = List.of("treatment", "control");
    private static final Instant GO_LIVE = Instant.parse("2026-01-05T00:00:00Z");

    private PermutedBlockRandomiser randomiser;
    private RandomisationDesign design;
    private DesignVersion version;
    private Stratum stratum;
    private long blockIndex;
    private Allocation previous;
    private Instant now;
    private MinimisationRandomiser minimiser;
    private MinimisationDesign minimisation;
    private MarginalTotals totals;
    private Map<String, String> levels;

    @Setup
    public void setUp() {
        randomiser = new PermutedBlockRandomiser(RandomisationSecret.fromHex(
                HexFormat.of().formatHex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})));
        stratum = Stratum.of("A", "A-OOW");
        version = new DesignVersion(1, GO_LIVE, ARMS, AllocationRatio.equal(ARMS), Map.of(),
                List.of(new BlockSizeChoice(2, 1), new BlockSizeChoice(4, 2), new BlockSizeChoice(6, 1)));
        design = new RandomisationDesign("ips-reference-trial", List.of("site", "trial_group"),
                List.of(stratum, Stratum.of("A", "A-IW"), Stratum.of("B", "B-OOW")), List.of(version));
        now = GO_LIVE.plusSeconds(3600);
        previous = randomiser.nextAllocation(design, stratum, Optional.empty(), now);
        minimiser = new MinimisationRandomiser(RandomisationSecret.fromHex(
                "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        weights.put("gender", 1);
        weights.put("dependent_children", 1);
        weights.put("qualification", 1);
        minimisation = new MinimisationDesign("ips-minimised-demo", List.of("site"), List.of(Stratum.of("A"), Stratum.of("B")),
                List.of(new MinimisationFactor("gender", List.of("1", "2", "3")),
                        new MinimisationFactor("dependent_children", List.of("1", "2")),
                        new MinimisationFactor("qualification", List.of("1", "2", "3", "4", "5", "6", "7"))),
                List.of(new MinimisationVersion(1, GO_LIVE, ARMS, AllocationRatio.equal(ARMS), weights,
                        ImbalanceMeasure.RANGE, new java.math.BigDecimal("0.8"))));
        totals = new MarginalTotals(minimisation);
        levels = Map.of("gender", "2", "dependent_children", "1", "qualification", "4");
    }

    /**
     * The allocation of one recruit by minimisation, as the service computes it (imbalances, the
     * draws and the seal; the totals are the stratum's, as the service reads them): allocations per
     * second.
     */
    @Benchmark
    public MinimisedAllocation minimisedAllocation() {
        MinimisedAllocation allocation = minimiser.allocate(minimisation, Stratum.of("A"), totals.allocations() + 1,
                levels, totals, now);
        totals.add(levels, allocation.arm());
        return allocation;
    }

    /** One block of the reference design (sizes 2, 4, 6): blocks per second. */
    @Benchmark
    public Block block() {
        return randomiser.block(stratum, blockIndex++, version);
    }

    /** The next slot of a stratum, as the service computes it: allocations per second. */
    @Benchmark
    public Allocation nextAllocation() {
        previous = randomiser.nextAllocation(design, stratum, Optional.of(previous), now);
        return previous;
    }
}
