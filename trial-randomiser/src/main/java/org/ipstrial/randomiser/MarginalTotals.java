package org.ipstrial.randomiser;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stratum's marginal totals under minimisation: for every factor, level and arm, how many
 * recruits with that level have been allocated to that arm. Mutable (a simulation adds millions of
 * allocations), so a caller that shares one makes a {@link #copy()}.
 */
public final class MarginalTotals {

    private final List<MinimisationFactor> factors;
    private final List<String> arms;
    private final long[][][] counts; // [factor][level][arm]
    private long allocations;

    /** Empty totals for a design's factors and arms. */
    public MarginalTotals(MinimisationDesign design) {
        this(design.factors(), design.arms());
    }

    MarginalTotals(List<MinimisationFactor> factors, List<String> arms) {
        this.factors = List.copyOf(factors);
        this.arms = List.copyOf(arms);
        this.counts = new long[factors.size()][][];
        for (int f = 0; f < factors.size(); f++) {
            counts[f] = new long[factors.get(f).levels().size()][arms.size()];
        }
    }

    private MarginalTotals(MarginalTotals other) {
        this.factors = other.factors;
        this.arms = other.arms;
        this.counts = new long[other.counts.length][][];
        for (int f = 0; f < counts.length; f++) {
            counts[f] = new long[other.counts[f].length][];
            for (int l = 0; l < counts[f].length; l++) {
                counts[f][l] = other.counts[f][l].clone();
            }
        }
        this.allocations = other.allocations;
    }

    public MarginalTotals copy() {
        return new MarginalTotals(this);
    }

    /** Adds one allocation: a recruit with these levels (one per factor) allocated to {@code arm}. */
    public void add(Map<String, String> levels, String arm) {
        int[] indexes = new int[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            MinimisationFactor factor = factors.get(f);
            String level = Objects.requireNonNull(levels.get(factor.name()), () -> "factor " + factor.name() + ": no level");
            indexes[f] = factor.indexOf(level);
            if (indexes[f] < 0) {
                throw new IllegalArgumentException("factor " + factor.name() + ": '" + level + "' is not one of its levels "
                        + factor.levels());
            }
        }
        add(indexes, armIndex(arm));
    }

    /** Adds one allocation by index: a level index per factor and an arm index (the design's orders). */
    public void add(int[] levelIndexes, int arm) {
        for (int f = 0; f < counts.length; f++) {
            counts[f][levelIndexes[f]][arm]++;
        }
        allocations++;
    }

    /**
     * Sets one count, for totals kept elsewhere (the service keeps them in the database). The
     * allocation count is not changed: set it with {@link #setAllocations(long)}.
     */
    public void set(String factor, String level, String arm, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a marginal total cannot be negative, was " + count);
        }
        int f = factorIndex(factor);
        int l = factors.get(f).indexOf(level);
        if (l < 0) {
            throw new IllegalArgumentException("factor " + factor + ": '" + level + "' is not one of its levels "
                    + factors.get(f).levels());
        }
        counts[f][l][armIndex(arm)] = count;
    }

    public void setAllocations(long allocations) {
        if (allocations < 0) {
            throw new IllegalArgumentException("allocations cannot be negative, was " + allocations);
        }
        this.allocations = allocations;
    }

    public long count(String factor, String level, String arm) {
        int f = factorIndex(factor);
        int l = factors.get(f).indexOf(level);
        if (l < 0) {
            throw new IllegalArgumentException("factor " + factor + ": '" + level + "' is not one of its levels");
        }
        return counts[f][l][armIndex(arm)];
    }

    /** A count by index: factor and level in the design's orders, arm in the design's arm order. */
    public long count(int factor, int level, int arm) {
        return counts[factor][level][arm];
    }

    /** The allocations added. */
    public long allocations() {
        return allocations;
    }

    private int factorIndex(String factor) {
        for (int f = 0; f < factors.size(); f++) {
            if (factors.get(f).name().equals(factor)) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + factor + "' is not a minimisation factor");
    }

    private int armIndex(String arm) {
        int a = arms.indexOf(arm);
        if (a < 0) {
            throw new IllegalArgumentException("'" + arm + "' is not an arm of the design " + arms);
        }
        return a;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MarginalTotals that && factors.equals(that.factors) && arms.equals(that.arms)
                && allocations == that.allocations && Arrays.deepEquals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(factors, arms, allocations, Arrays.deepHashCode(counts));
    }

    @Override
    public String toString() {
        return "MarginalTotals[" + allocations + " allocations, " + Arrays.deepToString(counts) + "]";
    }
}
