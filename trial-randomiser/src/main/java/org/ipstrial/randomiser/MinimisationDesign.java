package org.ipstrial.randomiser;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A minimisation design (Pocock and Simon, with a random element drawn from the secret): the
 * factors whose marginal totals are balanced, an optional stratification within which it
 * minimises (for example by site), and every version of its ratio, weights, measure and
 * probability, kept so that any past allocation can be explained by the version it used.
 *
 * @param name the design's name
 * @param stratifyBy the stratification factors within which it minimises, e.g. [site]; empty for
 *     none, in which case the design has the one stratum {@link #UNSTRATIFIED}
 * @param strata the strata (one level per stratification factor), each with its own totals and
 *     sequence numbers
 * @param factors the minimisation factors with their levels, in order
 * @param versions the design versions, numbered 1, 2, 3... with strictly increasing effective times
 */
public record MinimisationDesign(
        String name, List<String> stratifyBy, List<Stratum> strata, List<MinimisationFactor> factors,
        List<MinimisationVersion> versions) {

    /** The one stratum of a design without stratification: every recruit shares its totals. */
    public static final Stratum UNSTRATIFIED = Stratum.of("all");

    public MinimisationDesign {
        Objects.requireNonNull(name, "design name is missing");
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("design name must be non-blank text on one line");
        }
        Objects.requireNonNull(stratifyBy, "stratify_by is missing (an empty list for none)");
        Objects.requireNonNull(strata, "strata are missing");
        Objects.requireNonNull(factors, "minimisation factors are missing");
        Objects.requireNonNull(versions, "design versions are missing");
        stratifyBy = List.copyOf(stratifyBy);
        strata = List.copyOf(strata);
        factors = List.copyOf(factors);
        versions = List.copyOf(versions);
        for (String factor : stratifyBy) {
            Codes.require(factor, "stratify_by");
        }
        if (new HashSet<>(stratifyBy).size() != stratifyBy.size()) {
            throw new IllegalArgumentException("stratify_by: a factor is listed twice in " + stratifyBy);
        }
        if (stratifyBy.isEmpty() && !strata.equals(List.of(UNSTRATIFIED))) {
            throw new IllegalArgumentException("strata: a design without stratify_by has the one stratum "
                    + UNSTRATIFIED.key() + ", not " + strata);
        }
        if (strata.isEmpty()) {
            throw new IllegalArgumentException("strata: at least one stratum is needed");
        }
        Set<Stratum> seen = new HashSet<>();
        for (Stratum stratum : strata) {
            if (!stratifyBy.isEmpty() && stratum.levels().size() != stratifyBy.size()) {
                throw new IllegalArgumentException("strata: stratum " + stratum.key() + " has "
                        + stratum.levels().size() + " levels but the design stratifies by " + stratifyBy);
            }
            if (!seen.add(stratum)) {
                throw new IllegalArgumentException("strata: stratum " + stratum.key() + " is listed twice");
            }
        }
        if (factors.isEmpty()) {
            throw new IllegalArgumentException("factors: at least one minimisation factor is needed");
        }
        Set<String> names = new HashSet<>();
        for (MinimisationFactor factor : factors) {
            Objects.requireNonNull(factor, "factors: a factor is missing");
            if (!names.add(factor.name())) {
                throw new IllegalArgumentException("factors: factor " + factor.name() + " is listed twice");
            }
            if (stratifyBy.contains(factor.name())) {
                throw new IllegalArgumentException("factors: " + factor.name() + " is also a stratification factor: "
                        + "within a stratum it has one level, so minimising over it does nothing");
            }
        }
        List<String> factorNames = factors.stream().map(MinimisationFactor::name).toList();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("versions: at least one design version is needed");
        }
        for (int i = 0; i < versions.size(); i++) {
            MinimisationVersion version = versions.get(i);
            if (version.number() != i + 1) {
                throw new IllegalArgumentException("versions: version " + (i + 1) + " is expected in position "
                        + (i + 1) + " but found version " + version.number() + " (number versions 1, 2, 3... in order)");
            }
            if (!version.arms().equals(versions.get(0).arms())) {
                throw new IllegalArgumentException("design version " + version.number() + ": arms " + version.arms()
                        + " differ from version 1's arms " + versions.get(0).arms()
                        + " (same arms, in the same order, in every version)");
            }
            if (i > 0 && !version.effectiveFrom().isAfter(versions.get(i - 1).effectiveFrom())) {
                throw new IllegalArgumentException("design version " + version.number() + ": effective from "
                        + version.effectiveFrom() + " must be after version " + i + "'s "
                        + versions.get(i - 1).effectiveFrom());
            }
            if (!List.copyOf(version.factorWeights().keySet()).equals(factorNames)) {
                throw new IllegalArgumentException("design version " + version.number() + ": factor weights are given for "
                        + version.factorWeights().keySet() + " but the factors are " + factorNames
                        + " (one weight per factor, in the same order)");
            }
        }
    }

    /** The arms of the design (the same in every version). */
    public List<String> arms() {
        return versions.get(0).arms();
    }

    public List<String> factorNames() {
        return factors.stream().map(MinimisationFactor::name).toList();
    }

    public boolean contains(Stratum stratum) {
        return strata.contains(stratum);
    }

    /** The stratum itself, or an error naming it when the design does not have it. */
    public Stratum requireStratum(Stratum stratum) {
        Objects.requireNonNull(stratum, "stratum");
        if (!contains(stratum)) {
            throw new IllegalArgumentException("stratum " + stratum.key() + " is not a stratum of design " + name);
        }
        return stratum;
    }

    /**
     * The level index of each factor (in the design's factor order) for a recruit's levels, or an
     * error naming the factor: every factor needs a level of its own list, and nothing else is
     * accepted, so a recorded row can never carry a value the totals ignore.
     */
    public int[] levelIndexes(Map<String, String> levels) {
        Objects.requireNonNull(levels, "factor levels");
        int[] indexes = new int[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            MinimisationFactor factor = factors.get(f);
            String level = levels.get(factor.name());
            if (level == null) {
                throw new IllegalArgumentException("factor " + factor.name() + ": no level given (one of "
                        + factor.levels() + ")");
            }
            indexes[f] = factor.indexOf(level);
            if (indexes[f] < 0) {
                throw new IllegalArgumentException("factor " + factor.name() + ": '" + level
                        + "' is not one of its levels " + factor.levels());
            }
        }
        for (String given : levels.keySet()) {
            if (factors.stream().noneMatch(f -> f.name().equals(given))) {
                throw new IllegalArgumentException("factor " + given + " is not a minimisation factor of design "
                        + name + " " + factorNames());
            }
        }
        return indexes;
    }

    /** The version in force at a moment: the last one whose effective time is at or before it. */
    public MinimisationVersion versionInForceAt(Instant moment) {
        Objects.requireNonNull(moment, "moment");
        MinimisationVersion inForce = null;
        for (MinimisationVersion version : versions) {
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
    public MinimisationVersion version(int number) {
        if (number < 1 || number > versions.size()) {
            throw new IllegalArgumentException("design " + name + " has no version " + number
                    + " (it has versions 1 to " + versions.size() + ")");
        }
        return versions.get(number - 1);
    }
}
