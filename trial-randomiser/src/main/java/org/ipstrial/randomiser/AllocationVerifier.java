package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a recorded allocation history against the sequence regenerated from the secret, reporting
 * every difference rather than stopping at the first. Each recorded allocation is checked on its
 * own terms (its arm against the block its record names) and against the allocation before it (the
 * block and position that follow, the version a block may start under), so one wrong row does not
 * hide or cascade into others.
 */
public final class AllocationVerifier {

    private final PermutedBlockRandomiser randomiser;
    private final RandomisationDesign design;

    public AllocationVerifier(PermutedBlockRandomiser randomiser, RandomisationDesign design) {
        this.randomiser = Objects.requireNonNull(randomiser, "randomiser");
        this.design = Objects.requireNonNull(design, "design");
    }

    public VerificationResult verify(List<RecordedAllocation> history) {
        Objects.requireNonNull(history, "history");
        Map<Stratum, List<RecordedAllocation>> byStratum = new LinkedHashMap<>();
        for (RecordedAllocation allocation : history) {
            Objects.requireNonNull(allocation, "recorded allocation");
            byStratum.computeIfAbsent(allocation.stratum(), s -> new ArrayList<>()).add(allocation);
        }
        List<Mismatch> mismatches = new ArrayList<>();
        for (Map.Entry<Stratum, List<RecordedAllocation>> entry : byStratum.entrySet()) {
            if (!design.contains(entry.getKey())) {
                for (RecordedAllocation allocation : entry.getValue()) {
                    mismatches.add(new Mismatch(allocation.stratum(), allocation.sequence(), Mismatch.Problem.UNKNOWN_STRATUM,
                            "a stratum of design " + design.name(), allocation.stratum().key()));
                }
                continue;
            }
            verifyStratum(entry.getValue(), mismatches);
        }
        if (mismatches.isEmpty()) {
            return new VerificationResult.Verified(history.size());
        }
        return new VerificationResult.Mismatches(history.size(), mismatches);
    }

    private void verifyStratum(List<RecordedAllocation> rows, List<Mismatch> mismatches) {
        List<RecordedAllocation> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(RecordedAllocation::sequence));
        long expectedSequence = 1;
        RecordedAllocation previous = null;
        Block previousBlock = null;
        for (RecordedAllocation row : sorted) {
            Stratum stratum = row.stratum();
            if (row.sequence() < expectedSequence) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.DUPLICATE_SEQUENCE,
                        "one allocation with sequence " + row.sequence(), "a second one (block " + row.blockIndex()
                                + ", position " + row.positionInBlock() + ", arm " + row.arm() + ")"));
                continue;
            }
            boolean gap = row.sequence() > expectedSequence;
            if (gap) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.MISSING_SEQUENCE,
                        "sequence " + expectedSequence + " next",
                        "sequences " + expectedSequence + " to " + (row.sequence() - 1) + " missing"));
            }
            expectedSequence = row.sequence() + 1;
            if (!gap) {
                checkFollows(previous, previousBlock, row, mismatches);
            }
            previous = row;
            previousBlock = null;
            if (row.designVersion() < 1 || row.designVersion() > design.versions().size()) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.UNKNOWN_DESIGN_VERSION,
                        "a version from 1 to " + design.versions().size(), Integer.toString(row.designVersion())));
                continue;
            }
            if (row.blockIndex() < 0) {
                continue; // reported by checkFollows as a block index problem
            }
            if (row.positionInBlock() == 1) {
                checkVersionInForce(row, mismatches);
            }
            Block block = randomiser.block(stratum, row.blockIndex(), design.version(row.designVersion()));
            previousBlock = block;
            if (row.positionInBlock() < 1 || row.positionInBlock() > block.size()) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.POSITION_IN_BLOCK,
                        "a position from 1 to " + block.size() + " (block " + row.blockIndex() + " has size "
                                + block.size() + ")", Integer.toString(row.positionInBlock())));
                continue;
            }
            String expectedArm = block.armAt(row.positionInBlock() - 1);
            if (!expectedArm.equals(row.arm())) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.ARM, expectedArm, row.arm()));
            }
        }
    }

    private static void checkFollows(
            RecordedAllocation previous, Block previousBlock, RecordedAllocation row, List<Mismatch> mismatches) {
        long expectedBlock;
        int expectedPosition;
        boolean sameBlock;
        if (previous == null) {
            expectedBlock = 0;
            expectedPosition = 1;
            sameBlock = false;
        } else if (previousBlock == null) {
            return; // the previous row's block could not be regenerated: nothing to follow from
        } else if (previous.positionInBlock() < previousBlock.size()) {
            expectedBlock = previous.blockIndex();
            expectedPosition = previous.positionInBlock() + 1;
            sameBlock = true;
        } else {
            expectedBlock = previous.blockIndex() + 1;
            expectedPosition = 1;
            sameBlock = false;
        }
        Stratum stratum = row.stratum();
        if (row.blockIndex() != expectedBlock) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.BLOCK_INDEX,
                    Long.toString(expectedBlock), Long.toString(row.blockIndex())));
        }
        if (row.positionInBlock() != expectedPosition) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.POSITION_IN_BLOCK,
                    Integer.toString(expectedPosition), Integer.toString(row.positionInBlock())));
        }
        if (sameBlock && row.blockIndex() == expectedBlock && row.designVersion() != previous.designVersion()) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.DESIGN_VERSION_CHANGED_INSIDE_BLOCK,
                    Integer.toString(previous.designVersion()), Integer.toString(row.designVersion())));
        }
    }

    private void checkVersionInForce(RecordedAllocation row, List<Mismatch> mismatches) {
        Instant at = row.allocatedAt();
        DesignVersion first = design.versions().get(0);
        String inForce = at.isBefore(first.effectiveFrom())
                ? "none (version 1 takes effect from " + first.effectiveFrom() + ")"
                : Integer.toString(design.versionInForceAt(at).number());
        if (!inForce.equals(Integer.toString(row.designVersion()))) {
            mismatches.add(new Mismatch(row.stratum(), row.sequence(), Mismatch.Problem.DESIGN_VERSION_NOT_IN_FORCE,
                    inForce + " (in force at " + at + ")", Integer.toString(row.designVersion())));
        }
    }
}
