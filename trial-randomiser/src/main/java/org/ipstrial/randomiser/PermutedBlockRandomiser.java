package org.ipstrial.randomiser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Permuted-block randomisation as a pure function: block k of a stratum under a design version is
 * derived from HMAC-SHA256 keyed with the secret, so nothing upcoming is stored anywhere, and
 * whoever holds the secret can regenerate any block.
 *
 * <p>The algorithm (version 1; {@code docs/randomisation.md} describes it for statisticians):
 * <ol>
 *   <li>message = ASCII "ipstrial/permuted-block/v1", byte 0, the stratum key's UTF-8 length as a
 *       4-byte big-endian int, the key's UTF-8 bytes, the block index as an 8-byte big-endian long,
 *       the design version number as a 4-byte int, and a 4-byte counter;</li>
 *   <li>the generator's output is HMAC-SHA256(secret, message) for counter 0, 1, 2..., read as
 *       big-endian unsigned 32-bit words; a uniform integer in [0, n) rejects words at or above
 *       2^32 - (2^32 mod n) and takes the next word mod n (no draw when n = 1);</li>
 *   <li>the block size: draw r in [0, total weight) and take the first size (in the order listed)
 *       whose running weight total exceeds r;</li>
 *   <li>the block is filled with size x weight / ratio sum of each arm, in the design's arm order,
 *       then shuffled by Fisher-Yates: for i from size-1 down to 1, swap i with a uniform j in [0, i].</li>
 * </ol>
 *
 * <p>Thread-safe: each thread uses its own {@link Mac} (a Mac instance is not thread-safe).
 */
public final class PermutedBlockRandomiser {

    static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "ipstrial/permuted-block/v1\0".getBytes(StandardCharsets.US_ASCII);

    private final ThreadLocal<Mac> macs;

    public PermutedBlockRandomiser(RandomisationSecret secret) {
        Objects.requireNonNull(secret, "randomisation secret");
        SecretKeySpec key = new SecretKeySpec(secret.bytes(), ALGORITHM);
        newMac(key); // fail here, not on first use, if the JDK lacks HMAC-SHA256
        this.macs = ThreadLocal.withInitial(() -> newMac(key));
    }

    /** Block {@code blockIndex} (from 0) of a stratum's sequence, drawn under the given design version. */
    public Block block(Stratum stratum, long blockIndex, DesignVersion version) {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(version, "design version");
        if (blockIndex < 0) {
            throw new IllegalArgumentException("block index must be 0 or more, was " + blockIndex);
        }
        KeyedGenerator generator = new KeyedGenerator(macs.get(), message(stratum, blockIndex, version.number()));
        int size = drawSize(version.blockSizesFor(stratum), generator);
        String[] arms = fill(version.arms(), version.ratioFor(stratum), size);
        for (int i = arms.length - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            String swap = arms[i];
            arms[i] = arms[j];
            arms[j] = swap;
        }
        return new Block(stratum, blockIndex, version.number(), Arrays.asList(arms));
    }

    /**
     * The allocation after {@code previous} in a stratum's sequence (or the first, when there is
     * none). A new block starts under the version in force at {@code now}; a started block
     * finishes under the version it started with. Pure: the caller passes the time.
     */
    public Allocation nextAllocation(
            RandomisationDesign design, Stratum stratum, Optional<Allocation> previous, Instant now) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(previous, "previous allocation (Optional.empty() for the first)");
        design.requireStratum(stratum);
        if (previous.isPresent()) {
            Allocation last = previous.get();
            if (!last.stratum().equals(stratum)) {
                throw new IllegalArgumentException("previous allocation is in stratum " + last.stratum().key()
                        + ", not " + stratum.key());
            }
            if (last.positionInBlock() < last.blockSize()) {
                Block block = block(stratum, last.blockIndex(), design.version(last.designVersion()));
                return Allocation.of(block, last.sequence() + 1, last.positionInBlock() + 1);
            }
            return Allocation.of(
                    block(stratum, last.blockIndex() + 1, design.versionInForceAt(now)), last.sequence() + 1, 1);
        }
        return Allocation.of(block(stratum, 0, design.versionInForceAt(now)), 1, 1);
    }

    private static byte[] message(Stratum stratum, long blockIndex, int versionNumber) {
        byte[] key = stratum.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(DOMAIN.length + 4 + key.length + 8 + 4 + 4);
        buffer.put(DOMAIN).putInt(key.length).put(key).putLong(blockIndex).putInt(versionNumber).putInt(0);
        return buffer.array();
    }

    private static int drawSize(List<BlockSizeChoice> choices, KeyedGenerator generator) {
        int total = 0;
        for (BlockSizeChoice choice : choices) {
            total += choice.weight();
        }
        int draw = generator.nextInt(total);
        for (BlockSizeChoice choice : choices) {
            draw -= choice.weight();
            if (draw < 0) {
                return choice.size();
            }
        }
        throw new IllegalStateException("no block size drawn from " + choices);
    }

    private static String[] fill(List<String> arms, AllocationRatio ratio, int size) {
        String[] block = new String[size];
        int multiple = size / ratio.sum();
        int next = 0;
        for (String arm : arms) {
            int count = multiple * ratio.weightOf(arm);
            for (int i = 0; i < count; i++) {
                block[next++] = arm;
            }
        }
        return block;
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JDK cannot compute HMAC-SHA256", e);
        }
    }
}
