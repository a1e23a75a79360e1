package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinimisationVerifierTest {

    private static final long SEED = 11;
    private final MinimisationRandomiser randomiser = new MinimisationRandomiser(Designs.secret(SEED));
    private final Instant change = Designs.GO_LIVE.plusSeconds(86_400L * 10);
    private final MinimisationDesign design = design();
    private final MinimisationVerifier verifier = new MinimisationVerifier(randomiser, design);

    private MinimisationDesign design() {
        MinimisationVersion one = Minimisations.version(1, Designs.GO_LIVE, Designs.ratio(1, 1),
                Minimisations.weights("sex", 1, "area", 1, "work_last_2y", 2), ImbalanceMeasure.RANGE, "0.8");
        MinimisationVersion two = Minimisations.version(2, change, Designs.ratio(2, 1),
                Minimisations.weights("sex", 1, "area", 1, "work_last_2y", 2), ImbalanceMeasure.VARIANCE, "0.85");
        return new MinimisationDesign("verified", List.of("site"), List.of(Stratum.of("A"), Stratum.of("B")),
                List.of(Minimisations.SEX, Minimisations.AREA, Minimisations.WORK), List.of(one, two));
    }

    /** What the service would record: 40 allocations half a day apart in each stratum, across the change (day 10). */
    private List<RecordedMinimisation> history() {
        List<RecordedMinimisation> history = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(SEED);
        for (Stratum stratum : design.strata()) {
            MarginalTotals totals = new MarginalTotals(design);
            for (int i = 0; i < 40; i++) {
                Instant at = Designs.GO_LIVE.plusSeconds(43_200L * i + 60);
                Map<String, String> levels = Minimisations.recruit(design, random);
                MinimisedAllocation allocation = randomiser.allocate(design, stratum, i + 1, levels, totals, at);
                totals.add(levels, allocation.arm());
                history.add(RecordedMinimisation.of(allocation, at));
            }
        }
        return history;
    }

    @Test
    void aFaithfulHistoryIsVerifiedInAnyOrder() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        java.util.Collections.reverse(history);
        assertThat(verifier.verify(history)).isEqualTo(new VerificationResult.Verified(80));
        assertThat(history).extracting(RecordedMinimisation::designVersion).contains(1, 2);
    }

    @Test
    void aChangedArmIsReportedWithItsSealAndOnlyArmMismatchesFollow() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        RecordedMinimisation row = history.get(7);
        String other = row.arm().equals("treatment") ? "control" : "treatment";
        history.set(7, new RecordedMinimisation(row.stratum(), row.sequence(), row.designVersion(), row.levels(), other,
                row.allocatedAt(), row.seal()));

        List<Mismatch> mismatches = mismatches(verifier.verify(history));

        assertThat(mismatches).contains(new Mismatch(row.stratum(), 8, Mismatch.Problem.ARM, row.arm(), other));
        assertThat(mismatches).filteredOn(m -> m.problem() == Mismatch.Problem.SEAL).extracting(Mismatch::sequence)
                .containsExactly(8L);
        // Later rows of A may follow from the changed totals, but only as arm mismatches; B is untouched.
        assertThat(mismatches).allMatch(m -> m.problem() == Mismatch.Problem.ARM || m.problem() == Mismatch.Problem.SEAL);
        assertThat(mismatches).allMatch(m -> m.stratum().equals(Stratum.of("A")) && m.sequence() >= 8);
    }

    @Test
    void aChangedFactorLevelIsReportedByItsSeal() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        RecordedMinimisation row = history.get(45); // B, sequence 6
        Map<String, String> levels = new LinkedHashMap<>(row.levels());
        levels.put("sex", row.levels().get("sex").equals("female") ? "male" : "female");
        history.set(45, new RecordedMinimisation(row.stratum(), row.sequence(), row.designVersion(), levels, row.arm(),
                row.allocatedAt(), row.seal()));

        List<Mismatch> mismatches = mismatches(verifier.verify(history));

        assertThat(mismatches).filteredOn(m -> m.problem() == Mismatch.Problem.SEAL)
                .containsExactly(new Mismatch(Stratum.of("B"), 6, Mismatch.Problem.SEAL,
                        "the seal of the recorded version, levels and arm", "a seal that does not match them"));
        assertThat(mismatches).allMatch(m -> m.stratum().equals(Stratum.of("B")) && m.sequence() >= 6);
    }

    @Test
    void aLevelThatIsNotOfTheDesignIsReported() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        RecordedMinimisation row = history.get(2);
        Map<String, String> levels = new LinkedHashMap<>(row.levels());
        levels.put("area", "west");
        history.set(2, new RecordedMinimisation(row.stratum(), row.sequence(), row.designVersion(), levels, row.arm(),
                row.allocatedAt(), row.seal()));
        List<Mismatch> mismatches = mismatches(verifier.verify(history));
        assertThat(mismatches).extracting(Mismatch::problem).contains(Mismatch.Problem.FACTOR_LEVEL, Mismatch.Problem.SEAL);
        assertThat(mismatches).filteredOn(m -> m.problem() == Mismatch.Problem.FACTOR_LEVEL).singleElement()
                .satisfies(m -> assertThat(m.recorded()).contains("'west' is not one of its levels [north, south]"));
    }

    @Test
    void aChangedDesignVersionIsReported() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        int index = history.size() - 1; // B, sequence 40, made under version 2
        RecordedMinimisation row = history.get(index);
        assertThat(row.designVersion()).isEqualTo(2);
        history.set(index, new RecordedMinimisation(row.stratum(), row.sequence(), 1, row.levels(), row.arm(),
                row.allocatedAt(), row.seal()));

        List<Mismatch.Problem> problems = mismatches(verifier.verify(history)).stream().map(Mismatch::problem).toList();

        assertThat(problems).contains(Mismatch.Problem.DESIGN_VERSION_NOT_IN_FORCE, Mismatch.Problem.SEAL);
    }

    @Test
    void aChangedVersionThatWasInForceIsStillCaughtByItsSeal() {
        // Recorded as version 2 and moved in time to match: the version check passes, the seal does not.
        List<RecordedMinimisation> history = new ArrayList<>(history());
        RecordedMinimisation row = history.get(39); // A, sequence 40, version 2
        RecordedMinimisation first = history.get(0);
        history.set(0, new RecordedMinimisation(first.stratum(), first.sequence(), 2, first.levels(), first.arm(),
                change.plusSeconds(1), first.seal()));
        List<Mismatch.Problem> problems = mismatches(verifier.verify(history)).stream()
                .filter(m -> m.sequence() == 1 && m.stratum().equals(Stratum.of("A"))).map(Mismatch::problem).toList();
        assertThat(problems).contains(Mismatch.Problem.SEAL).doesNotContain(Mismatch.Problem.DESIGN_VERSION_NOT_IN_FORCE);
        assertThat(row.designVersion()).isEqualTo(2);
    }

    @Test
    void missingDuplicateUnknownStratumAndUnknownVersionAreReported() {
        List<RecordedMinimisation> history = new ArrayList<>(history());
        history.remove(5);
        history.add(history.get(10));
        history.add(new RecordedMinimisation(Stratum.of("C"), 1, 1, Map.of("sex", "male", "area", "north",
                "work_last_2y", "yes"), "control", Designs.GO_LIVE, "00"));
        RecordedMinimisation last = history.get(50);
        history.set(50, new RecordedMinimisation(last.stratum(), last.sequence(), 7, last.levels(), last.arm(),
                last.allocatedAt(), last.seal()));
        List<Mismatch.Problem> problems = mismatches(verifier.verify(history)).stream().map(Mismatch::problem).toList();
        assertThat(problems).contains(Mismatch.Problem.MISSING_SEQUENCE, Mismatch.Problem.DUPLICATE_SEQUENCE,
                Mismatch.Problem.UNKNOWN_STRATUM, Mismatch.Problem.UNKNOWN_DESIGN_VERSION);
    }

    @Test
    void anotherSecretVerifiesNothing() {
        MinimisationVerifier other = new MinimisationVerifier(new MinimisationRandomiser(Designs.secret(SEED + 1)), design);
        List<Mismatch> mismatches = mismatches(other.verify(history()));
        assertThat(mismatches).filteredOn(m -> m.problem() == Mismatch.Problem.SEAL).hasSize(80);
    }

    private static List<Mismatch> mismatches(VerificationResult result) {
        assertThat(result).isInstanceOf(VerificationResult.Mismatches.class);
        return ((VerificationResult.Mismatches) result).mismatches();
    }
}
