package org.ipstrial.randomiser.diagnostics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.MinimisationVersion;

/**
 * The diagnostics of a minimisation design version beside permuted blocks and simple
 * randomisation on the same simulated recruits.
 *
 * @param designName the design's name
 * @param designVersion the version simulated
 * @param recruitsPerStratum recruits per stratum in each replication
 * @param strata the number of strata
 * @param replications the number of simulated trials
 * @param seed the seed of the recruits and the secrets
 * @param stratifyBy the design's stratification factors
 * @param factors the minimisation factors
 * @param version the version simulated
 * @param comparatorBlockSizes the block sizes of the permuted-block comparators
 * @param levelWeights the weights the recruits' levels were drawn with, per factor given (the
 *     other factors' levels equally likely)
 * @param schemes one result per scheme, in {@link MinimisationDiagnostics.Scheme} order
 */
public record MinimisationDiagnosticsReport(
        String designName, int designVersion, int recruitsPerStratum, int strata, int replications, long seed,
        List<String> stratifyBy, List<String> factors, MinimisationVersion version,
        List<BlockSizeChoice> comparatorBlockSizes, Map<String, List<Integer>> levelWeights, List<SchemeResult> schemes) {

    /**
     * One scheme's simulated behaviour.
     *
     * @param scheme the scheme
     * @param finalImbalanceByFactor per reported factor (stratification factors first), the largest
     *     trial-wide imbalance over its levels after the last recruit
     * @param largestImbalanceByFactor the same, the largest reached at any point
     * @param finalOverall the trial-wide imbalance over all recruits after the last
     * @param correctGuessesKnowingTotals the share of allocations a guesser who knows the stratum's
     *     marginal totals calls right, guessing the arm minimisation prefers
     * @param correctGuessesConvergence the share the convergence guesser calls right (the arm
     *     furthest behind its share in the scheme's own stratum)
     * @param selectionBiasKnowingTotals Blackwell-Hodges bias of the difference in means, in units of
     *     the recruiter's shift, for the guesser who knows the totals (two arms only)
     * @param selectionBiasConvergence the same for the convergence guesser
     */
    public record SchemeResult(
            MinimisationDiagnostics.Scheme scheme, Map<String, ImbalanceSummary> finalImbalanceByFactor,
            Map<String, ImbalanceSummary> largestImbalanceByFactor, ImbalanceSummary finalOverall,
            Estimate correctGuessesKnowingTotals, Estimate correctGuessesConvergence,
            Optional<Estimate> selectionBiasKnowingTotals, Optional<Estimate> selectionBiasConvergence) {
        public SchemeResult {
            Objects.requireNonNull(scheme, "scheme");
            finalImbalanceByFactor = Collections.unmodifiableMap(new LinkedHashMap<>(finalImbalanceByFactor));
            largestImbalanceByFactor = Collections.unmodifiableMap(new LinkedHashMap<>(largestImbalanceByFactor));
            Objects.requireNonNull(finalOverall, "final overall imbalance");
            Objects.requireNonNull(correctGuessesKnowingTotals, "correct guesses knowing the totals");
            Objects.requireNonNull(correctGuessesConvergence, "correct guesses, convergence");
            Objects.requireNonNull(selectionBiasKnowingTotals, "selection bias knowing the totals");
            Objects.requireNonNull(selectionBiasConvergence, "selection bias, convergence");
        }
    }

    public MinimisationDiagnosticsReport {
        Objects.requireNonNull(designName, "design name");
        stratifyBy = List.copyOf(stratifyBy);
        factors = List.copyOf(factors);
        comparatorBlockSizes = List.copyOf(comparatorBlockSizes);
        Map<String, List<Integer>> weights = new LinkedHashMap<>();
        for (String factor : factors) {
            if (levelWeights.containsKey(factor)) {
                weights.put(factor, List.copyOf(levelWeights.get(factor)));
            }
        }
        levelWeights = Collections.unmodifiableMap(weights);
        schemes = List.copyOf(schemes);
    }

    /** One scheme's result. */
    public SchemeResult scheme(MinimisationDiagnostics.Scheme scheme) {
        return schemes.stream().filter(s -> s.scheme() == scheme).findFirst().orElseThrow();
    }

    private static final int LABEL = 44;
    private static final int COLUMN = 26;

    /** The report as text for a statistician: one column per scheme. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Minimisation diagnostics: %s, version %d%n", designName, designVersion));
        text.append(String.format(Locale.ROOT,
                "%d simulated trials of %d recruits in each of %d strata, seed %d; %s, factors independent%n",
                replications, recruitsPerStratum, strata, seed, levelWeights.isEmpty() ? "every level equally likely"
                        : "levels drawn with weights " + levelWeights.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue().stream().map(String::valueOf)
                                        .collect(Collectors.joining(":")))
                                .collect(Collectors.joining(", ")) + " (other factors' levels equally likely)"));
        text.append("Rule: ratio ").append(version.ratio()).append("; ").append(version.measure().code())
                .append(" of marginal totals; weights ")
                .append(version.factorWeights().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")))
                .append("; minimising arm with probability ").append(version.probabilityText())
                .append(stratifyBy.isEmpty() ? "; no stratification" : "; within strata by " + String.join(", ", stratifyBy))
                .append('\n');
        text.append("Compared on the same recruits with permuted blocks of sizes ")
                .append(comparatorBlockSizes.stream().map(c -> c.size() + " (weight " + c.weight() + ")")
                        .collect(Collectors.joining(", ")))
                .append(" within the same strata, and within every combination of strata and factor levels.\n");
        text.append("A factor's imbalance: the largest, over its levels, of the trial-wide sum over arms of "
                + "|allocated - target share|.\n");
        text.append("Imbalances: mean / 99th percentile / maximum over the simulated trials.\n\n");
        row(text, "", s -> s.scheme().label());
        for (String factor : factorNames()) {
            row(text, "final imbalance, " + factor, s -> summary(s.finalImbalanceByFactor().get(factor)));
        }
        for (String factor : factorNames()) {
            row(text, "largest reached, " + factor, s -> summary(s.largestImbalanceByFactor().get(factor)));
        }
        row(text, "final imbalance, all recruits", s -> summary(s.finalOverall()));
        row(text, "correct guesses, knowing the totals", s -> estimate(s.correctGuessesKnowingTotals()));
        row(text, "correct guesses, convergence", s -> estimate(s.correctGuessesConvergence()));
        if (schemes.stream().allMatch(s -> s.selectionBiasKnowingTotals().isPresent())) {
            row(text, "selection bias x shift, knowing totals", s -> estimate(s.selectionBiasKnowingTotals().orElseThrow()));
            row(text, "selection bias x shift, convergence", s -> estimate(s.selectionBiasConvergence().orElseThrow()));
        }
        text.append("\nCorrect guesses: 0.5 (1/arms) is no predictability. Selection bias: the bias of the difference "
                + "in means, in units of the shift a recruiter who acts on the guess can select for (Blackwell and Hodges).\n");
        return text.toString();
    }

    private List<String> factorNames() {
        return schemes.isEmpty() ? List.of() : List.copyOf(schemes.get(0).finalImbalanceByFactor().keySet());
    }

    private void row(StringBuilder text, String label, Function<SchemeResult, String> cell) {
        text.append(pad(label, LABEL));
        for (SchemeResult scheme : schemes) {
            text.append(pad(cell.apply(scheme), COLUMN));
        }
        while (text.charAt(text.length() - 1) == ' ') {
            text.setLength(text.length() - 1);
        }
        text.append('\n');
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String summary(ImbalanceSummary summary) {
        return String.format(Locale.ROOT, "%.2f / %s / %s", summary.mean(), number(summary.percentile99()),
                number(summary.maximum()));
    }

    private static String estimate(Estimate estimate) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", estimate.mean(), estimate.upper95() - estimate.mean());
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
