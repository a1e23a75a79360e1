package org.ipstrial.etl.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.randomiser.Allocation;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * Randomises the simulated recruits exactly as the service does: in time order, each stratum's
 * next allocation from the platform's own {@link PermutedBlockRandomiser}, with the design version
 * in force at the moment of randomisation. Anyone holding the secret can regenerate the sequence
 * and check it (truth/allocations.csv).
 */
final class TrialRandomisation {
    private TrialRandomisation() {}

    /** One allocation per recruit, in the recruits' order (which must be time order). */
    static List<Allocation> allocate(RandomisationDesign design, RandomisationSecret secret, List<RecruitmentFlow.Recruit> recruits) {
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(secret);
        Map<Stratum, Allocation> last = new HashMap<>();
        List<Allocation> allocations = new ArrayList<>(recruits.size());
        for (RecruitmentFlow.Recruit recruit : recruits) {
            Stratum stratum = stratum(recruit);
            Allocation next = randomiser.nextAllocation(design, stratum, Optional.ofNullable(last.get(stratum)),
                    recruit.randomisedAt().toInstant());
            last.put(stratum, next);
            allocations.add(next);
        }
        return allocations;
    }

    static Stratum stratum(RecruitmentFlow.Recruit recruit) {
        return Stratum.of(recruit.site(), recruit.trialGroup());
    }
}
