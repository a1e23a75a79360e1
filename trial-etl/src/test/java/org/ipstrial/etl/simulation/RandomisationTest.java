package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.Allocation;
import org.ipstrial.randomiser.Block;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.Stratum;
import org.junit.jupiter.api.Test;

/** The simulated trial is allocated by the platform's own randomiser, in time order, block by block. */
class RandomisationTest {

    @Test
    void everyCompletedBlockIsExactAndIsTheRandomisersBlock() {
        for (long seed : new long[] {31, 32}) {
            SimulatedTrial trial = TrialSimulator.simulate(Fixtures.small(seed, 0.05));
            PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(trial.config().secret());
            Map<String, List<SimulatedPerson>> byStratum = new LinkedHashMap<>();
            for (SimulatedPerson p : trial.persons()) {
                byStratum.computeIfAbsent(p.allocation().stratum().key(), k -> new ArrayList<>()).add(p);
            }
            assertThat(byStratum.keySet()).containsExactlyInAnyOrder("A/A-OOW", "A/A-IW", "B/B-OOW");
            for (List<SimulatedPerson> stratum : byStratum.values()) {
                stratum.sort(Comparator.comparingLong(p -> p.allocation().sequence()));
                int completedBlocks = 0;
                for (int i = 0; i < stratum.size(); i++) {
                    SimulatedPerson p = stratum.get(i);
                    Allocation a = ((TrialRandomisation.Blocked) p.allocation()).allocation();
                    assertThat(a.sequence()).as("seed %d", seed).isEqualTo(i + 1);
                    if (i > 0) {
                        // Allocated in the order of randomisation time.
                        assertThat(p.recruit().randomisedAt()).isAfterOrEqualTo(stratum.get(i - 1).recruit().randomisedAt());
                    }
                    Block block = randomiser.block(Stratum.parse(a.stratum().key()), a.blockIndex(),
                            ((DesignFile.Read.Blocks) trial.config().design()).design().version(a.designVersion()));
                    assertThat(a.arm()).as("seed %d, %s", seed, a).isEqualTo(block.armAt(a.positionInBlock() - 1));
                    if (a.positionInBlock() == a.blockSize()) {
                        List<String> arms = stratum.subList(i - a.blockSize() + 1, i + 1).stream().map(SimulatedPerson::arm).toList();
                        assertThat(arms.stream().filter("treatment"::equals).count()).as("seed %d, block %s", seed, a)
                                .isEqualTo(a.blockSize() / 2);
                        completedBlocks++;
                    }
                }
                assertThat(completedBlocks).isPositive();
                long treated = stratum.stream().filter(SimulatedPerson::treated).count();
                // Only the last, unfinished block can be unequal: by at most half its size (3).
                assertThat(Math.abs(2 * treated - stratum.size())).as("seed %d", seed).isLessThanOrEqualTo(6);
            }
        }
    }
}
