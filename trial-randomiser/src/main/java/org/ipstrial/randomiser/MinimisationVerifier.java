package org.ipstrial.randomiser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a recorded minimisation history against the allocations regenerated from the secret, the
 * counterpart of {@link AllocationVerifier} for permuted blocks, with the same result and the same
 * mismatch kinds plus {@link Mismatch.Problem#FACTOR_LEVEL} and {@link Mismatch.Problem#SEAL}.
 *
 * <p>Each stratum is replayed in sequence order from empty totals: every row's arm is regenerated
 * from the totals of the rows before it (as recorded), its version checked against the one in
 * force at its time, and its seal recomputed. Unlike a block, a minimised allocation depends on
 * every allocation before it, so a damaged row can also change the regenerated arms of later rows
 * of its stratum; the seal tells the rows that were changed (a seal mismatch) from the rows that
 * merely follow them (an arm mismatch with a matching seal). Every difference is reported.
 */
public final class MinimisationVerifier {

    private final MinimisationRandomiser randomiser;
    private final MinimisationDesign design;

    public MinimisationVerifier(MinimisationRandomiser randomiser, MinimisationDesign design) {
        this.randomiser = Objects.requireNonNull(randomiser, "randomiser");
        this.design = Objects.requireNonNull(design, "design");
    }

    public VerificationResult verify(List<RecordedMinimisation> history) {
        Objects.requireNonNull(history, "history");
        Map<Stratum, List<RecordedMinimisation>> byStratum = new LinkedHashMap<>();
        for (RecordedMinimisation row : history) {
            Objects.requireNonNull(row, "recorded allocation");
            byStratum.computeIfAbsent(row.stratum(), s -> new ArrayList<>()).add(row);
        }
        List<Mismatch> mismatches = new ArrayList<>();
        for (Map.Entry<Stratum, List<RecordedMinimisation>> entry : byStratum.entrySet()) {
            if (!design.contains(entry.getKey())) {
                for (RecordedMinimisation row : entry.getValue()) {
                    mismatches.add(new Mismatch(row.stratum(), row.sequence(), Mismatch.Problem.UNKNOWN_STRATUM,
                            "a stratum of design " + design.name(), row.stratum().key()));
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

    private void verifyStratum(List<RecordedMinimisation> rows, List<Mismatch> mismatches) {
        List<RecordedMinimisation> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(RecordedMinimisation::sequence));
        MarginalTotals totals = new MarginalTotals(design);
        long expectedSequence = 1;
        for (RecordedMinimisation row : sorted) {
            Stratum stratum = row.stratum();
            if (row.sequence() < expectedSequence) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.DUPLICATE_SEQUENCE,
                        "one allocation with sequence " + row.sequence(), "a second one (arm " + row.arm() + ")"));
                continue;
            }
            if (row.sequence() > expectedSequence) {
                mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.MISSING_SEQUENCE,
                        "sequence " + expectedSequence + " next",
                        "sequences " + expectedSequence + " to " + (row.sequence() - 1) + " missing"));
                // The missing rows' levels are unknown: carry on from the totals of the rows there are.
                totals.setAllocations(row.sequence() - 1);
            }
            expectedSequence = row.sequence() + 1;
            checkRow(row, totals, mismatches);
            if (design.arms().contains(row.arm()) && levelsValid(row)) {
                totals.add(row.levels(), row.arm());
            } else {
                totals.setAllocations(totals.allocations() + 1);
            }
        }
    }

    private void checkRow(RecordedMinimisation row, MarginalTotals totals, List<Mismatch> mismatches) {
        Stratum stratum = row.stratum();
        if (!checkSeal(row)) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.SEAL,
                    "the seal of the recorded version, levels and arm", "a seal that does not match them"));
        }
        if (row.designVersion() < 1 || row.designVersion() > design.versions().size()) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.UNKNOWN_DESIGN_VERSION,
                    "a version from 1 to " + design.versions().size(), Integer.toString(row.designVersion())));
            return;
        }
        checkVersionInForce(row, mismatches);
        if (!levelsValid(row)) {
            String problem;
            try {
                design.levelIndexes(row.levels());
                problem = "";
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.FACTOR_LEVEL,
                    "a level of every factor " + design.factorNames(), problem));
            return;
        }
        MinimisedAllocation regenerated = randomiser.allocate(design, design.version(row.designVersion()), stratum,
                row.sequence(), row.levels(), totals);
        if (!regenerated.arm().equals(row.arm())) {
            mismatches.add(new Mismatch(stratum, row.sequence(), Mismatch.Problem.ARM, regenerated.arm(), row.arm()));
        }
    }

    private boolean levelsValid(RecordedMinimisation row) {
        try {
            design.levelIndexes(row.levels());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean checkSeal(RecordedMinimisation row) {
        String expected;
        try {
            expected = randomiser.seal(design, row.stratum(), row.sequence(), row.designVersion(), row.levels(), row.arm());
        } catch (NullPointerException | IllegalArgumentException e) {
            return false; // a level is missing: the seal cannot match
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                row.seal().getBytes(StandardCharsets.US_ASCII));
    }

    private void checkVersionInForce(RecordedMinimisation row, List<Mismatch> mismatches) {
        Instant at = row.allocatedAt();
        MinimisationVersion first = design.versions().get(0);
        String inForce = at.isBefore(first.effectiveFrom())
                ? "none (version 1 takes effect from " + first.effectiveFrom() + ")"
                : Integer.toString(design.versionInForceAt(at).number());
        if (!inForce.equals(Integer.toString(row.designVersion()))) {
            mismatches.add(new Mismatch(row.stratum(), row.sequence(), Mismatch.Problem.DESIGN_VERSION_NOT_IN_FORCE,
                    inForce + " (in force at " + at + ")", Integer.toString(row.designVersion())));
        }
    }
}
