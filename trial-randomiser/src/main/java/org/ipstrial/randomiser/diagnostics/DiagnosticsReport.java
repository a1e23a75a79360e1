package org.ipstrial.randomiser.diagnostics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.Stratum;

/**
 * The diagnostics of a design version: one entry per allocation scheme it uses.
 *
 * @param designName the design's name
 * @param designVersion the version simulated
 * @param recruitsPerStratum recruits per stratum in each replication
 * @param replications the number of simulated sequences per scheme
 * @param seed the seed the replications' secrets were derived from
 * @param schemes the diagnostics of each scheme
 */
public record DiagnosticsReport(
        String designName, int designVersion, int recruitsPerStratum, int replications, long seed,
        List<SchemeDiagnostics> schemes) {

    public DiagnosticsReport {
        Objects.requireNonNull(designName, "design name");
        schemes = List.copyOf(schemes);
    }

    /** The report as text for a statistician. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Design diagnostics: %s, version %d%n", designName, designVersion));
        text.append(String.format(Locale.ROOT, "%d recruits per stratum, %d simulated sequences per scheme, seed %d%n",
                recruitsPerStratum, replications, seed));
        text.append("Imbalance = sum over arms of |allocated - target share| (two arms at 1:1: |treatment - control|).\n");
        for (SchemeDiagnostics scheme : schemes) {
            text.append('\n');
            text.append("Strata: ").append(scheme.strata().stream().map(Stratum::key).collect(Collectors.joining(", ")))
                    .append('\n');
            text.append("  ratio ").append(scheme.ratio()).append("; block sizes ")
                    .append(scheme.blockSizes().stream().map(DiagnosticsReport::size).collect(Collectors.joining(", ")))
                    .append('\n');
            imbalance(text, "final imbalance", scheme.finalImbalance());
            imbalance(text, "largest imbalance reached", scheme.largestImbalance());
            estimate(text, "correct guesses, convergence strategy", scheme.correctGuessRate(),
                    scheme.closedFormGuessRate());
            estimate(text, "allocations certain to a recruiter who knows the past", scheme.certainShare(),
                    scheme.closedFormCertainShare());
        }
        return text.toString();
    }

    private static String size(BlockSizeChoice choice) {
        return choice.size() + " (weight " + choice.weight() + ")";
    }

    private static void imbalance(StringBuilder text, String label, ImbalanceSummary summary) {
        text.append(String.format(Locale.ROOT,
                "  %-27s mean %.2f, sd %.2f, median %s, 90th %s, 99th %s, max %s%n", label + ":", summary.mean(),
                summary.standardDeviation(), number(summary.median()), number(summary.percentile90()),
                number(summary.percentile99()), number(summary.maximum())));
        text.append("  ").append(" ".repeat(28)).append("distribution: ");
        text.append(summary.shareByValue().entrySet().stream()
                .map(DiagnosticsReport::share).collect(Collectors.joining(", "))).append('\n');
    }

    private static String share(Map.Entry<Double, Double> entry) {
        return number(entry.getKey()) + ": " + String.format(Locale.ROOT, "%.1f%%", 100 * entry.getValue());
    }

    private static void estimate(StringBuilder text, String label, Estimate estimate, java.util.OptionalDouble exact) {
        text.append(String.format(Locale.ROOT, "  %s: %.4f (95%% CI %.4f to %.4f)", label, estimate.mean(),
                estimate.lower95(), estimate.upper95()));
        if (exact.isPresent()) {
            text.append(String.format(Locale.ROOT, "; closed form %.4f", exact.getAsDouble()));
        }
        text.append('\n');
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
