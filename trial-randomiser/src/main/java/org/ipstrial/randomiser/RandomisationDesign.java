package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A trial's randomisation design: its stratification factors, its strata and every version of its
 * ratio and block sizes, kept so that any past allocation can be explained by the version it used.
 *
 * @param name the design's name, e.g. "ips-reference-trial"
 * @param factors the stratification factors in order, e.g. [site, trial_group]
 * @param strata the strata: the product of the factors' levels, or only the combinations that
 *     exist (trial groups belong to sites)
 * @param versions the design versions, numbered 1, 2, 3... with strictly increasing effective times
 */
public record RandomisationDesign(String name, List<String> factors, List<Stratum> strata, List<DesignVersion> versions) {

    public RandomisationDesign {
        Objects.requireNonNull(name, "design name is missing");
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("design name must be non-blank text on one line");
        }
        Objects.requireNonNull(factors, "design factors are missing");
        Objects.requireNonNull(strata, "design strata are missing");
        Objects.requireNonNull(versions, "design versions are missing");
        factors = List.copyOf(factors);
        strata = List.copyOf(strata);
        versions = List.copyOf(versions);
        if (factors.isEmpty()) {
            throw new IllegalArgumentException("factors: at least one stratification factor is needed");
        }
        for (String factor : factors) {
            Codes.require(factor, "factor");
        }
        if (new HashSet<>(factors).size() != factors.size()) {
            throw new IllegalArgumentException("factors: a factor is listed twice in " + factors);
        }
        if (strata.isEmpty()) {
            throw new IllegalArgumentException("strata: at least one stratum is needed");
        }
        Set<Stratum> seen = new HashSet<>();
        for (Stratum stratum : strata) {
            if (stratum.levels().size() != factors.size()) {
                throw new IllegalArgumentException("strata: stratum " + stratum.key() + " has "
                        + stratum.levels().size() + " levels but the design has " + factors.size()
                        + " factors " + factors);
            }
            if (!seen.add(stratum)) {
                throw new IllegalArgumentException("strata: stratum " + stratum.key() + " is listed twice");
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("versions: at least one design version is needed");
        }
        for (int i = 0; i < versions.size(); i++) {
            DesignVersion version = versions.get(i);
            if (version.number() != i + 1) {
                throw new IllegalArgumentException("versions: version " + (i + 1)
                        + " is expected in position " + (i + 1) + " but found version " + version.number()
                        + " (number versions 1, 2, 3... in order)");
            }
            if (!version.arms().equals(versions.get(0).arms())) {
                throw new IllegalArgumentException("design version " + version.number() + ": arms "
                        + version.arms() + " differ from version 1's arms " + versions.get(0).arms()
                        + " (same arms, in the same order, in every version)");
            }
            if (i > 0 && !version.effectiveFrom().isAfter(versions.get(i - 1).effectiveFrom())) {
                throw new IllegalArgumentException("design version " + version.number()
                        + ": effective from " + version.effectiveFrom() + " must be after version "
                        + (i) + "'s " + versions.get(i - 1).effectiveFrom());
            }
            Set<Stratum> overridden = new HashSet<>(version.ratioByStratum().keySet());
            overridden.addAll(version.blockSizesByStratum().keySet());
            for (Stratum stratum : overridden) {
                if (!seen.contains(stratum)) {
                    throw new IllegalArgumentException("design version " + version.number() + ": stratum "
                            + stratum.key() + " is not one of the design's strata");
                }
            }
        }
    }

    /** Every combination of the factors' levels, in order (the first factor varies slowest). */
    public static List<Stratum> product(List<List<String>> levelsByFactor) {
        List<List<String>> combinations = List.of(List.of());
        for (List<String> levels : levelsByFactor) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : combinations) {
                for (String level : levels) {
                    List<String> combination = new ArrayList<>(prefix);
                    combination.add(level);
                    next.add(combination);
                }
            }
            combinations = next;
        }
        return combinations.stream().map(Stratum::new).toList();
    }

    /** The arms of the design (the same in every version). */
    public List<String> arms() {
        return versions.get(0).arms();
    }

    public boolean contains(Stratum stratum) {
        return strata.contains(stratum);
    }

    /** The stratum itself, or an error naming it when the design does not have it. */
    public Stratum requireStratum(Stratum stratum) {
        if (!contains(stratum)) {
            throw new IllegalArgumentException("stratum " + stratum.key() + " is not a stratum of design " + name);
        }
        return stratum;
    }

    /**
     * The version in force at a moment: the last one whose effective time is at or before it. Pure:
     * the caller passes the time.
     */
    public DesignVersion versionInForceAt(Instant moment) {
        Objects.requireNonNull(moment, "moment");
        DesignVersion inForce = null;
        for (DesignVersion version : versions) {
            if (version.effectiveFrom().isAfter(moment)) {
                break;
            }
            inForce = version;
        }
        if (inForce == null) {
            throw new IllegalArgumentException("no version of design " + name + " is in force at " + moment
                    + ": version 1 takes effect from " + versions.get(0).effectiveFrom());
        }
        return inForce;
    }

    /** The version with this number. */
    public DesignVersion version(int number) {
        if (number < 1 || number > versions.size()) {
            throw new IllegalArgumentException("design " + name + " has no version " + number
                    + " (it has versions 1 to " + versions.size() + ")");
        }
        return versions.get(number - 1);
    }

    public DesignVersion latestVersion() {
        return versions.get(versions.size() - 1);
    }
}
