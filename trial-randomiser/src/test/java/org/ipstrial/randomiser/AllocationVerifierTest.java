package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllocationVerifierTest {

    private final RandomisationDesign design = RatioChangeTest.designWithChange();
    private final PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(Designs.secret(11));
    private final AllocationVerifier verifier = new AllocationVerifier(randomiser, design);
    private final Instant change = design.version(2).effectiveFrom();

    /** What the service would record: 12 allocations a day apart in each stratum, across the change. */
    private List<RecordedAllocation> history() {
        List<RecordedAllocation> history = new ArrayList<>();
        for (Stratum stratum : design.strata()) {
            Optional<Allocation> previous = Optional.empty();
            for (int i = 0; i < 40; i++) {
                Instant at = change.minusSeconds(86_400L * 20).plusSeconds(86_400L * i);
                Allocation slot = randomiser.nextAllocation(design, stratum, previous, at);
                history.add(new RecordedAllocation(stratum, slot.sequence(), slot.blockIndex(), slot.positionInBlock(),
                        slot.designVersion(), slot.arm(), at));
                previous = Optional.of(slot);
            }
        }
        return history;
    }

    @Test
    void aFaithfulHistoryIsVerifiedInAnyOrder() {
        List<RecordedAllocation> history = new ArrayList<>(history());
        java.util.Collections.reverse(history);
        assertThat(verifier.verify(history)).isEqualTo(new VerificationResult.Verified(120));
        assertThat(history).extracting(RecordedAllocation::designVersion).contains(1, 2);
    }

    @Test
    void aChangedArmIsReportedAndNothingElse() {
        List<RecordedAllocation> history = new ArrayList<>(history());
        RecordedAllocation row = history.get(7);
        history.set(7, withArm(row, row.arm().equals("treatment") ? "control" : "treatment"));

        VerificationResult result = verifier.verify(history);

        assertThat(result).isInstanceOf(VerificationResult.Mismatches.class);
        List<Mismatch> mismatches = ((VerificationResult.Mismatches) result).mismatches();
        assertThat(mismatches).containsExactly(new Mismatch(row.stratum(), 8, Mismatch.Problem.ARM, row.arm(),
                history.get(7).arm()));
        assertThat(mismatches.get(0).describe()).startsWith("A/A-OOW sequence 8: ARM: expected ");
    }

    @Test
    void everyKindOfDamageIsReported() {
        List<RecordedAllocation> history = new ArrayList<>(history());
        RecordedAllocation missing = history.remove(5); // A-OOW sequence 6
        RecordedAllocation duplicate = history.get(10);
        history.add(duplicate);
        RecordedAllocation unknownStratum = new RecordedAllocation(Stratum.of("C", "C-OOW"), 1, 0, 1, 1, "control",
                Designs.GO_LIVE);
        history.add(unknownStratum);
        int lastOfB = history.size() - 3;
        RecordedAllocation lastB = history.get(lastOfB);
        history.set(lastOfB, new RecordedAllocation(lastB.stratum(), lastB.sequence(), lastB.blockIndex(),
                lastB.positionInBlock(), 7, lastB.arm(), lastB.allocatedAt()));

        List<Mismatch.Problem> problems = problems(verifier.verify(history));

        assertThat(problems).contains(Mismatch.Problem.MISSING_SEQUENCE, Mismatch.Problem.DUPLICATE_SEQUENCE,
                Mismatch.Problem.UNKNOWN_STRATUM, Mismatch.Problem.UNKNOWN_DESIGN_VERSION);
        assertThat(missing.sequence()).isEqualTo(6);
    }

    @Test
    void aBlockStartedUnderAVersionNotInForceIsReported() {
        List<RecordedAllocation> history = new ArrayList<>();
        for (RecordedAllocation row : history()) {
            if (row.stratum().equals(Designs.A_IW)) {
                // The same allocations, as if the service had started every block under version 1.
                history.add(new RecordedAllocation(row.stratum(), row.sequence(), row.blockIndex(), row.positionInBlock(),
                        1, row.arm(), row.allocatedAt()));
            }
        }
        List<Mismatch.Problem> problems = problems(verifier.verify(history));
        assertThat(problems).contains(Mismatch.Problem.DESIGN_VERSION_NOT_IN_FORCE);
    }

    @Test
    void aVersionChangeInsideABlockAndAWrongPositionAreReported() {
        List<RecordedAllocation> history = new ArrayList<>();
        for (RecordedAllocation row : history()) {
            if (row.stratum().equals(Designs.B_OOW)) {
                history.add(row);
            }
        }
        RecordedAllocation second = history.get(1);
        history.set(1, new RecordedAllocation(second.stratum(), 2, second.blockIndex(), second.positionInBlock() + 1,
                second.designVersion(), second.arm(), second.allocatedAt()));
        assertThat(problems(verifier.verify(history))).contains(Mismatch.Problem.POSITION_IN_BLOCK);
    }

    private static List<Mismatch.Problem> problems(VerificationResult result) {
        assertThat(result).isInstanceOf(VerificationResult.Mismatches.class);
        return ((VerificationResult.Mismatches) result).mismatches().stream().map(Mismatch::problem).toList();
    }

    private static RecordedAllocation withArm(RecordedAllocation row, String arm) {
        return new RecordedAllocation(row.stratum(), row.sequence(), row.blockIndex(), row.positionInBlock(),
                row.designVersion(), arm, row.allocatedAt());
    }
}
