package org.ipstrial.etl.impact;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistical analysis plan as the program uses it: everything that decides which numbers come
 * out, fixed before any outcome is read. Built only by {@link AnalysisPlanReader}, which validates
 * it field by field; the compact constructors here keep the invariants that code relies on.
 *
 * @param name the plan's name and version, printed in every output
 * @param strata columns whose combination is a randomisation stratum (site x trial group)
 * @param groups analysis groups, each a list of trial groups (pooled groups list several)
 * @param outcomes outcomes in the order the report shows them
 * @param covariates pre-specified baseline covariates of the adjusted estimate
 * @param subgroups pre-specified subgroups for the interaction tests
 * @param nonResponseCovariates per survey wave, the covariates of the response model
 * @param suppressionThreshold counts below this are withheld from released tables
 * @param receivedColumn the 0/1 column of treatment received (attended at least one session) for
 *     the complier average causal effect, or empty when the plan asks for none
 * @param minimisationFactors analysis-dataset columns the allocation was minimised on (a minimised
 *     trial): every adjusted model adds them as categorical terms, dummy-coded against their first
 *     level in sorted order (see {@link DesignMatrix#minimisationFactors}); empty for a trial
 *     randomised in permuted blocks
 */
public record AnalysisPlan(
        String name,
        List<String> strata,
        List<AnalysisGroup> groups,
        List<Outcome> outcomes,
        List<Covariate> covariates,
        List<Subgroup> subgroups,
        Map<String, List<String>> nonResponseCovariates,
        int suppressionThreshold,
        String receivedColumn,
        List<String> minimisationFactors) {

    /** A plan of a trial randomised in permuted blocks (no minimisation factors). */
    public AnalysisPlan(String name, List<String> strata, List<AnalysisGroup> groups, List<Outcome> outcomes,
                        List<Covariate> covariates, List<Subgroup> subgroups, Map<String, List<String>> nonResponseCovariates,
                        int suppressionThreshold, String receivedColumn) {
        this(name, strata, groups, outcomes, covariates, subgroups, nonResponseCovariates, suppressionThreshold, receivedColumn,
                List.of());
    }

    /** A plan without a complier average causal effect. */
    public AnalysisPlan(String name, List<String> strata, List<AnalysisGroup> groups, List<Outcome> outcomes,
                        List<Covariate> covariates, List<Subgroup> subgroups, Map<String, List<String>> nonResponseCovariates,
                        int suppressionThreshold) {
        this(name, strata, groups, outcomes, covariates, subgroups, nonResponseCovariates, suppressionThreshold, "");
    }

    public AnalysisPlan {
        requireNonNull(receivedColumn, "receivedColumn");
        requireNonNull(name, "name");
        minimisationFactors = List.copyOf(minimisationFactors);
        strata = List.copyOf(strata);
        groups = List.copyOf(groups);
        outcomes = List.copyOf(outcomes);
        covariates = List.copyOf(covariates);
        subgroups = List.copyOf(subgroups);
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        nonResponseCovariates.forEach((wave, names) -> sorted.put(wave, List.copyOf(names)));
        nonResponseCovariates = java.util.Collections.unmodifiableMap(sorted);
        if (groups.isEmpty()) throw new IllegalArgumentException("groups: at least one is needed");
        if (outcomes.isEmpty()) throw new IllegalArgumentException("outcomes: at least one is needed");
        if (suppressionThreshold < 1) throw new IllegalArgumentException("suppression_threshold must be >= 1");
    }

    /** Whether the plan asks for the complier average causal effect beside each intention-to-treat estimate. */
    public boolean complierEffect() {
        return !receivedColumn.isEmpty();
    }

    /** Whether the allocation was minimised: the adjusted models then add the minimisation factors. */
    public boolean minimised() {
        return !minimisationFactors.isEmpty();
    }

    /**
     * The minimisation factors that the adjusted models add as terms of their own: those that are
     * neither a stratum column (already in the strata dummies) nor a covariate (already in the
     * model with the plan's own coding), so no term enters twice.
     */
    public List<String> minimisationTerms() {
        return minimisationFactors.stream().filter(f -> !strata.contains(f))
                .filter(f -> covariates.stream().noneMatch(c -> c.name().equals(f))).toList();
    }

    public Covariate covariate(String covariateName) {
        return covariates.stream().filter(c -> c.name().equals(covariateName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no covariate " + covariateName));
    }

    /** An analysis group: one trial group, or several pooled. */
    public record AnalysisGroup(String name, List<String> trialGroups) {
        public AnalysisGroup {
            requireNonNull(name, "name");
            trialGroups = List.copyOf(trialGroups);
            if (trialGroups.isEmpty()) throw new IllegalArgumentException("group " + name + " lists no trial group");
        }
    }

    public enum OutcomeType { BINARY, CONTINUOUS }

    public enum OutcomeSource { ADMIN, SURVEY }

    /**
     * An outcome column of the analysis dataset.
     *
     * @param wave for survey outcomes the wave prefix (`m12`), whose `<wave>_responded` column
     *     drives the non-response weights; empty string for administrative outcomes
     * @param standardised also report the effect in control-group standard deviations
     */
    public record Outcome(String name, String label, OutcomeType type, OutcomeSource source,
                          String wave, boolean standardised) {
        public Outcome {
            requireNonNull(name, "name");
            requireNonNull(label, "label");
            requireNonNull(type, "type");
            requireNonNull(source, "source");
            requireNonNull(wave, "wave");
            if (source == OutcomeSource.SURVEY && wave.isEmpty()) {
                throw new IllegalArgumentException("survey outcome " + name + " needs a wave");
            }
        }

        public boolean survey() {
            return source == OutcomeSource.SURVEY;
        }

        public String respondedColumn() {
            return wave + "_responded";
        }
    }

    public enum CovariateKind { NUMERIC, CATEGORICAL }

    /**
     * A pre-specified baseline covariate. Categorical ones list their levels (values as they appear
     * in the dataset, with a label for the tables); the first is the reference level of the dummy
     * coding. {@code missingValues} are values that mean "missing" (e.g. prefer not to say).
     */
    public record Covariate(String name, CovariateKind kind, List<String> levels, List<String> labels,
                            List<String> missingValues) {
        public Covariate(String name, CovariateKind kind, List<String> levels) {
            this(name, kind, levels, levels, List.of());
        }

        public Covariate {
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            levels = List.copyOf(levels);
            labels = List.copyOf(labels);
            missingValues = List.copyOf(missingValues);
            if (labels.size() != levels.size()) throw new IllegalArgumentException("covariate " + name + ": one label per level");
            if (kind == CovariateKind.CATEGORICAL && levels.size() < 2) {
                throw new IllegalArgumentException("categorical covariate " + name + " needs at least two levels");
            }
            if (kind == CovariateKind.NUMERIC && !levels.isEmpty()) {
                throw new IllegalArgumentException("numeric covariate " + name + " takes no levels");
            }
        }
    }

    /**
     * A subgroup: a column cut into labelled levels, either by listing its values (with labels) or
     * by bands (from inclusive, below exclusive; a missing bound is open) of a number or a month.
     */
    public record Subgroup(String name, String column, List<String> levels, List<String> labels,
                           List<String> missingValues, List<Band> bands) {
        public Subgroup(String name, String column, List<String> levels, List<Band> bands) {
            this(name, column, levels, levels, List.of(), bands);
        }

        public Subgroup {
            requireNonNull(name, "name");
            requireNonNull(column, "column");
            levels = List.copyOf(levels);
            labels = List.copyOf(labels);
            missingValues = List.copyOf(missingValues);
            bands = List.copyOf(bands);
            if (labels.size() != levels.size()) throw new IllegalArgumentException("subgroup " + name + ": one label per level");
            if (levels.isEmpty() == bands.isEmpty()) {
                throw new IllegalArgumentException("subgroup " + name + " needs either levels or bands");
            }
        }

        public List<String> levelLabels() {
            return bands.isEmpty() ? labels : bands.stream().map(Band::label).toList();
        }
    }

    /**
     * A band: {@code from <= value < below}; a NaN bound is open. Months ({@code YYYY-MM}) are
     * compared as the month count year x 12 + month - 1 (see {@link #monthOrNumber}).
     */
    public record Band(String label, double from, double below) {
        public Band {
            requireNonNull(label, "label");
            if (!Double.isNaN(from) && !Double.isNaN(below) && !(from < below)) {
                throw new IllegalArgumentException("band " + label + ": from must be below 'below'");
            }
        }

        public boolean contains(double value) {
            return (Double.isNaN(from) || value >= from) && (Double.isNaN(below) || value < below);
        }

        /** {@code YYYY-MM} with a month 01..12 (checked by hand: this runs for every row). */
        private static boolean isMonth(String t) {
            if (t.length() != 7 || t.charAt(4) != '-') return false;
            for (int i = 0; i < 7; i++) if (i != 4 && (t.charAt(i) < '0' || t.charAt(i) > '9')) return false;
            int month = (t.charAt(5) - '0') * 10 + (t.charAt(6) - '0');
            return month >= 1 && month <= 12;
        }

        /** A number, or a month {@code YYYY-MM} as year x 12 + month - 1; null when neither. */
        public static Double monthOrNumber(String text) {
            String t = text.strip();
            if (isMonth(t)) {
                return (double) (Integer.parseInt(t.substring(0, 4)) * 12 + Integer.parseInt(t.substring(5)) - 1);
            }
            try {
                double d = Double.parseDouble(t);
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
