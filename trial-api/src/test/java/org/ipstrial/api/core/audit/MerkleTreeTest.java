package org.ipstrial.api.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree kept as a frontier gives RFC 6962's Merkle tree hash, computed here by its recursive definition. */
class MerkleTreeTest {
    /** MTH(D[n]) of RFC 6962 section 2.1, straight from its definition. */
    static byte[] definition(List<byte[]> leaves) throws Exception {
        if (leaves.isEmpty()) {
            return MessageDigest.getInstance("SHA-256").digest();
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleTree.inner(definition(leaves.subList(0, k)), definition(leaves.subList(k, leaves.size())));
    }

    @Test
    void theHeadIsTheRfc6962TreeHashAtEverySize() throws Exception {
        MerkleTree tree = new MerkleTree();
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 0; n <= 70; n++) {
            assertThat(tree.head()).as("size " + n).isEqualTo(HexFormat.of().formatHex(definition(leaves)));
            assertThat(tree.size()).isEqualTo(n);
            byte[] leaf = MerkleTree.leaf("chain-" + (n % 7), n, "h" + n);
            leaves.add(leaf);
            tree.append(leaf);
        }
    }

    @Test
    void aCopyGrowsApartFromItsOriginal() throws Exception {
        MerkleTree tree = new MerkleTree();
        for (int n = 0; n < 5; n++) {
            tree.append(MerkleTree.leaf("c", n, "h"));
        }
        String before = tree.head();
        MerkleTree copy = tree.copy();
        copy.append(MerkleTree.leaf("c", 5, "h"));
        assertThat(tree.head()).isEqualTo(before);
        assertThat(copy.head()).isNotEqualTo(before);
        assertThat(copy.size()).isEqualTo(6);
    }

    @Test
    void leavesAndNodesAreDomainSeparated() {
        // A leaf of one chain head never equals an inner node or another head's leaf.
        byte[] a = MerkleTree.leaf("c", 1, "x");
        byte[] b = MerkleTree.leaf("c", 2, "x");
        assertThat(a).isNotEqualTo(b);
        assertThat(MerkleTree.inner(a, b)).isNotEqualTo(MerkleTree.leaf("c", 1, "x"));
        assertThat(MerkleTree.leaf("c\n1", 1, "x")).as("the chain is length-prefixed").isNotEqualTo(MerkleTree.leaf("c", 1, "1\nx"));
    }
}
