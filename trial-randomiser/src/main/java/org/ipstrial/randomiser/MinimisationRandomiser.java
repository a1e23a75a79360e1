package org.ipstrial.randomiser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Minimisation (Pocock and Simon 1975) with its random element drawn from the secret exactly as a
 * permuted block is: allocation n of a stratum under design version v is a function of the secret,
 * the stratum key, n, v, the recruit's levels and the stratum's marginal totals only. So nothing
 * upcoming is stored, and whoever holds the secret and the recorded levels regenerates every
 * allocation.
 *
 * <p>The algorithm (version 1; {@code docs/randomisation.md} describes it for statisticians, with
 * a Python reference):
 * <ol>
 *   <li>Adjusted totals: for the recruit's level l of factor f, arm a's total n(f,l,a), plus one
 *       for the arm k being tried, times L / w(a), where w(a) is the arm's ratio weight and L the
 *       least common multiple of the weights (so that "balanced" means "in the ratio", in whole
 *       numbers).</li>
 *   <li>The factor's imbalance D(f,k): the range (largest minus smallest adjusted total) or the
 *       variance, computed as A x sum of squares - (sum)^2 for A arms. The imbalance of arm k is
 *       G(k) = sum over factors of weight(f) x D(f,k). The minimising arms are those with the
 *       smallest G.</li>
 *   <li>The keyed generator: HMAC-SHA256(secret, "ipstrial/minimisation/v1" 0x00 | key length (4
 *       bytes) | stratum key | n (8 bytes) | v (4 bytes) | counter (4 bytes)), read as the blocks'
 *       generator is (unsigned 32-bit words, uniform draws by rejection).</li>
 *   <li>First draw: c uniform below 1,000,000, always drawn first (so the list of c's is fixed by
 *       the secret alone). Then: if every arm ties, the arm is drawn by the ratio's weights over
 *       all arms. Otherwise the preferred arm is the minimising arm (drawn by ratio weight among
 *       them when several tie); if c is below p x 1,000,000 it is allocated, else an arm is drawn by
 *       ratio weight among the others. A weighted draw over one arm draws nothing; over several
 *       it takes r uniform below their total weight and the first arm, in design order, whose
 *       running total exceeds r.</li>
 * </ol>
 *
 * <p>Thread-safe: each thread uses its own {@link Mac}.
 */
public final class MinimisationRandomiser {

    private static final byte[] DOMAIN = "ipstrial/minimisation/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEAL_DOMAIN = "ipstrial/minimisation-seal/v1\0".getBytes(StandardCharsets.US_ASCII);

    private final ThreadLocal<Mac> macs;

    public MinimisationRandomiser(RandomisationSecret secret) {
        Objects.requireNonNull(secret, "randomisation secret");
        SecretKeySpec key = new SecretKeySpec(secret.bytes(), PermutedBlockRandomiser.ALGORITHM);
        newMac(key);
        this.macs = ThreadLocal.withInitial(() -> newMac(key));
    }

    /**
     * The allocation of the next recruit of a stratum, under the version in force at {@code now}.
     * {@code totals} are the stratum's totals before this recruit and must hold
     * {@code sequence - 1} allocations; they are not changed (the caller adds the result).
     */
    public MinimisedAllocation allocate(MinimisationDesign design, Stratum stratum, long sequence,
            Map<String, String> levels, MarginalTotals totals, Instant now) {
        Objects.requireNonNull(design, "design");
        return allocate(design, design.versionInForceAt(now), stratum, sequence, levels, totals);
    }

