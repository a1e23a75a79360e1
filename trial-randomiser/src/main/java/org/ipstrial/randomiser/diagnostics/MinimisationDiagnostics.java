package org.ipstrial.randomiser.diagnostics;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.Block;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * Simulates a minimisation design version before go-live, beside the designs a statistician would
 * otherwise choose, on the same simulated recruits: permuted blocks within the same strata,
 * permuted blocks within every combination of the strata and the factors' levels, and simple
 * randomisation. Each replication draws the recruits' levels (every level equally likely,
 * factors independent) from the seed, and the allocations with the real randomisers under a
 * secret derived from the seed, so a report is reproducible from its seed.
 *
 * <p>For each scheme it reports the imbalance of every factor (the stratification factors and the
 * minimisation factors: the largest, over the factor's levels, of the trial-wide imbalance of that
 * level) at the end and the largest reached, the overall imbalance at the end, and two guessers:
 * one who knows the stratum's marginal totals and guesses the arm minimisation prefers (ties
 * scored 1/number tied), and the convergence guesser of the block diagnostics (the arm furthest
 * behind its share in the scheme's own stratum). For two arms, the Blackwell-Hodges selection
 * bias: a recruiter who enrols a recruit expected to do better by Δ when guessing treatment (and
 * worse by Δ when guessing control) biases the difference in means by 2(c_T/n_T + c_C/n_C - 1) Δ,
 * c being the correct guesses among an arm's n allocations.
 */
public final class MinimisationDiagnostics {

    /** The schemes compared, in report order. */
    public enum Scheme {
        MINIMISATION("minimisation"),
        BLOCKS_WITHIN_STRATA("blocks within strata"),
        BLOCKS_WITHIN_EVERY_COMBINATION("blocks, every combination"),
        SIMPLE_RANDOMISATION("simple randomisation");

        private final String label;

        Scheme(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private MinimisationDiagnostics() {}

    /**
     * Diagnostics of one version of a minimisation design for {@code recruitsPerStratum} recruits in
     * every stratum, compared with permuted blocks of {@code comparatorBlockSizes} (multiples of the
     * ratio's sum).
     */
    public static MinimisationDiagnosticsReport of(MinimisationDesign design, MinimisationVersion version,
            int recruitsPerStratum, int replications, long seed, List<BlockSizeChoice> comparatorBlockSizes) {
        return of(design, version, recruitsPerStratum, replications, seed, comparatorBlockSizes, Map.of());
    }

    /**
     * As {@link #of(MinimisationDesign, MinimisationVersion, int, int, long, List)}, with the
     * recruits' levels drawn in proportion to whole-number weights, one per level in the factor's
     * order, for the factors given (the others' levels equally likely): real trials have rare levels.
     */
    public static MinimisationDiagnosticsReport of(MinimisationDesign design, MinimisationVersion version,
            int recruitsPerStratum, int replications, long seed, List<BlockSizeChoice> comparatorBlockSizes,
            Map<String, List<Integer>> levelWeights) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(levelWeights, "level weights");
        for (Map.Entry<String, List<Integer>> entry : levelWeights.entrySet()) {
            MinimisationFactor factor = design.factors().stream().filter(f -> f.name().equals(entry.getKey()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("level weights: " + entry.getKey()
                            + " is not a minimisation factor of design " + design.name() + " " + design.factorNames()));
            List<Integer> weights = entry.getValue();
            if (weights.size() != factor.levels().size()) {
                throw new IllegalArgumentException("level weights: " + factor.name() + " has " + factor.levels().size()
                        + " levels " + factor.levels() + " but " + weights.size() + " weights were given");
            }
            long total = 0;
            for (Integer weight : weights) {
                if (weight == null || weight < 0) {
                    throw new IllegalArgumentException("level weights: " + factor.name()
                            + ": a weight must be a whole number 0 or more, was " + weight);
                }
                total += weight;
            }
            if (total == 0 || total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("level weights: " + factor.name()
                        + ": the weights must add up to 1 to " + Integer.MAX_VALUE + ", was " + total);
            }
        }
        Objects.requireNonNull(version, "design version");
        if (recruitsPerStratum < 1) {
            throw new IllegalArgumentException("recruits per stratum must be 1 or more, was " + recruitsPerStratum);
        }
        if (replications < 2) {
            throw new IllegalArgumentException("replications must be 2 or more, was " + replications);
        }
        DesignVersion blocks = new DesignVersion(1, version.effectiveFrom(), version.arms(), version.ratio(), Map.of(),
                comparatorBlockSizes);
        Simulation simulation = new Simulation(design, version, blocks, recruitsPerStratum, levelWeights);
        List<Accumulator> accumulators = new ArrayList<>();
        for (Scheme scheme : Scheme.values()) {
            accumulators.add(new Accumulator(simulation.reported.size()));
        }
        for (int replication = 0; replication < replications; replication++) {
            int[][][] recruits = simulation.recruits(seed, replication);
            RandomisationSecret secret = DesignDiagnostics.replicationSecret(seed, replication);
            for (Scheme scheme : Scheme.values()) {
                accumulators.get(scheme.ordinal()).add(simulation.run(scheme, recruits, secret, seed, replication));
            }
        }
        List<MinimisationDiagnosticsReport.SchemeResult> results = new ArrayList<>();
        for (Scheme scheme : Scheme.values()) {
            results.add(accumulators.get(scheme.ordinal()).result(scheme, simulation.reportedNames(),
                    version.ratio().sum(), replications, version.arms().size() == 2));
        }
        return new MinimisationDiagnosticsReport(design.name(), version.number(), recruitsPerStratum,
                design.strata().size(), replications, seed, design.stratifyBy(), design.factorNames(), version,
                comparatorBlockSizes, levelWeights, results);
    }

    /** What one replication of one scheme gave. */
    private record Outcome(long[] finalByFactor, long[] largestByFactor, long overall, double guessTotals,
            double guessConvergence, double biasTotals, double biasConvergence) {}

    /** A reported factor: a stratification factor (its levels are the strata's) or a minimisation factor. */
    private record Reported(String name, List<String> levels) {}

    private static final class Simulation {
        final MinimisationDesign design;
        final MinimisationVersion version;
        final DesignVersion blocks;
        final int recruits;
        final List<String> arms;
        final AllocationRatio ratio;
        final List<Reported> reported = new ArrayList<>();
        final int[][] stratumLevelIndex; // [stratum][stratification factor] -> level index among that factor's levels
        final Stratum[][] cells; // [stratum][combination of factor levels]

        final int[][] levelWeights; // [factor][level]
        final int[] levelWeightTotals;

        Simulation(MinimisationDesign design, MinimisationVersion version, DesignVersion blocks, int recruits,
                Map<String, List<Integer>> weights) {
            this.design = design;
            this.levelWeights = new int[design.factors().size()][];
            this.levelWeightTotals = new int[design.factors().size()];
            for (int f = 0; f < design.factors().size(); f++) {
                MinimisationFactor factor = design.factors().get(f);
                List<Integer> given = weights.get(factor.name());
                levelWeights[f] = new int[factor.levels().size()];
                for (int l = 0; l < levelWeights[f].length; l++) {
                    levelWeights[f][l] = given == null ? 1 : given.get(l);
                    levelWeightTotals[f] += levelWeights[f][l];
                }
            }
            this.version = version;
            this.blocks = blocks;
            this.recruits = recruits;
            this.arms = version.arms();
            this.ratio = version.ratio();
            List<Stratum> strata = design.strata();
            stratumLevelIndex = new int[strata.size()][design.stratifyBy().size()];
            for (int j = 0; j < design.stratifyBy().size(); j++) {
                List<String> levels = new ArrayList<>();
                for (int s = 0; s < strata.size(); s++) {
                    String level = strata.get(s).levels().get(j);
                    if (!levels.contains(level)) {
                        levels.add(level);
                    }
                    stratumLevelIndex[s][j] = levels.indexOf(level);
                }
                reported.add(new Reported(design.stratifyBy().get(j), levels));
            }
            for (MinimisationFactor factor : design.factors()) {
                reported.add(new Reported(factor.name(), factor.levels()));
            }
            int combinations = 1;
            for (MinimisationFactor factor : design.factors()) {
                combinations *= factor.levels().size();
            }
            cells = new Stratum[strata.size()][combinations];
            for (int s = 0; s < strata.size(); s++) {
                for (int c = 0; c < combinations; c++) {
                    List<String> levels = new ArrayList<>(strata.get(s).levels());
                    int rest = c;
                    for (MinimisationFactor factor : design.factors()) {
                        levels.add(factor.levels().get(rest % factor.levels().size()));
                        rest /= factor.levels().size();
                    }
                    cells[s][c] = new Stratum(levels);
                }
            }
        }

        List<String> reportedNames() {
            return reported.stream().map(Reported::name).toList();
        }

        /** recruits[stratum][i][factor]: level indexes, from the seed and the replication. */
        int[][][] recruits(long seed, int replication) {
            Well19937c random = generator(seed, replication, 0);
            int[][][] levels = new int[design.strata().size()][recruits][design.factors().size()];
            for (int i = 0; i < recruits; i++) {
                for (int s = 0; s < design.strata().size(); s++) {
                    for (int f = 0; f < design.factors().size(); f++) {
                        int draw = random.nextInt(levelWeightTotals[f]);
                        int level = 0;
                        while (draw >= levelWeights[f][level]) {
                            draw -= levelWeights[f][level];
                            level++;
                        }
                        levels[s][i][f] = level;
                    }
                }
            }
            return levels;
        }

        Outcome run(Scheme scheme, int[][][] recruitLevels, RandomisationSecret secret, long seed, int replication) {
            List<Stratum> strata = design.strata();
            int armCount = arms.size();
            MinimisationRandomiser minimiser = new MinimisationRandomiser(secret);
            PermutedBlockRandomiser blockRandomiser = new PermutedBlockRandomiser(secret);
            Well19937c simple = generator(seed, replication, 1);
            MarginalTotals[] totals = new MarginalTotals[strata.size()];
            long[][] stratumCounts = new long[strata.size()][armCount];
            Map<Stratum, long[]> cellCounts = new LinkedHashMap<>();
            Map<Stratum, BlockCursor> cursors = new LinkedHashMap<>();
            for (int s = 0; s < strata.size(); s++) {
                totals[s] = new MarginalTotals(design);
            }
            long[][][] pooled = new long[reported.size()][][];
            for (int g = 0; g < reported.size(); g++) {
                pooled[g] = new long[reported.get(g).levels().size()][armCount];
            }
            long[] largest = new long[reported.size()];
            double[] correctTotalsByArm = new double[armCount];
            double[] correctConvergenceByArm = new double[armCount];
            long[] allocatedByArm = new long[armCount];
            int[] reportedLevels = new int[reported.size()];
            int strataFactors = design.stratifyBy().size();
            for (int i = 0; i < recruits; i++) {
                for (int s = 0; s < strata.size(); s++) {
                    int[] levels = recruitLevels[s][i];
                    Stratum cell = cells[s][cellIndex(levels)];
                    Stratum own = scheme == Scheme.BLOCKS_WITHIN_EVERY_COMBINATION ? cell : strata.get(s);
                    int arm = switch (scheme) {
                        case MINIMISATION -> minimiser.armIndex(design, version, strata.get(s),
                                totals[s].allocations() + 1, levels, totals[s]);
                        case BLOCKS_WITHIN_STRATA, BLOCKS_WITHIN_EVERY_COMBINATION ->
                                cursors.computeIfAbsent(own, BlockCursor::new).next(blockRandomiser, blocks, arms);
                        case SIMPLE_RANDOMISATION -> simpleArm(simple);
                    };
                    long[] ownCounts = scheme == Scheme.BLOCKS_WITHIN_EVERY_COMBINATION
                            ? cellCounts.computeIfAbsent(cell, c -> new long[armCount]) : stratumCounts[s];
                    correctTotalsByArm[arm] += knowsTheTotalsScore(levels, totals[s], arm);
                    correctConvergenceByArm[arm] += Guesser.expectedScore(arms, ratio, ownCounts, arm);
                    allocatedByArm[arm]++;
                    ownCounts[arm]++;
                    totals[s].add(levels, arm);
                    for (int j = 0; j < strataFactors; j++) {
                        reportedLevels[j] = stratumLevelIndex[s][j];
                    }
                    for (int f = 0; f < levels.length; f++) {
                        reportedLevels[strataFactors + f] = levels[f];
                    }
                    for (int g = 0; g < reported.size(); g++) {
                        long[] level = pooled[g][reportedLevels[g]];
                        level[arm]++;
                        largest[g] = Math.max(largest[g], imbalanceTimesSum(level));
                    }
                }
            }
            long[] finals = new long[reported.size()];
            for (int g = 0; g < reported.size(); g++) {
                for (long[] level : pooled[g]) {
                    finals[g] = Math.max(finals[g], imbalanceTimesSum(level));
                }
            }
            long n = (long) recruits * strata.size();
            double correctTotals = 0;
            double correctConvergence = 0;
            for (int a = 0; a < armCount; a++) {
                correctTotals += correctTotalsByArm[a];
                correctConvergence += correctConvergenceByArm[a];
            }
            return new Outcome(finals, largest, imbalanceTimesSum(allocatedByArm), correctTotals / n,
                    correctConvergence / n, bias(correctTotalsByArm, allocatedByArm),
                    bias(correctConvergenceByArm, allocatedByArm));
        }

        private double knowsTheTotalsScore(int[] levels, MarginalTotals totals, int arm) {
            long[] scores = MinimisationRandomiser.imbalanceIfAllocated(design, version, levels, totals);
            long lowest = Long.MAX_VALUE;
            for (long score : scores) {
                lowest = Math.min(lowest, score);
            }
            int tied = 0;
            for (long score : scores) {
                tied += score == lowest ? 1 : 0;
            }
            return scores[arm] == lowest ? 1.0 / tied : 0.0;
        }

        private int simpleArm(Well19937c random) {
            int draw = random.nextInt(ratio.sum());
            for (int a = 0; a < arms.size(); a++) {
                draw -= ratio.weightOf(arms.get(a));
                if (draw < 0) {
                    return a;
                }
            }
            throw new IllegalStateException("no arm drawn");
        }

        private int cellIndex(int[] levels) {
            int index = 0;
            int radix = 1;
            for (int f = 0; f < levels.length; f++) {
                index += levels[f] * radix;
                radix *= design.factors().get(f).levels().size();
            }
            return index;
        }

        /** Sum over arms of |n_a W - n w_a|: the imbalance times the ratio sum W, exact. */
        private long imbalanceTimesSum(long[] counts) {
            long n = 0;
            for (long count : counts) {
                n += count;
            }
            long total = 0;
            for (int a = 0; a < arms.size(); a++) {
                total += Math.abs(counts[a] * ratio.sum() - n * ratio.weightOf(arms.get(a)));
            }
            return total;
        }

        /** 2(c_T/n_T + c_C/n_C - 1) for two arms; NaN otherwise or when an arm has no allocation. */
        private static double bias(double[] correctByArm, long[] allocatedByArm) {
            if (correctByArm.length != 2 || allocatedByArm[0] == 0 || allocatedByArm[1] == 0) {
                return Double.NaN;
            }
            return 2 * (correctByArm[0] / allocatedByArm[0] + correctByArm[1] / allocatedByArm[1] - 1);
        }

        private static Well19937c generator(long seed, int replication, int purpose) {
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(seed).putInt(replication).putInt(purpose);
            bytes.flip();
            return new Well19937c(new int[] {bytes.getInt(), bytes.getInt(), bytes.getInt(), bytes.getInt()});
        }
    }

    /** Where one stratum's permuted-block sequence stands. */
    private static final class BlockCursor {
        private final Stratum stratum;
        private long index = -1;
        private Block block;
        private int position;

        BlockCursor(Stratum stratum) {
            this.stratum = stratum;
        }

        int next(PermutedBlockRandomiser randomiser, DesignVersion version, List<String> arms) {
            if (block == null || position == block.size()) {
                index++;
                block = randomiser.block(stratum, index, version);
                position = 0;
            }
            return arms.indexOf(block.armAt(position++));
        }
    }

    /** Replications of one scheme, folded into summaries. */
    private static final class Accumulator {
        final DescriptiveStatistics[] finals;
        final DescriptiveStatistics[] largest;
        final List<Map<Long, Integer>> finalCounts = new ArrayList<>();
        final List<Map<Long, Integer>> largestCounts = new ArrayList<>();
        final DescriptiveStatistics overall = new DescriptiveStatistics();
        final Map<Long, Integer> overallCounts = new TreeMap<>();
        final DescriptiveStatistics guessTotals = new DescriptiveStatistics();
        final DescriptiveStatistics guessConvergence = new DescriptiveStatistics();
        final DescriptiveStatistics biasTotals = new DescriptiveStatistics();
        final DescriptiveStatistics biasConvergence = new DescriptiveStatistics();
        private int sum = 1;

        Accumulator(int factors) {
            finals = new DescriptiveStatistics[factors];
            largest = new DescriptiveStatistics[factors];
            for (int g = 0; g < factors; g++) {
                finals[g] = new DescriptiveStatistics();
                largest[g] = new DescriptiveStatistics();
                finalCounts.add(new TreeMap<>());
                largestCounts.add(new TreeMap<>());
            }
        }

        void add(Outcome outcome) {
            for (int g = 0; g < finals.length; g++) {
                finals[g].addValue(outcome.finalByFactor()[g]);
                largest[g].addValue(outcome.largestByFactor()[g]);
                finalCounts.get(g).merge(outcome.finalByFactor()[g], 1, Integer::sum);
                largestCounts.get(g).merge(outcome.largestByFactor()[g], 1, Integer::sum);
            }
            overall.addValue(outcome.overall());
            overallCounts.merge(outcome.overall(), 1, Integer::sum);
            guessTotals.addValue(outcome.guessTotals());
            guessConvergence.addValue(outcome.guessConvergence());
            if (!Double.isNaN(outcome.biasTotals())) {
                biasTotals.addValue(outcome.biasTotals());
            }
            if (!Double.isNaN(outcome.biasConvergence())) {
                biasConvergence.addValue(outcome.biasConvergence());
            }
        }

        MinimisationDiagnosticsReport.SchemeResult result(Scheme scheme, List<String> names, int ratioSum,
                int replications, boolean twoArms) {
            this.sum = ratioSum;
            Map<String, ImbalanceSummary> finalByFactor = new LinkedHashMap<>();
            Map<String, ImbalanceSummary> largestByFactor = new LinkedHashMap<>();
            for (int g = 0; g < names.size(); g++) {
                finalByFactor.put(names.get(g), summary(finals[g], finalCounts.get(g), replications));
                largestByFactor.put(names.get(g), summary(largest[g], largestCounts.get(g), replications));
            }
            boolean bias = twoArms && biasTotals.getN() >= 2 && biasConvergence.getN() >= 2;
            return new MinimisationDiagnosticsReport.SchemeResult(scheme, finalByFactor, largestByFactor,
                    summary(overall, overallCounts, replications), DesignDiagnostics.estimate(guessTotals),
                    DesignDiagnostics.estimate(guessConvergence),
                    bias ? Optional.of(DesignDiagnostics.estimate(biasTotals)) : Optional.empty(),
                    bias ? Optional.of(DesignDiagnostics.estimate(biasConvergence)) : Optional.empty());
        }

        /** Values were kept times the ratio sum, exact; the summary is in allocations. */
        private ImbalanceSummary summary(DescriptiveStatistics timesSum, Map<Long, Integer> counts, int replications) {
            DescriptiveStatistics values = new DescriptiveStatistics();
            for (double value : timesSum.getValues()) {
                values.addValue(value / sum);
            }
            return DesignDiagnostics.summary(values, counts, sum, replications);
        }
    }
}
