package org.ipstrial.api.core.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationPredictability;
import org.ipstrial.randomiser.RecordedMinimisation;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;

/**
 * The statistician's view of the recorded allocation sequence, per stratum: live arm counts, a
 * block-integrity check and the predictability of the realised sequence.
 *
 * <p>Block integrity (from the recorded rows alone, without the secret; the regeneration check is
 * {@code POST /design/verification}): sequence numbers run 1, 2, 3... without gaps; block indexes
 * run 0, 1, 2... in sequence order; within a block the size and design version never change and
 * positions run 1..size; every block but the stratum's last is complete; a complete block holds
 * each arm exactly size x weight / (sum of weights) times under its version's ratio; the open
 * last block holds no arm more often than that.
 *
 * <p>Predictability: the convergence strategy (Blackwell and Hodges) of someone who knows every
 * earlier allocation of the stratum but not the block boundaries guesses the arm furthest behind
 * its share (fewest allocations per unit of ratio weight); a tie among several arms scores
 * 1/(number tied). The correct-guess rate is compared with 1/arms expected by chance for 1:1.
 */
public record SequenceIntegrity(List<Stratum> strata, boolean intact, long allocations) {
    public SequenceIntegrity {
        strata = List.copyOf(strata);
    }

    /**
     * One stratum.
     *
     * @param openBlockFilled allocations so far in the last block when it is not complete (0 when it is)
     * @param expectedCorrectGuesses what chance alone would give: the sum of 1/arms
     * @param minimisationCorrectGuesses under minimisation (null for blocks): the guesses that came true for a guesser who
     *     knows the stratum's marginal totals and the recruit's levels (MinimisationPredictability)
     * @param minimisationExpectedCorrectGuesses under minimisation: what the design's rule leads one to expect of that guesser
     */
    public record Stratum(String stratum, long allocations, Map<String, Long> byArm, long blocks, long completeBlocks,
            int openBlockSize, int openBlockFilled, List<String> problems, double correctGuesses, Double correctGuessRate,
            double expectedCorrectGuesses, Double minimisationCorrectGuesses, Double minimisationExpectedCorrectGuesses) {
        public Stratum {
            byArm = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byArm));
            problems = List.copyOf(problems);
        }
    }

    /** A recorded allocation, in stratum and sequence order. */
    public record Recorded(String stratumKey, long sequence, long blockIndex, int blockSize, int positionInBlock,
            int designVersion, String arm) {}

    /** The report over every stratum of the design (and any stratum found in the log but not the design). */
    public static SequenceIntegrity check(RandomisationDesign design, List<Recorded> recorded) {
        Map<String, Fold> folds = new LinkedHashMap<>();
        design.strata().forEach(s -> folds.put(s.key(), new Fold(design, s.key())));
        for (Recorded r : recorded) {
            folds.computeIfAbsent(r.stratumKey(), k -> new Fold(design, k)).add(r);
        }
        return of(folds.values().stream().map(Fold::result).toList());
    }

    static SequenceIntegrity of(List<Stratum> strata) {
        return new SequenceIntegrity(strata, strata.stream().allMatch(s -> s.problems().isEmpty()),
                strata.stream().mapToLong(Stratum::allocations).sum());
    }

    /**
     * The check of one stratum, fed its allocations in sequence order. It can be resumed: a copy
     * takes further allocations without changing the original, which others may be reading.
     */
    static final class Fold {
        private final RandomisationDesign design;
        private final String key;
        private final org.ipstrial.randomiser.Stratum stratum;
        private final Map<String, Long> byArm;
        private final List<String> problems;
        private final Map<String, Long> inBlock;
        private long count;
        private long lastSequence;
        private long blocks;
        private long complete;
        private double correct;
        private Recorded blockStart;
        private int filled;

        Fold(RandomisationDesign design, String key) {
            this.design = design;
            this.key = key;
            this.stratum = org.ipstrial.randomiser.Stratum.parse(key);
            this.byArm = new LinkedHashMap<>();
            design.arms().forEach(a -> byArm.put(a, 0L));
            this.problems = new ArrayList<>();
            this.inBlock = new LinkedHashMap<>();
            if (!design.contains(stratum)) {
                problems.add("stratum " + key + " is not a stratum of design " + design.name());
            }
        }

        private Fold(Fold o) {
            design = o.design;
            key = o.key;
            stratum = o.stratum;
            byArm = new LinkedHashMap<>(o.byArm);
            problems = new ArrayList<>(o.problems);
            inBlock = new LinkedHashMap<>(o.inBlock);
            count = o.count;
            lastSequence = o.lastSequence;
            blocks = o.blocks;
            complete = o.complete;
            correct = o.correct;
            blockStart = o.blockStart;
            filled = o.filled;
        }

        Fold copy() {
            return new Fold(this);
        }

        /** Allocations taken so far. */
        long count() {
            return count;
        }

        /** The sequence number of the last allocation taken (0 before the first). */
        long lastSequence() {
            return lastSequence;
        }

        void add(Recorded r) {
            if (r.sequence() != count + 1) {
                problems.add("sequence " + r.sequence() + " found where " + (count + 1) + " was expected");
            }
            count++;
            lastSequence = r.sequence();
            if (!design.arms().contains(r.arm())) {
                problems.add("sequence " + r.sequence() + ": arm " + r.arm() + " is not an arm of the design");
            }
            correct += guessScore(design, stratum, r, byArm);
            byArm.merge(r.arm(), 1L, Long::sum);
            boolean newBlock = blockStart == null || r.blockIndex() != blockStart.blockIndex();
            if (newBlock) {
                if (blockStart != null) {
                    closeBlock(design, stratum, blockStart, filled, inBlock, problems, false);
                    if (filled == blockStart.blockSize()) {
                        complete++;
                    }
                    if (r.blockIndex() != blockStart.blockIndex() + 1) {
                        problems.add("sequence " + r.sequence() + ": block " + r.blockIndex() + " follows block " + blockStart.blockIndex());
                    }
                } else if (r.blockIndex() != 0) {
                    problems.add("sequence " + r.sequence() + ": the first block has index " + r.blockIndex() + ", not 0");
                }
                blocks++;
                blockStart = r;
                filled = 0;
                inBlock.clear();
            } else if (r.blockSize() != blockStart.blockSize() || r.designVersion() != blockStart.designVersion()) {
                problems.add("sequence " + r.sequence() + ": block " + r.blockIndex() + " changes size or design version within the block");
            }
            filled++;
            inBlock.merge(r.arm(), 1L, Long::sum);
            if (r.positionInBlock() != filled) {
                problems.add("sequence " + r.sequence() + ": position " + r.positionInBlock() + " in block " + r.blockIndex()
                        + " where " + filled + " was expected");
            }
        }

        /** The stratum's report as of the allocations taken; the fold itself is unchanged. */
        Stratum result() {
            List<String> found = new ArrayList<>(problems);
            long completeBlocks = complete;
            int openSize = 0;
            int openFilled = 0;
            if (blockStart != null) {
                closeBlock(design, stratum, blockStart, filled, inBlock, found, true);
                if (filled == blockStart.blockSize()) {
                    completeBlocks++;
                } else {
                    openSize = blockStart.blockSize();
                    openFilled = filled;
                }
            }
            double expected = design.arms().isEmpty() ? 0 : count / (double) design.arms().size();
            return new Stratum(key, count, byArm, blocks, completeBlocks, openSize, openFilled, found, correct,
                    count == 0 ? null : correct / count, expected, null, null);
        }
    }

    private static void closeBlock(RandomisationDesign design, org.ipstrial.randomiser.Stratum stratum, Recorded start,
            int filled, Map<String, Long> inBlock, List<String> problems, boolean last) {
        if (filled > start.blockSize()) {
            problems.add("block " + start.blockIndex() + " holds " + filled + " allocations but has size " + start.blockSize());
            return;
        }
        if (!last && filled < start.blockSize()) {
            problems.add("block " + start.blockIndex() + " was left with " + filled + " of " + start.blockSize()
                    + " allocations before the next block started");
        }
        AllocationRatio ratio;
        try {
            ratio = design.version(start.designVersion()).ratioFor(stratum);
        } catch (IllegalArgumentException e) {
            problems.add("block " + start.blockIndex() + " names design version " + start.designVersion() + ", which does not exist");
            return;
        }
        if (start.blockSize() % ratio.sum() != 0) {
            problems.add("block " + start.blockIndex() + " has size " + start.blockSize() + ", not a multiple of the ratio " + ratio);
            return;
        }
        for (String arm : ratio.arms()) {
            long share = (long) start.blockSize() / ratio.sum() * ratio.weightOf(arm);
            long got = inBlock.getOrDefault(arm, 0L);
            if (filled == start.blockSize() ? got != share : got > share) {
                problems.add("block " + start.blockIndex() + " holds " + got + " of arm " + arm + " where its ratio allows "
                        + share + (filled == start.blockSize() ? "" : " at most"));
            }
        }
    }

    /** 1 when the convergence guess is the arm allocated, 1/k when k arms tie and it is among them, else 0. */
    static double guessScore(RandomisationDesign design, org.ipstrial.randomiser.Stratum stratum, Recorded r,
            Map<String, Long> before) {
        AllocationRatio ratio;
        try {
            ratio = design.version(r.designVersion()).ratioFor(stratum);
        } catch (IllegalArgumentException e) {
            return 0;
        }
        return convergenceScore(ratio, r.arm(), before);
    }

    /** The convergence guess's score for an allocation to {@code allocated} after {@code before} under {@code ratio}. */
    static double convergenceScore(AllocationRatio ratio, String allocated, Map<String, Long> before) {
        double lowest = Double.MAX_VALUE;
        List<String> tied = new ArrayList<>();
        for (String arm : ratio.arms()) {
            double share = before.getOrDefault(arm, 0L) / (double) ratio.weightOf(arm);
            if (share < lowest - 1e-12) {
                lowest = share;
                tied.clear();
                tied.add(arm);
            } else if (Math.abs(share - lowest) <= 1e-12) {
                tied.add(arm);
            }
        }
        return tied.contains(allocated) ? 1.0 / tied.size() : 0;
    }

    /**
     * The report under minimisation, from the recorded minimised allocations (in stratum and sequence
     * order): per stratum the live arm counts, gaps or repeats in the sequence numbers, the
     * convergence guesser's score as for blocks, and beside it the minimisation's own
     * predictability, realised and expected. No blocks: those fields are 0.
     */
    public static SequenceIntegrity minimised(MinimisationDesign design, List<RecordedMinimisation> rows) {
        Map<org.ipstrial.randomiser.Stratum, List<RecordedMinimisation>> byStratum = new LinkedHashMap<>();
        design.strata().forEach(s -> byStratum.put(s, new ArrayList<>()));
        rows.forEach(r -> byStratum.computeIfAbsent(r.stratum(), k -> new ArrayList<>()).add(r));
        Map<org.ipstrial.randomiser.Stratum, MinimisationPredictability.Stratum> predicted = new LinkedHashMap<>();
        String unpredicted = null;
        try {
            MinimisationPredictability.of(design, rows).forEach(p -> predicted.put(p.stratum(), p));
        } catch (IllegalArgumentException e) {
            unpredicted = "predictability not computed (" + e.getMessage() + "): run the verification";
        }
        List<Stratum> strata = new ArrayList<>();
        for (var entry : byStratum.entrySet()) {
            List<String> problems = new ArrayList<>();
            if (!design.contains(entry.getKey())) {
                problems.add("stratum " + entry.getKey().key() + " is not a stratum of design " + design.name());
            }
            Map<String, Long> byArm = new LinkedHashMap<>();
            design.arms().forEach(a -> byArm.put(a, 0L));
            double correct = 0;
            long count = 0;
            for (RecordedMinimisation r : entry.getValue()) {
                count++;
                if (r.sequence() != count) {
                    problems.add("sequence " + r.sequence() + " found where " + count + " was expected");
                }
                if (!byArm.containsKey(r.arm())) {
                    problems.add("sequence " + r.sequence() + ": arm " + r.arm() + " is not an arm of the design");
                } else {
                    AllocationRatio ratio = r.designVersion() >= 1 && r.designVersion() <= design.versions().size()
                            ? design.version(r.designVersion()).ratio() : AllocationRatio.equal(design.arms());
                    correct += convergenceScore(ratio, r.arm(), byArm);
                }
                byArm.merge(r.arm(), 1L, Long::sum);
            }
            MinimisationPredictability.Stratum p = predicted.get(entry.getKey());
            if (p == null && unpredicted != null && count > 0) {
                problems.add(unpredicted);
            }
            strata.add(new Stratum(entry.getKey().key(), count, byArm, 0, 0, 0, 0, problems, correct,
                    count == 0 ? null : correct / count, count / (double) design.arms().size(),
                    p == null ? null : p.correctGuesses(), p == null ? null : p.expectedCorrectGuesses()));
        }
        return of(strata);
    }

    public CsvTable csv() {
        List<String> header = new ArrayList<>(List.of("stratum", "allocations"));
        List<String> arms = strata.isEmpty() ? List.of() : List.copyOf(strata.get(0).byArm().keySet());
        arms.forEach(a -> header.add("allocated_" + a));
        header.addAll(List.of("blocks", "complete_blocks", "open_block_size", "open_block_filled", "problems",
                "correct_guesses", "correct_guess_rate", "expected_correct_guesses", "minimisation_correct_guesses",
                "minimisation_expected_correct_guesses"));
        List<List<Object>> rows = new ArrayList<>();
        for (Stratum s : strata) {
            List<Object> row = new ArrayList<>(List.of(s.stratum(), s.allocations()));
            arms.forEach(a -> row.add(s.byArm().getOrDefault(a, 0L)));
            row.addAll(java.util.Arrays.asList(s.blocks(), s.completeBlocks(), s.openBlockSize(), s.openBlockFilled(),
                    String.join("; ", s.problems()), s.correctGuesses(), s.correctGuessRate(), s.expectedCorrectGuesses(),
                    s.minimisationCorrectGuesses(), s.minimisationExpectedCorrectGuesses()));
            rows.add(row);
        }
        return new CsvTable(header, rows);
    }
}
