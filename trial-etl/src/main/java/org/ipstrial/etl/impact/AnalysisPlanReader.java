package org.ipstrial.etl.impact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.ConfigFileException;
import org.ipstrial.config.Problem;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Band;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.ipstrial.etl.impact.AnalysisPlan.Subgroup;

/**
 * Reads an analysis plan (config/analysis-demo.yml) with the project's one configuration reader, and
 * gives its canonical form and SHA-256 hash. Unknown fields are errors too, because a misspelt
 * option silently ignored would change the analysis without anyone noticing.
 */
public final class AnalysisPlanReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalysisPlanReader() {}

    /** The plan as written. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PlanFile(@NotBlank String plan, @Valid List<@NotBlank String> strata, @Min(value = 1,
            message = "must be a whole number of at least 1") Integer suppressionThreshold, @NotEmpty @Valid List<GroupFile> groups,
            @NotEmpty @Valid List<OutcomeFile> outcomes, @Valid List<CovariateFile> covariates, @Valid List<SubgroupFile> subgroups,
            Map<String, List<@NotBlank String>> nonresponse, @Valid Complier complierAverageCausalEffect,
            List<@NotBlank @Pattern(regexp = "[A-Za-z0-9_]+", message = "must be a column name (letters, digits, _)") String>
                    minimisationFactors)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            if (strata != null) {
                problems.addAll(strata.isEmpty() ? List.of(Problem.at("must list at least one column (site and trial_group)", "strata"))
                        : twice(strata, "strata"));
            }
            problems.addAll(twice(groups.stream().map(GroupFile::name).toList(), "duplicate group name", "groups"));
            problems.addAll(twice(outcomes.stream().map(OutcomeFile::name).toList(), "duplicate outcome", "outcomes"));
            problems.addAll(twice(covariates.stream().map(CovariateFile::name).toList(), "duplicate covariate", "covariates"));
            problems.addAll(twice(subgroups.stream().map(SubgroupFile::name).toList(), "duplicate subgroup", "subgroups"));
            Set<String> covariateNames = new HashSet<>(covariates.stream().map(CovariateFile::name).toList());
            nonresponse.forEach((wave, names) -> {
                problems.addAll(twice(names, "nonresponse", wave));
                for (int i = 0; i < names.size(); i++) {
                    if (!covariateNames.contains(names.get(i))) {
                        problems.add(Problem.at("'" + names.get(i) + "' is not one of the covariates", "nonresponse", wave, i));
                    }
                }
            });
            for (int i = 0; i < outcomes.size(); i++) {
                OutcomeFile o = outcomes.get(i);
                if (covariateNames.contains(o.name())) {
                    problems.add(Problem.at("'" + o.name() + "' is also a baseline covariate", "outcomes", i, "name"));
                }
                if (o.wave() != null && o.source() == OutcomeSource.SURVEY && !nonresponse.containsKey(o.wave())) {
                    problems.add(Problem.at("no nonresponse." + o.wave() + " covariates are given for this wave", "outcomes", i, "wave"));
                }
            }
            problems.addAll(twice(minimisationFactors, null, "minimisation_factors"));
            for (int i = 0; i < minimisationFactors.size(); i++) {
                String factor = minimisationFactors.get(i);
                if (outcomes.stream().anyMatch(o -> o.name().equals(factor))) {
                    problems.add(Problem.at("'" + factor + "' is an outcome; a minimisation factor is known at randomisation",
                            "minimisation_factors", i));
                }
            }
            String received = complierAverageCausalEffect == null ? null : complierAverageCausalEffect.received();
            if (covariateNames.contains(received)) {
                problems.add(Problem.at("'" + received + "' is a baseline covariate; the treatment received happens after randomisation",
                        "complier_average_causal_effect", "received"));
            }
            if (outcomes.stream().anyMatch(o -> o.name().equals(received))) {
                problems.add(Problem.at("'" + received + "' is also an outcome", "complier_average_causal_effect", "received"));
            }
            return problems;
        }

        /** Optional lists are empty when left out. */
        PlanFile {
            covariates = Objects.requireNonNullElse(covariates, List.of());
            subgroups = Objects.requireNonNullElse(subgroups, List.of());
            nonresponse = Objects.requireNonNullElse(nonresponse, Map.of());
            minimisationFactors = Objects.requireNonNullElse(minimisationFactors, List.of());
        }
    }

    /** The 0/1 column of treatment received, for the complier average causal effect. */
    record Complier(@NotNull @Pattern(regexp = "[A-Za-z0-9_]+", message = "must be a column name (letters, digits, _)") String received) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GroupFile(@NotBlank String name, @NotEmpty List<@NotBlank String> trialGroups) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return twice(trialGroups, "trial_groups");
        }
    }

    record OutcomeFile(@NotBlank String name, String label, @NotNull OutcomeType type, @NotNull OutcomeSource source,
            @Pattern(regexp = "m[0-9]+", message = "must look like m4 or m12") String wave, Boolean standardised)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            if (source == OutcomeSource.SURVEY && wave == null) {
                return List.of(Problem.at("is required for a survey outcome (e.g. m12)", "wave"));
            }
            return source == OutcomeSource.ADMIN && wave != null ? List.of(Problem.at("only survey outcomes have a wave", "wave")) : List.of();
        }
    }

    /** A level: a value as written in the dataset (its own label), or {value, label}. */
    record Level(@NotBlank String value, String label) {
        @JsonCreator
        Level {}

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Level of(String value) {
            return new Level(value, null);
        }

        /** A level written as a number ({@code levels: [1, 2, 3]}) is the same text as in the dataset. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Level of(long value) {
            return new Level(Long.toString(value), null);
        }

        String labelOrValue() {
            return label == null ? value : label;
        }
    }

    record CovariateFile(@NotBlank String name, @NotNull CovariateKind kind, @Valid List<@NotNull Level> levels,
            List<@NotBlank String> missing) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>(levelProblems(levels, missing));
            if (kind == CovariateKind.CATEGORICAL && levels.size() < 2) {
                problems.add(Problem.at("a categorical covariate lists at least two levels (the first is the reference)", "levels"));
            }
            if (kind == CovariateKind.NUMERIC && !levels.isEmpty()) {
                problems.add(Problem.at("a numeric covariate takes no levels", "levels"));
            }
            if (kind == CovariateKind.NUMERIC && missing != null) {
                problems.add(Problem.at("a numeric covariate's missing values are empty cells", "missing"));
            }
            return problems;
        }

        CovariateFile {
            levels = Objects.requireNonNullElse(levels, List.of());
        }
    }

    record SubgroupFile(@NotBlank String name, @NotBlank String column, @Valid List<@NotNull Level> levels, List<@NotBlank String> missing,
            @Valid List<@NotNull BandFile> bands) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            if ((levels == null) == (bands == null)) {
                return List.of(Problem.at("give either levels (values) or bands (numeric ranges)"));
            }
            List<Problem> problems = new ArrayList<>(levelProblems(levels == null ? List.of() : levels, missing));
            if ((levels == null ? bands.size() : levels.size()) < 2) {
                problems.add(Problem.at("a subgroup needs at least two levels or bands"));
            }
            if (bands != null && missing != null) {
                problems.add(Problem.at("only a subgroup given by levels has missing values", "missing"));
            }
            for (int j = 0; bands != null && j < bands.size(); j++) {
                for (int i = 0; i < j; i++) {
                    if (bands.get(i).sound() && bands.get(j).sound() && overlap(bands.get(i).band(), bands.get(j).band())) {
                        problems.add(Problem.at("overlaps band '" + bands.get(i).label() + "'", "bands", j));
                    }
                }
            }
            return problems;
        }
    }

    /** A numeric range; a bound is a number or a month YYYY-MM (months count from year 0). */
    record BandFile(@NotBlank String label, String from, String below) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            for (String bound : List.of("from", "below")) {
                String text = bound.equals("from") ? from : below;
                if (text != null && (!text.strip().matches("[0-9]{4}-[0-9]{2}|[-+.0-9eE]+") || Band.monthOrNumber(text) == null)) {
                    problems.add(Problem.at("must be a number or a month YYYY-MM, was '" + text + "'", bound));
                }
            }
            if (problems.isEmpty() && !Double.isNaN(value(from)) && !Double.isNaN(value(below)) && !(value(from) < value(below))) {
                problems.add(Problem.at("from must be less than below"));
            }
            return problems;
        }

        boolean sound() {
            return problems().isEmpty();
        }

        Band band() {
            return new Band(label, value(from), value(below));
        }

        private static double value(String bound) {
            Double value = bound == null ? null : Band.monthOrNumber(bound);
            return value == null ? Double.NaN : value;
        }
    }

    /** Values listed once, labels used once, and no value that means missing also a level. */
    private static List<Problem> levelProblems(List<Level> levels, List<String> missing) {
        List<Problem> problems = new ArrayList<>();
        Set<String> values = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < levels.size(); i++) {
            if (!values.add(levels.get(i).value())) {
                problems.add(Problem.at("'" + levels.get(i).value() + "' is listed twice", "levels", i));
            } else if (!labels.add(levels.get(i).labelOrValue())) {
                problems.add(Problem.at("label '" + levels.get(i).labelOrValue() + "' is used twice", "levels", i));
            }
        }
        List<String> missingValues = missing == null ? List.of() : missing;
        problems.addAll(twice(missingValues, "missing"));
        for (int i = 0; i < missingValues.size(); i++) {
            if (values.contains(missingValues.get(i))) {
                problems.add(Problem.at("'" + missingValues.get(i) + "' is also a level", "missing", i));
            }
        }
        return problems;
    }

    private static List<Problem> twice(List<String> names, Object... at) {
        return twice(names, null, at);
    }

    /** Each name given a second time; {@code what} words the problem ("duplicate outcome 'x'") or null for "'x' is listed twice". */
    private static List<Problem> twice(List<String> names, String what, Object... at) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                List<Object> path = new ArrayList<>(List.of(at));
                path.add(i);
                if (what != null) {
                    path.add("name");
                }
                problems.add(new Problem(path, what == null ? "'" + names.get(i) + "' is listed twice" : what + " '" + names.get(i) + "'"));
            }
        }
        return problems;
    }

    private static boolean overlap(Band a, Band b) {
        double aFrom = Double.isNaN(a.from()) ? Double.NEGATIVE_INFINITY : a.from();
        double aBelow = Double.isNaN(a.below()) ? Double.POSITIVE_INFINITY : a.below();
        double bFrom = Double.isNaN(b.from()) ? Double.NEGATIVE_INFINITY : b.from();
        double bBelow = Double.isNaN(b.below()) ? Double.POSITIVE_INFINITY : b.below();
        return aFrom < bBelow && bFrom < aBelow;
    }

    public static AnalysisPlan read(Path file) {
        return read(reader -> reader.read(file, AnalysisPlanReader::plan), file.getFileName().toString());
    }

    public static AnalysisPlan parse(String yaml, String source) {
        return read(reader -> reader.parse(yaml, "analysis plan " + source, AnalysisPlanReader::plan), source);
    }

    private static AnalysisPlan read(Function<ConfigFile<PlanFile>, AnalysisPlan> reading, String source) {
        try {
            return reading.apply(ConfigFile.of(PlanFile.class));
        } catch (ConfigFileException e) {
            String message = e.getMessage();
            throw new AnalysisInputException(message.startsWith("analysis plan ") ? message : "analysis plan " + message, e);
        }
    }

    private static AnalysisPlan plan(PlanFile file) {
        return new AnalysisPlan(file.plan(), Objects.requireNonNullElse(file.strata(), List.of("site", "trial_group")),
                file.groups().stream().map(g -> new AnalysisGroup(g.name(), g.trialGroups())).toList(),
                file.outcomes().stream().map(o -> new Outcome(o.name(), Objects.requireNonNullElse(o.label(), o.name()), o.type(),
                        o.source(), Objects.requireNonNullElse(o.wave(), ""), Boolean.TRUE.equals(o.standardised()))).toList(),
                file.covariates().stream().map(c -> new Covariate(c.name(), c.kind(), c.levels().stream().map(Level::value).toList(),
                        c.levels().stream().map(Level::labelOrValue).toList(), Objects.requireNonNullElse(c.missing(), List.of()))).toList(),
                file.subgroups().stream().map(s -> new Subgroup(s.name(), s.column(), values(s.levels, Level::value),
                        values(s.levels, Level::labelOrValue), Objects.requireNonNullElse(s.missing(), List.of()),
                        s.bands() == null ? List.of() : s.bands().stream().map(BandFile::band).toList())).toList(),
                file.nonresponse(), Objects.requireNonNullElse(file.suppressionThreshold(), 10),
                file.complierAverageCausalEffect() == null ? "" : file.complierAverageCausalEffect().received(),
                file.minimisationFactors());
    }

    private static List<String> values(List<Level> levels, Function<Level, String> part) {
        return levels == null ? List.of() : levels.stream().map(part).toList();
    }

    /**
     * The canonical bytes of a plan: compact JSON with a fixed key order and every default written
     * out. Comments, layout and the order of YAML keys do not change it; any change of substance does.
     */
    public static byte[] canonicalBytes(AnalysisPlan plan) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("plan", plan.name());
        ArrayNode strata = root.putArray("strata");
        plan.strata().forEach(strata::add);
        root.put("suppression_threshold", plan.suppressionThreshold());
        ArrayNode groups = root.putArray("groups");
        for (AnalysisGroup g : plan.groups()) {
            ObjectNode n = groups.addObject();
            n.put("name", g.name());
            ArrayNode tg = n.putArray("trial_groups");
            g.trialGroups().forEach(tg::add);
        }
        ArrayNode outcomes = root.putArray("outcomes");
        for (Outcome o : plan.outcomes()) {
            ObjectNode n = outcomes.addObject();
            n.put("name", o.name());
            n.put("label", o.label());
            n.put("type", o.type().name().toLowerCase(Locale.ROOT));
            n.put("source", o.source().name().toLowerCase(Locale.ROOT));
            n.put("wave", o.wave());
            n.put("standardised", o.standardised());
        }
        ArrayNode covariates = root.putArray("covariates");
        for (Covariate c : plan.covariates()) {
            ObjectNode n = covariates.addObject();
            n.put("name", c.name());
            n.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode levels = n.putArray("levels");
            c.levels().forEach(levels::add);
            ArrayNode labels = n.putArray("labels");
            c.labels().forEach(labels::add);
            ArrayNode missing = n.putArray("missing");
            c.missingValues().forEach(missing::add);
        }
        ArrayNode subgroups = root.putArray("subgroups");
        for (Subgroup s : plan.subgroups()) {
            ObjectNode n = subgroups.addObject();
            n.put("name", s.name());
            n.put("column", s.column());
            ArrayNode levels = n.putArray("levels");
            s.levels().forEach(levels::add);
            ArrayNode labels = n.putArray("labels");
            s.labels().forEach(labels::add);
            ArrayNode missing = n.putArray("missing");
            s.missingValues().forEach(missing::add);
            ArrayNode bands = n.putArray("bands");
            for (Band b : s.bands()) {
                ObjectNode bn = bands.addObject();
                bn.put("label", b.label());
                if (Double.isNaN(b.from())) bn.putNull("from"); else bn.put("from", b.from());
                if (Double.isNaN(b.below())) bn.putNull("below"); else bn.put("below", b.below());
            }
        }
        ObjectNode nonResponse = root.putObject("nonresponse");
        plan.nonResponseCovariates().forEach((wave, names) -> {
            ArrayNode a = nonResponse.putArray(wave);
            names.forEach(a::add);
        });
        // Written only when present, so the hash of every plan without it is what it always was.
        if (plan.complierEffect()) root.putObject("complier_average_causal_effect").put("received", plan.receivedColumn());
        if (plan.minimised()) {
            ArrayNode factors = root.putArray("minimisation_factors");
            plan.minimisationFactors().forEach(factors::add);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /** Lower-case hex SHA-256 of {@link #canonicalBytes}. */
    public static String sha256(AnalysisPlan plan) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes(plan)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

}
