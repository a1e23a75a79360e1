package org.ipstrial.api.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An append-only Merkle tree hashed as Certificate Transparency hashes its log (RFC 6962 section
 * 2.1): a leaf is SHA-256(0x00 || data), an inner node SHA-256(0x01 || left || right), and the head
 * of a tree whose size is not a power of two splits at the largest power of two below its size.
 * Only the roots of the perfect subtrees along the right edge are kept (at most log2 n of them),
 * so appending and reading the head cost O(log n) whatever the size.
 */
final class MerkleTree {
    private static final HexFormat HEX = HexFormat.of();
    /** Roots of perfect subtrees, largest (leftmost) first, with their sizes. */
    private final List<byte[]> roots = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private long size;

    MerkleTree copy() {
        MerkleTree copy = new MerkleTree();
        copy.roots.addAll(roots);
        copy.sizes.addAll(sizes);
        copy.size = size;
        return copy;
    }

    long size() {
        return size;
    }

    void append(byte[] leafHash) {
        byte[] node = leafHash;
        long nodeSize = 1;
        while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == nodeSize) {
            node = inner(roots.remove(roots.size() - 1), node);
            sizes.remove(sizes.size() - 1);
            nodeSize *= 2;
        }
        roots.add(node);
        sizes.add(nodeSize);
        size++;
    }

    /** The tree head, lower-case hex; the hash of the empty string for an empty tree. */
    String head() {
        if (roots.isEmpty()) {
            return HEX.formatHex(digest().digest());
        }
        byte[] head = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            head = inner(roots.get(i), head);
        }
        return HEX.formatHex(head);
    }

    /**
     * The leaf hash of one sealed chain head: 0x00, the chain's UTF-8 length (4 bytes, big-endian)
     * and bytes, the position (8 bytes), the head's hash (its hex text), so no two heads encode alike.
     */
    static byte[] leaf(String chain, long seq, String hash) {
        byte[] name = chain.getBytes(StandardCharsets.UTF_8);
        MessageDigest d = digest();
        d.update((byte) 0);
        d.update(java.nio.ByteBuffer.allocate(12 + name.length).putInt(name.length).put(name).putLong(seq).array());
        d.update(hash.getBytes(StandardCharsets.US_ASCII));
        return d.digest();
    }

    static byte[] inner(byte[] left, byte[] right) {
        MessageDigest d = digest();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