    /** The allocation under a given version (for verification and simulation). */
    public MinimisedAllocation allocate(MinimisationDesign design, MinimisationVersion version, Stratum stratum,
            long sequence, Map<String, String> levels, MarginalTotals totals) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(version, "design version");
        Objects.requireNonNull(totals, "marginal totals");
        design.requireStratum(stratum);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
        if (totals.allocations() != sequence - 1) {
            throw new IllegalArgumentException("stratum " + stratum.key() + ": the totals hold " + totals.allocations()
                    + " allocations, so the next sequence is " + (totals.allocations() + 1) + ", not " + sequence);
        }
        int[] levelIndexes = design.levelIndexes(levels);
        Choice choice = choose(design, version, stratum, sequence, levelIndexes, totals);
        List<String> arms = version.arms();
        Map<String, String> orderedLevels = new LinkedHashMap<>();
        for (int f = 0; f < design.factors().size(); f++) {
            MinimisationFactor factor = design.factors().get(f);
            orderedLevels.put(factor.name(), factor.levels().get(levelIndexes[f]));
        }
        Map<String, Long> scores = new LinkedHashMap<>();
        List<String> minimising = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            scores.put(arms.get(a), choice.scores[a]);
            if (choice.minimising[a]) {
                minimising.add(arms.get(a));
            }
        }
        String arm = arms.get(choice.arm);
        return new MinimisedAllocation(stratum, sequence, version.number(), orderedLevels, arm, scores, minimising,
                choice.decision, seal(design, stratum, sequence, version.number(), orderedLevels, arm));
    }

    /**
     * The arm alone, as an index into the design's arms, for level indexes in the design's factor
     * order: the simulation's fast path (no seal, no maps). The same arm as {@link #allocate}.
     */
    public int armIndex(MinimisationDesign design, MinimisationVersion version, Stratum stratum, long sequence,
            int[] levelIndexes, MarginalTotals totals) {
        return choose(design, version, stratum, sequence, levelIndexes, totals).arm;
    }

    /** The first draw of allocation {@code sequence}: c below 1,000,000, which fixes whether it may leave the minimising arm. */
    public int coin(Stratum stratum, long sequence, int designVersion) {
        return generator(stratum, sequence, designVersion).nextInt(MinimisationVersion.PROBABILITY_SCALE);
    }

    /**
     * The seal of a recorded allocation: lower-case hex HMAC-SHA256(secret, "ipstrial/minimisation-seal/v1"
     * 0x00 | key length | stratum key | sequence (8 bytes) | version (4 bytes) | number of factors
     * (4 bytes) | for each factor in design order: name length, name, level length, level | arm
     * length, arm), lengths as 4-byte big-endian ints, text as UTF-8.
     */
    public String seal(MinimisationDesign design, Stratum stratum, long sequence, int designVersion,
            Map<String, String> levels, String arm) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(arm, "arm");
        List<byte[]> texts = new ArrayList<>();
        texts.add(utf8(stratum.key()));
        for (MinimisationFactor factor : design.factors()) {
            texts.add(utf8(factor.name()));
            texts.add(utf8(Objects.requireNonNull(levels.get(factor.name()), () -> "factor " + factor.name() + ": no level")));
        }
        texts.add(utf8(arm));
        int length = SEAL_DOMAIN.length + 8 + 4 + 4;
        for (byte[] text : texts) {
            length += 4 + text.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(SEAL_DOMAIN);
        text(buffer, texts.get(0));
        buffer.putLong(sequence).putInt(designVersion).putInt(design.factors().size());
        for (int i = 1; i < texts.size(); i++) {
            text(buffer, texts.get(i));
        }
        Mac mac = macs.get();
        mac.update(buffer.array());
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private record Choice(int arm, long[] scores, boolean[] minimising, MinimisedAllocation.Decision decision) {}

    private Choice choose(MinimisationDesign design, MinimisationVersion version, Stratum stratum, long sequence,
            int[] levelIndexes, MarginalTotals totals) {
        List<String> arms = version.arms();
        int armCount = arms.size();
        long[] scores = imbalanceIfAllocated(design, version, levelIndexes, totals);
        long lowest = Long.MAX_VALUE;
        for (long score : scores) {
            lowest = Math.min(lowest, score);
        }
        boolean[] minimising = new boolean[armCount];
        int tied = 0;
        for (int a = 0; a < armCount; a++) {
            minimising[a] = scores[a] == lowest;
            tied += minimising[a] ? 1 : 0;
        }
        KeyedGenerator generator = generator(stratum, sequence, version.number());
        int coin = generator.nextInt(MinimisationVersion.PROBABILITY_SCALE);
        if (tied == armCount) {
            return new Choice(weightedDraw(version, minimising, generator), scores, minimising,
                    MinimisedAllocation.Decision.ALL_ARMS_TIED);
        }
        int preferred = weightedDraw(version, minimising, generator);
        if (coin < version.probabilityInMillionths()) {
            return new Choice(preferred, scores, minimising, MinimisedAllocation.Decision.MINIMISING_ARM);
        }
        boolean[] others = new boolean[armCount];
        for (int a = 0; a < armCount; a++) {
            others[a] = a != preferred;
        }
        return new Choice(weightedDraw(version, others, generator), scores, minimising,
                MinimisedAllocation.Decision.OTHER_ARM);
    }

    /**
     * G(k) for each arm k (design order): the weighted imbalance over the recruit's levels (indexes
     * in the design's factor order) had the recruit gone to arm k. What a guesser who knows the
     * totals computes.
     */
    public static long[] imbalanceIfAllocated(
            MinimisationDesign design, MinimisationVersion version, int[] levelIndexes, MarginalTotals totals) {
        List<String> arms = version.arms();
        int armCount = arms.size();
        long[] scale = scales(version);
        long[] scores = new long[armCount];
        long[] adjusted = new long[armCount];
        List<MinimisationFactor> factors = design.factors();
        for (int f = 0; f < factors.size(); f++) {
            int weight = version.factorWeights().get(factors.get(f).name());
            if (weight == 0) {
                continue;
            }
            for (int k = 0; k < armCount; k++) {
                for (int a = 0; a < armCount; a++) {
                    adjusted[a] = Math.multiplyExact(totals.count(f, levelIndexes[f], a) + (a == k ? 1 : 0), scale[a]);
                }
                // Exact arithmetic throughout: an overflow fails loudly rather than mis-ranking the arms.
                scores[k] = Math.addExact(scores[k], Math.multiplyExact(weight, imbalance(version.measure(), adjusted)));
            }
        }
        return scores;
    }

    /** L / w(a) per arm, L the least common multiple of the ratio weights. */
    static long[] scales(MinimisationVersion version) {
        List<String> arms = version.arms();
        long lcm = 1;
        for (String arm : arms) {
            long w = version.ratio().weightOf(arm);
            lcm = lcm / gcd(lcm, w) * w;
        }
        long[] scale = new long[arms.size()];
        for (int a = 0; a < arms.size(); a++) {
            scale[a] = lcm / version.ratio().weightOf(arms.get(a));
        }
        return scale;
    }

    static long imbalance(ImbalanceMeasure measure, long[] adjusted) {
        if (measure == ImbalanceMeasure.RANGE) {
            long max = Long.MIN_VALUE;
            long min = Long.MAX_VALUE;
            for (long x : adjusted) {
                max = Math.max(max, x);
                min = Math.min(min, x);
            }
            return max - min;
        }
        long sum = 0;
        long squares = 0;
        for (long x : adjusted) {
            sum += x;
            squares = Math.addExact(squares, Math.multiplyExact(x, x));
        }
        return Math.subtractExact(Math.multiplyExact(adjusted.length, squares), Math.multiplyExact(sum, sum));
    }

    /** An arm among the candidates, by ratio weight in design order; no draw when there is one candidate. */
    private static int weightedDraw(MinimisationVersion version, boolean[] candidates, KeyedGenerator generator) {
        List<String> arms = version.arms();
        int count = 0;
        int only = -1;
        int total = 0;
        for (int a = 0; a < arms.size(); a++) {
            if (candidates[a]) {
                count++;
                only = a;
                total += version.ratio().weightOf(arms.get(a));
            }
        }
        if (count == 1) {
            return only;
        }
        int draw = generator.nextInt(total);
        for (int a = 0; a < arms.size(); a++) {
            if (candidates[a]) {
                draw -= version.ratio().weightOf(arms.get(a));
                if (draw < 0) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("no arm drawn");
    }

    private KeyedGenerator generator(Stratum stratum, long sequence, int versionNumber) {
        Objects.requireNonNull(stratum, "stratum");
        byte[] key = stratum.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(DOMAIN.length + 4 + key.length + 8 + 4 + 4);
        buffer.put(DOMAIN).putInt(key.length).put(key).putLong(sequence).putInt(versionNumber).putInt(0);
        return new KeyedGenerator(macs.get(), buffer.array());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void text(ByteBuffer buffer, byte[] bytes) {
        buffer.putInt(bytes.length).put(bytes);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(PermutedBlockRandomiser.ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JDK cannot compute HMAC-SHA256", e);
        }
    }
}
