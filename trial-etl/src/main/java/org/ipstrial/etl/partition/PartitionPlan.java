package org.ipstrial.etl.partition;

/**
 * How many partitions a build uses and which participant goes to which. Participants are placed by
 * their pseudonym: partition k holds the participants whose pid ranks from {@code k*N/P} to
 * {@code (k+1)*N/P - 1}, so every row of one person (every row whose normalised NINO key links to
 * them) lands in one partition, partitions hold about as many people each, and the second pass can
 * write the dataset in pid order one partition after the other, with no merge.
 *
 * @param partitions      P
 * @param partitionOf     partition of each participant, by register index
 * @param firstRank       the first pid rank of each partition; {@code firstRank[P]} = N
 */
public record PartitionPlan(int partitions, int[] partitionOf, int[] firstRank) {
    /** Most partition files open at once while the first pass writes them (well under a usual limit of 1024 open files). */
    public static final int MAX_PARTITIONS = 512;
    /**
     * Memory one linked row takes in the second pass: 29 bytes of primitive columns, 4 of grouping,
     * and a share of the per-partition employer and benefit code tables; rounded up.
     */
    static final long BYTES_PER_LINKED_ROW = 48;
    /** Fewest CSV bytes an administrative row takes (a short payroll row is about 55): rows are over-counted, never under. */
    static final long FEWEST_BYTES_PER_INPUT_ROW = 40;

    public PartitionPlan {
        if (partitions < 1 || firstRank.length != partitions + 1) {
            throw new IllegalArgumentException("a partition plan needs at least one partition and its bounds");
        }
    }

    /**
     * The number of partitions for administrative files of {@code inputBytes} (together) so that one
     * partition's linked rows fit in {@code budgetBytes}: at least 1, at most one per participant and
     * {@link #MAX_PARTITIONS}. It assumes every row links (the worst case).
     */
    public static int partitionsFor(long inputBytes, long budgetBytes, int people) {
        long rows = Math.max(0, inputBytes) / FEWEST_BYTES_PER_INPUT_ROW + 1;
        long needed = (rows * BYTES_PER_LINKED_ROW + budgetBytes - 1) / budgetBytes;
        return (int) Math.max(1, Math.min(needed, Math.min(MAX_PARTITIONS, Math.max(1, people))));
    }

    /**
     * @param pidOrder register indexes in pid order
     */
    public static PartitionPlan of(int partitions, int[] pidOrder) {
        int people = pidOrder.length;
        int p = Math.max(1, Math.min(partitions, Math.max(1, people)));
        int[] partitionOf = new int[people];
        int[] firstRank = new int[p + 1];
        for (int k = 0; k <= p; k++) {
            firstRank[k] = (int) ((long) k * people / p);
        }
        for (int k = 0; k < p; k++) {
            for (int rank = firstRank[k]; rank < firstRank[k + 1]; rank++) {
                partitionOf[pidOrder[rank]] = k;
            }
        }
        return new PartitionPlan(p, partitionOf, firstRank);
    }
}
