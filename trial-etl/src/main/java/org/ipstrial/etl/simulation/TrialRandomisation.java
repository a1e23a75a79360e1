package org.ipstrial.etl.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.Allocation;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * Randomises the simulated recruits exactly as the service does, in time order, with the design
 * version in force at the moment of randomisation: each stratum's next allocation from the
 * platform's own {@link PermutedBlockRandomiser} for a block design, or from its
 * {@link MinimisationRandomiser} with the stratum's marginal totals of the design's factors for a
 * minimisation design. Anyone holding the secret can regenerate the sequence and check it
 * (truth/allocations.csv).
 */
final class TrialRandomisation {
    /** The factors a recruit carries outside the baseline answers. */
    static final Set<String> RECRUIT_FACTORS = Set.of("site", "area", "trial_group");

    private TrialRandomisation() {}

    /** One allocation, of either design kind. */
    sealed interface Assignment permits Blocked, Minimised {
        Stratum stratum();

        long sequence();

        int designVersion();

        String arm();
    }

    /** A permuted-block allocation. */
    record Blocked(Allocation allocation) implements Assignment {
        public Stratum stratum() {
            return allocation.stratum();
        }

        public long sequence() {
            return allocation.sequence();
        }

        public int designVersion() {
            return allocation.designVersion();
        }

        public String arm() {
            return allocation.arm();
        }
    }

    /** An allocation by minimisation, with the recruit's levels it was made on. */
    record Minimised(MinimisedAllocation allocation) implements Assignment {
        public Stratum stratum() {
            return allocation.stratum();
        }

        public long sequence() {
            return allocation.sequence();
        }

        public int designVersion() {
            return allocation.designVersion();
        }

        public String arm() {
            return allocation.arm();
        }
    }

    /**
     * One allocation per recruit, in the recruits' order (which must be time order); {@code profiles}
     * are the recruits' baseline profiles in the same order (the answers a minimisation factor reads).
     */
    static List<Assignment> allocate(DesignFile.Read design, RandomisationSecret secret, List<RecruitmentFlow.Recruit> recruits,
            List<BaselineModel.Profile> profiles) {
        if (design instanceof DesignFile.Read.Minimisation minimisation) {
            return minimise(minimisation.design(), secret, recruits, profiles);
        }
        return blocks(((DesignFile.Read.Blocks) design).design(), secret, recruits);
    }

    private static List<Assignment> blocks(RandomisationDesign design, RandomisationSecret secret, List<RecruitmentFlow.Recruit> recruits) {
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(secret);
        Map<Stratum, Allocation> last = new HashMap<>();
        List<Assignment> allocations = new ArrayList<>(recruits.size());
        for (RecruitmentFlow.Recruit recruit : recruits) {
            Stratum stratum = stratum(recruit);
            Allocation next = randomiser.nextAllocation(design, stratum, Optional.ofNullable(last.get(stratum)),
                    recruit.randomisedAt().toInstant());
            last.put(stratum, next);
            allocations.add(new Blocked(next));
        }
        return allocations;
    }

    /**
     * Minimisation as the service runs it: per stratum, the marginal totals of everyone allocated
     * before, the next sequence number, and the version in force at the recruit's moment.
     */
    private static List<Assignment> minimise(MinimisationDesign design, RandomisationSecret secret,
            List<RecruitmentFlow.Recruit> recruits, List<BaselineModel.Profile> profiles) {
        MinimisationRandomiser randomiser = new MinimisationRandomiser(secret);
        Map<Stratum, MarginalTotals> totals = new HashMap<>();
        List<Assignment> allocations = new ArrayList<>(recruits.size());
        for (int i = 0; i < recruits.size(); i++) {
            RecruitmentFlow.Recruit recruit = recruits.get(i);
            Stratum stratum = minimisationStratum(design, recruit, profiles.get(i));
            Map<String, String> levels = levels(design, recruit, profiles.get(i));
            MarginalTotals stratumTotals = totals.computeIfAbsent(stratum, s -> new MarginalTotals(design));
            Instant at = recruit.randomisedAt().toInstant();
            MinimisedAllocation next;
            try {
                next = randomiser.allocate(design, stratum, stratumTotals.allocations() + 1, levels, stratumTotals, at);
            } catch (IllegalArgumentException e) {
                // A recruit the design cannot take: a stratum or level it does not have, or no version in force.
                throw new SimulationConfigException("randomisation.design: design " + design.name() + " cannot allocate a "
                        + recruit.trialGroup() + " recruit of " + recruit.randomisedAt().toLocalDate() + ": " + e.getMessage(), e);
            }
            stratumTotals.add(next.levels(), next.arm());
            allocations.add(new Minimised(next));
        }
        return allocations;
    }

    /** The block design's stratum: site x trial group. */
    static Stratum stratum(RecruitmentFlow.Recruit recruit) {
        return Stratum.of(recruit.site(), recruit.trialGroup());
    }

    /** A minimisation design's stratum: the recruit's value of each stratification factor, or the one stratum "all". */
    static Stratum minimisationStratum(MinimisationDesign design, RecruitmentFlow.Recruit recruit, BaselineModel.Profile profile) {
        if (design.stratifyBy().isEmpty()) {
            return MinimisationDesign.UNSTRATIFIED;
        }
        return new Stratum(design.stratifyBy().stream().map(f -> value(f, recruit, profile)).toList());
    }

    /** The recruit's level of every minimisation factor, in the design's order. */
    static Map<String, String> levels(MinimisationDesign design, RecruitmentFlow.Recruit recruit, BaselineModel.Profile profile) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (String factor : design.factorNames()) {
            levels.put(factor, value(factor, recruit, profile));
        }
        return levels;
    }

    /** Site, area or trial group from the recruitment, else the baseline answer (its code as text). */
    private static String value(String factor, RecruitmentFlow.Recruit recruit, BaselineModel.Profile profile) {
        return switch (factor) {
            case "site" -> recruit.site();
            case "area" -> recruit.area();
            case "trial_group" -> recruit.trialGroup();
            default -> String.valueOf(profile.answers().get(factor));
        };
    }
}
