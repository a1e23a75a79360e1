package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisationVerifier;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.RecordedMinimisation;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated trial with a minimisation design is allocated by the platform's own rule: replaying
 * the library's {@link MinimisationRandomiser} over the recruits in time order, with totals built
 * from scratch, gives the simulator's every arm and seal, and the written allocation list verifies
 * with {@link MinimisationVerifier} from its own columns.
 */
class MinimisedRandomisationTest {
    static final Path DESIGN = Path.of("..", "config", "randomisation-minimisation-simulation.yml");

    static SimulationConfig minimised(long seed, double scale) {
        return SimulationConfig.read(Fixtures.SMALL, DESIGN).with(seed, scale);
    }

    @Test
    void theSimulatorsAllocationsAreTheLibraryRulesOnTheRecruitsLevels() {
        for (long seed : new long[] {41, 42}) {
            System.out.println("MinimisedRandomisationTest seed " + seed);
            SimulatedTrial trial = TrialSimulator.simulate(minimised(seed, 0.05));
            MinimisationDesign design = ((DesignFile.Read.Minimisation) trial.config().design()).design();
            MinimisationRandomiser rule = new MinimisationRandomiser(trial.config().secret());
            List<SimulatedPerson> inTimeOrder = new ArrayList<>(trial.persons());
            inTimeOrder.sort(Comparator.comparing((SimulatedPerson p) -> p.recruit().randomisedAt()).thenComparingInt(p -> p.recruit().index()));
            Map<Stratum, MarginalTotals> totals = new HashMap<>();
            Map<String, Integer> decisions = new HashMap<>();
            for (SimulatedPerson p : inTimeOrder) {
                MinimisedAllocation simulated = ((TrialRandomisation.Minimised) p.allocation()).allocation();
                Map<String, String> levels = new LinkedHashMap<>();
                levels.put("trial_group", p.trialGroup());
                levels.put("area", p.recruit().area());
                levels.put("work_last_2y", String.valueOf(p.profile().answers().get("work_last_2y")));
                Stratum site = Stratum.of(p.recruit().site());
                MarginalTotals before = totals.computeIfAbsent(site, s -> new MarginalTotals(design));

                MinimisedAllocation replayed = rule.allocate(design, site, before.allocations() + 1, levels, before,
                        p.recruit().randomisedAt().toInstant());

                assertThat(simulated).as("seed %d", seed).isEqualTo(replayed);
                before.add(levels, replayed.arm());
                decisions.merge(replayed.decision().name(), 1, Integer::sum);
            }
            // The rule was exercised in every way: ties, the minimising arm and the other arm.
            assertThat(decisions.keySet()).as("seed %d", seed).containsExactlyInAnyOrder("ALL_ARMS_TIED", "MINIMISING_ARM", "OTHER_ARM");
            assertThat(decisions.get("OTHER_ARM")).isLessThan(decisions.get("MINIMISING_ARM"));
        }
    }

    @Test
    void theWrittenAllocationListVerifiesAndItsFactorsAreInTheExports(@TempDir Path dir) throws IOException {
        long seed = 43;
        System.out.println("MinimisedRandomisationTest seed " + seed);
        SimulatedTrial trial = TrialSimulator.simulate(minimised(seed, 0.05));
        TrialFiles.write(trial, dir);
        MinimisationDesign design = ((DesignFile.Read.Minimisation) trial.config().design()).design();

        List<CSVRecord> rows = Fixtures.records(dir.resolve("truth/allocations.csv"));
        assertThat(rows.get(0).toList()).containsExactly("stratum", "sequence", "design_version", "allocated_at", "trial_group", "area",
                "work_last_2y", "arm", "decision", "seal", "participant_id");
        List<RecordedMinimisation> history = new ArrayList<>();
        for (CSVRecord r : rows.subList(1, rows.size())) {
            history.add(new RecordedMinimisation(Stratum.parse(r.get(0)), Long.parseLong(r.get(1)), Integer.parseInt(r.get(2)),
                    Map.of("trial_group", r.get(4), "area", r.get(5), "work_last_2y", r.get(6)), r.get(7), Instant.parse(r.get(3)),
                    r.get(9)));
        }
        MinimisationVerifier verifier = new MinimisationVerifier(new MinimisationRandomiser(trial.config().secret()), design);
        assertThat(verifier.verify(history)).isEqualTo(new VerificationResult.Verified(trial.persons().size()));
        RecordedMinimisation first = history.get(0);
        history.set(0, new RecordedMinimisation(first.stratum(), first.sequence(), first.designVersion(), first.levels(),
                first.arm().equals("treatment") ? "control" : "treatment", first.allocatedAt(), first.seal()));
        assertThat(verifier.verify(history)).isInstanceOf(VerificationResult.Mismatches.class);

        // The participant export carries the minimisation stratum; the baseline export the factor's
        // answer, never missing (the service cannot randomise without it).
        List<CSVRecord> participants = Fixtures.records(dir.resolve("participants.csv"));
        int stratum = participants.get(0).toList().indexOf("stratum");
        int siteColumn = participants.get(0).toList().indexOf("site");
        assertThat(participants.subList(1, participants.size())).allSatisfy(r -> assertThat(r.get(stratum)).isEqualTo(r.get(siteColumn)));
        List<CSVRecord> baseline = Fixtures.records(dir.resolve("baseline.csv"));
        int work = baseline.get(0).toList().indexOf("work_last_2y");
        assertThat(baseline.subList(1, baseline.size())).allSatisfy(r -> assertThat(r.get(work)).isIn("1", "2", "3", "4"));
        assertThat(Files.readString(dir.resolve("etl-inputs.json"))).contains("\"randomisation_kind\" : \"minimisation\"");
    }

    @Test
    void aDesignWhoseFactorTheSimulationCannotGiveIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path design = dir.resolve("design.yml");
        Files.writeString(design, Files.readString(DESIGN).replace("name: work_last_2y,", "name: shoe_size,")
                .replace("work_last_2y: 1", "shoe_size: 1"));

        assertThatThrownBy(() -> SimulationConfig.read(Fixtures.SMALL, design))
                .isInstanceOf(SimulationConfigException.class)
                .hasMessageContaining("randomisation.design")
                .hasMessageContaining("factor shoe_size is neither site, area, trial_group nor a baseline item");
    }

    @Test
    void aDesignNotYetInForceWhenRecruitmentStartsIsRefused() {
        Path demo = Path.of("..", "config", "randomisation-minimisation-demo.yml");

        assertThatThrownBy(() -> TrialSimulator.simulate(SimulationConfig.read(Fixtures.SMALL, demo)))
                .isInstanceOf(SimulationConfigException.class)
                .hasMessageContaining("randomisation.design: design ips-minimised-demo cannot allocate")
                .hasMessageContaining("no version of design ips-minimised-demo is in force");
    }
}
