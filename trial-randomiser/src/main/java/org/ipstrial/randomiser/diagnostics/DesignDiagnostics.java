package org.ipstrial.randomiser.diagnostics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.Block;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * Simulates a design version's sequences to show, before go-live, how balanced and how predictable
 * they are for an expected recruitment per stratum. Each replication draws a real sequence with the
 * real randomiser, under a secret derived from the seed and the replication number, so a report is
 * reproducible from its seed.
 */
public final class DesignDiagnostics {

    private static final byte[] SECRET_DOMAIN = "ipstrial/diagnostics/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final double Z_975 = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(0.975);

    /** Strata with the same ratio and block sizes have sequences of the same law: simulated once. */
    private record Scheme(AllocationRatio ratio, List<BlockSizeChoice> blockSizes) {}

    private DesignDiagnostics() {}

    /** Diagnostics of every allocation scheme a design version uses, for {@code recruits} per stratum. */
    public static DiagnosticsReport of(
            RandomisationDesign design, DesignVersion version, int recruits, int replications, long seed) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(version, "design version");
        Map<Scheme, List<Stratum>> strataByScheme = new LinkedHashMap<>();
        for (Stratum stratum : design.strata()) {
            Scheme scheme = new Scheme(version.ratioFor(stratum), version.blockSizesFor(stratum));
            strataByScheme.computeIfAbsent(scheme, s -> new ArrayList<>()).add(stratum);
        }
        List<SchemeDiagnostics> schemes = new ArrayList<>();
        for (List<Stratum> strata : strataByScheme.values()) {
            schemes.add(simulate(version, strata, recruits, replications, seed));
        }
        return new DiagnosticsReport(design.name(), version.number(), recruits, replications, seed, schemes);
    }

    /** Diagnostics of the scheme the first of {@code strata} uses (the others are listed as sharing it). */
    public static SchemeDiagnostics simulate(
            DesignVersion version, List<Stratum> strata, int recruits, int replications, long seed) {
        Objects.requireNonNull(version, "design version");
        if (strata.isEmpty()) {
            throw new IllegalArgumentException("strata: at least one stratum to simulate");
        }
        if (recruits < 1) {
            throw new IllegalArgumentException("recruits per stratum must be 1 or more, was " + recruits);
        }
        if (replications < 2) {
            throw new IllegalArgumentException("replications must be 2 or more, was " + replications);
        }
        Stratum stratum = strata.get(0);
        AllocationRatio ratio = version.ratioFor(stratum);
        List<BlockSizeChoice> sizes = version.blockSizesFor(stratum);
        List<String> arms = version.arms();
        int sum = ratio.sum();

        DescriptiveStatistics finalImbalance = new DescriptiveStatistics();
        DescriptiveStatistics largestImbalance = new DescriptiveStatistics();
        DescriptiveStatistics guessRate = new DescriptiveStatistics();
        DescriptiveStatistics certainShare = new DescriptiveStatistics();
        Map<Long, Integer> finalCounts = new TreeMap<>();
        Map<Long, Integer> largestCounts = new TreeMap<>();

        for (int replication = 0; replication < replications; replication++) {
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(replicationSecret(seed, replication));
            CertaintyTracker tracker = new CertaintyTracker(arms, ratio, sizes, recruits);
            long[] counts = new long[arms.size()];
            long largest = 0;
            double correct = 0;
            int certain = 0;
            int n = 0;
            for (long k = 0; n < recruits; k++) {
                Block block = randomiser.block(stratum, k, version);
                for (int position = 0; position < block.size() && n < recruits; position++) {
                    int arm = arms.indexOf(block.armAt(position));
                    correct += Guesser.expectedScore(arms, ratio, counts, arm);
                    if (tracker.nextIsCertain()) {
                        certain++;
                    }
                    tracker.record(arm);
                    counts[arm]++;
                    n++;
                    largest = Math.max(largest, imbalanceTimesSum(counts, n, arms, ratio));
                }
            }
            long last = imbalanceTimesSum(counts, n, arms, ratio);
            finalImbalance.addValue((double) last / sum);
            largestImbalance.addValue((double) largest / sum);
            finalCounts.merge(last, 1, Integer::sum);
            largestCounts.merge(largest, 1, Integer::sum);
            guessRate.addValue(correct / recruits);
            certainShare.addValue((double) certain / recruits);
        }
        return new SchemeDiagnostics(strata, ratio, sizes, recruits, replications,
                summary(finalImbalance, finalCounts, sum, replications),
                summary(largestImbalance, largestCounts, sum, replications),
                estimate(guessRate), estimate(certainShare),
                closedForm(ratio, sizes, recruits, true), closedForm(ratio, sizes, recruits, false));
    }

    /** The secret of one replication: SHA-256 of a domain tag, the seed and the replication number. */
    static RandomisationSecret replicationSecret(long seed, int replication) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SECRET_DOMAIN);
            sha.update(ByteBuffer.allocate(12).putLong(seed).putInt(replication).array());
            return new RandomisationSecret(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK cannot compute SHA-256", e);
        }
    }

    /** Sum over arms of |n_a W - n w_a|: the imbalance multiplied by the ratio sum W, kept exact. */
    private static long imbalanceTimesSum(long[] counts, long n, List<String> arms, AllocationRatio ratio) {
        long total = 0;
        for (int a = 0; a < arms.size(); a++) {
            total += Math.abs(counts[a] * ratio.sum() - n * ratio.weightOf(arms.get(a)));
        }
        return total;
    }

    static ImbalanceSummary summary(
            DescriptiveStatistics values, Map<Long, Integer> counts, int sum, int replications) {
        TreeMap<Double, Double> shares = new TreeMap<>();
        counts.forEach((value, count) -> shares.put((double) value / sum, (double) count / replications));
        return new ImbalanceSummary(values.getMean(), values.getStandardDeviation(), values.getPercentile(50),
                values.getPercentile(90), values.getPercentile(99), values.getMax(), shares);
    }

    static Estimate estimate(DescriptiveStatistics values) {
        double mean = values.getMean();
        double standardError = values.getStandardDeviation() / Math.sqrt(values.getN());
        return new Estimate(mean, standardError, mean - Z_975 * standardError, mean + Z_975 * standardError);
    }

    private static OptionalDouble closedForm(
            AllocationRatio ratio, List<BlockSizeChoice> sizes, int recruits, boolean guessRate) {
        List<BlockSizeChoice> drawable = sizes.stream().filter(c -> c.weight() > 0).toList();
        boolean equalTwoArms = ratio.weights().size() == 2 && ratio.weights().values().stream().allMatch(w -> w == 1);
        if (!equalTwoArms || drawable.size() != 1 || recruits % drawable.get(0).size() != 0) {
            return OptionalDouble.empty();
        }
        int size = drawable.get(0).size();
        return OptionalDouble.of(guessRate ? ClosedForm.convergenceGuessRate(size) : ClosedForm.certainShare(size));
    }
}
