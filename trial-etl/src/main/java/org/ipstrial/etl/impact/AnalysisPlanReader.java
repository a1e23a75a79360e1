package org.ipstrial.etl.impact;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ipstrial.etl.impact.AnalysisPlan.AnalysisGroup;
import org.ipstrial.etl.impact.AnalysisPlan.Band;
import org.ipstrial.etl.impact.AnalysisPlan.Covariate;
import org.ipstrial.etl.impact.AnalysisPlan.CovariateKind;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;
import org.ipstrial.etl.impact.AnalysisPlan.Subgroup;

/**
 * Reads and validates an analysis plan (YAML), and gives its canonical form and SHA-256 hash. Every
 * error names the field (e.g. {@code outcomes[2].type}); unknown fields are errors too, because a
 * misspelt option silently ignored would change the analysis without anyone noticing.
 */
public final class AnalysisPlanReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalysisPlanReader() {}

    public static AnalysisPlan read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AnalysisInputException("analysis plan " + file + ": no such file", e);
        } catch (IOException e) {
            throw new AnalysisInputException("analysis plan " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    public static AnalysisPlan parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new AnalysisInputException("analysis plan " + source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new AnalysisInputException("analysis plan " + source + ": must be a mapping of fields");
        }
        try {
            return new Fields(source).plan(root);
        } catch (IllegalArgumentException e) {
            throw new AnalysisInputException("analysis plan " + source + ": " + e.getMessage(), e);
        }
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

    /** Field-by-field validation; each method knows the path of the node it reads. */
    private static final class Fields {
        private final String source;

        Fields(String source) {
            this.source = source;
        }

        AnalysisPlan plan(JsonNode root) {
            allowOnly(root, "", "plan", "strata", "suppression_threshold", "groups", "outcomes",
                    "covariates", "subgroups", "nonresponse", "complier_average_causal_effect");
            String name = text(root, "", "plan");
            List<String> strata = root.has("strata") ? names(root.get("strata"), "strata") : List.of("site", "trial_group");
            if (strata.isEmpty()) throw fail("strata", "must list at least one column (site and trial_group)");
            int threshold = root.has("suppression_threshold") ? positiveInt(root.get("suppression_threshold"), "suppression_threshold") : 10;

            List<AnalysisGroup> groups = new ArrayList<>();
            Set<String> groupNames = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : items(root, "groups", true).entrySet()) {
                String path = e.getKey();
                JsonNode g = e.getValue();
                allowOnly(g, path, "name", "trial_groups");
                String gName = text(g, path, "name");
                if (!groupNames.add(gName)) throw fail(path + ".name", "duplicate group name '" + gName + "'");
                if (!g.has("trial_groups")) throw fail(path + ".trial_groups", "is required");
                List<String> tg = names(g.get("trial_groups"), path + ".trial_groups");
                if (tg.isEmpty()) throw fail(path + ".trial_groups", "must list at least one trial group");
                groups.add(new AnalysisGroup(gName, tg));
            }

            List<Covariate> covariates = new ArrayList<>();
            Set<String> covariateNames = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : items(root, "covariates", false).entrySet()) {
                String path = e.getKey();
                JsonNode c = e.getValue();
                allowOnly(c, path, "name", "kind", "levels", "missing");
                String cName = text(c, path, "name");
                if (!covariateNames.add(cName)) throw fail(path + ".name", "duplicate covariate '" + cName + "'");
                CovariateKind kind = switch (text(c, path, "kind")) {
                    case "numeric" -> CovariateKind.NUMERIC;
                    case "categorical" -> CovariateKind.CATEGORICAL;
                    default -> throw fail(path + ".kind", "must be numeric or categorical, was '" + c.get("kind").asText() + "'");
                };
                List<String[]> pairs = c.has("levels") ? levels(c.get("levels"), path + ".levels") : List.of();
                List<String> levels = pairs.stream().map(l -> l[0]).toList();
                if (kind == CovariateKind.CATEGORICAL && levels.size() < 2) {
                    throw fail(path + ".levels", "a categorical covariate lists at least two levels (the first is the reference)");
                }
                if (kind == CovariateKind.NUMERIC && !levels.isEmpty()) throw fail(path + ".levels", "a numeric covariate takes no levels");
                List<String> missing = missingValues(c, path, levels);
                if (kind == CovariateKind.NUMERIC && !missing.isEmpty()) throw fail(path + ".missing", "a numeric covariate's missing values are empty cells");
                covariates.add(new Covariate(cName, kind, levels, pairs.stream().map(l -> l[1]).toList(), missing));
            }

            Map<String, List<String>> nonResponse = new LinkedHashMap<>();
            if (root.has("nonresponse")) {
                JsonNode nr = root.get("nonresponse");
                if (!nr.isObject()) throw fail("nonresponse", "must map each survey wave to a list of covariates");
                Iterator<Map.Entry<String, JsonNode>> it = nr.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String path = "nonresponse." + e.getKey();
                    List<String> cs = names(e.getValue(), path);
                    for (int i = 0; i < cs.size(); i++) {
                        if (!covariateNames.contains(cs.get(i))) {
                            throw fail(path + "[" + i + "]", "'" + cs.get(i) + "' is not one of the covariates");
                        }
                    }
                    nonResponse.put(e.getKey(), cs);
                }
            }

            List<Outcome> outcomes = new ArrayList<>();
            Set<String> outcomeNames = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : items(root, "outcomes", true).entrySet()) {
                String path = e.getKey();
                JsonNode o = e.getValue();
                allowOnly(o, path, "name", "label", "type", "source", "wave", "standardised");
                String oName = text(o, path, "name");
                if (!outcomeNames.add(oName)) throw fail(path + ".name", "duplicate outcome '" + oName + "'");
                if (covariateNames.contains(oName)) throw fail(path + ".name", "'" + oName + "' is also a baseline covariate");
                String label = o.has("label") ? text(o, path, "label") : oName;
                OutcomeType type = switch (text(o, path, "type")) {
                    case "binary" -> OutcomeType.BINARY;
                    case "continuous" -> OutcomeType.CONTINUOUS;
                    default -> throw fail(path + ".type", "must be binary or continuous, was '" + o.get("type").asText() + "'");
                };
                OutcomeSource src = switch (text(o, path, "source")) {
                    case "admin" -> OutcomeSource.ADMIN;
                    case "survey" -> OutcomeSource.SURVEY;
                    default -> throw fail(path + ".source", "must be admin or survey, was '" + o.get("source").asText() + "'");
                };
                String wave = "";
                if (src == OutcomeSource.SURVEY) {
                    if (!o.has("wave")) throw fail(path + ".wave", "is required for a survey outcome (e.g. m12)");
                    wave = text(o, path, "wave");
                    if (!wave.matches("m[0-9]+")) throw fail(path + ".wave", "must look like m4 or m12, was '" + wave + "'");
                    if (!nonResponse.containsKey(wave)) {
                        throw fail(path + ".wave", "no nonresponse." + wave + " covariates are given for this wave");
                    }
                } else if (o.has("wave")) {
                    throw fail(path + ".wave", "only survey outcomes have a wave");
                }
                boolean standardised = false;
                if (o.has("standardised")) {
                    if (!o.get("standardised").isBoolean()) throw fail(path + ".standardised", "must be true or false");
                    standardised = o.get("standardised").booleanValue();
                }
                outcomes.add(new Outcome(oName, label, type, src, wave, standardised));
            }

            List<Subgroup> subgroups = new ArrayList<>();
            Set<String> subgroupNames = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : items(root, "subgroups", false).entrySet()) {
                String path = e.getKey();
                JsonNode s = e.getValue();
                allowOnly(s, path, "name", "column", "levels", "missing", "bands");
                String sName = text(s, path, "name");
                if (!subgroupNames.add(sName)) throw fail(path + ".name", "duplicate subgroup '" + sName + "'");
                String column = text(s, path, "column");
                if (s.has("levels") == s.has("bands")) throw fail(path, "give either levels (values) or bands (numeric ranges)");
                List<String[]> pairs = s.has("levels") ? levels(s.get("levels"), path + ".levels") : List.of();
                List<String> levels = pairs.stream().map(l -> l[0]).toList();
                List<Band> bands = new ArrayList<>();
                if (s.has("bands")) {
                    for (Map.Entry<String, JsonNode> be : items(s, path, "bands").entrySet()) {
                        JsonNode b = be.getValue();
                        allowOnly(b, be.getKey(), "label", "from", "below");
                        double from = b.has("from") ? bound(b.get("from"), be.getKey() + ".from") : Double.NaN;
                        double below = b.has("below") ? bound(b.get("below"), be.getKey() + ".below") : Double.NaN;
                        if (!Double.isNaN(from) && !Double.isNaN(below) && !(from < below)) {
                            throw fail(be.getKey(), "from must be less than below");
                        }
                        bands.add(new Band(text(b, be.getKey(), "label"), from, below));
                    }
                    for (int i = 0; i < bands.size(); i++) {
                        for (int j = i + 1; j < bands.size(); j++) {
                            if (overlap(bands.get(i), bands.get(j))) {
                                throw fail(path + ".bands[" + j + "]", "overlaps band '" + bands.get(i).label() + "'");
                            }
                        }
                    }
                }
                int count = levels.isEmpty() ? bands.size() : levels.size();
                if (count < 2) throw fail(path, "a subgroup needs at least two levels or bands");
                List<String> missing = missingValues(s, path, levels);
                if (!bands.isEmpty() && !missing.isEmpty()) throw fail(path + ".missing", "only a subgroup given by levels has missing values");
                subgroups.add(new Subgroup(sName, column, levels, pairs.stream().map(l -> l[1]).toList(), missing, bands));
            }
            String received = "";
            if (root.has("complier_average_causal_effect")) {
                String path = "complier_average_causal_effect";
                JsonNode c = root.get(path);
                if (!c.isObject()) throw fail(path, "must be a mapping with the field 'received'");
                allowOnly(c, path, "received");
                received = text(c, path, "received");
                if (!received.matches("[A-Za-z0-9_]+")) throw fail(path + ".received", "must be a column name (letters, digits, _)");
                if (covariateNames.contains(received)) throw fail(path + ".received", "'" + received + "' is a baseline covariate; "
                        + "the treatment received happens after randomisation");
                if (outcomeNames.contains(received)) throw fail(path + ".received", "'" + received + "' is also an outcome");
            }
            return new AnalysisPlan(name, strata, groups, outcomes, covariates, subgroups, nonResponse, threshold, received);
        }

        private static boolean overlap(Band a, Band b) {
            double aFrom = Double.isNaN(a.from()) ? Double.NEGATIVE_INFINITY : a.from();
            double aBelow = Double.isNaN(a.below()) ? Double.POSITIVE_INFINITY : a.below();
            double bFrom = Double.isNaN(b.from()) ? Double.NEGATIVE_INFINITY : b.from();
            double bBelow = Double.isNaN(b.below()) ? Double.POSITIVE_INFINITY : b.below();
            return aFrom < bBelow && bFrom < aBelow;
        }

        private Map<String, JsonNode> items(JsonNode parent, String field, boolean required) {
            return items(parent, "", field, required);
        }

        private Map<String, JsonNode> items(JsonNode parent, String parentPath, String field) {
            return items(parent, parentPath, field, true);
        }

        private Map<String, JsonNode> items(JsonNode parent, String parentPath, String field, boolean required) {
            String path = join(parentPath, field);
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (!parent.has(field) || parent.get(field).isNull()) {
                if (required) throw fail(path, "is required");
                return out;
            }
            JsonNode list = parent.get(field);
            if (!list.isArray()) throw fail(path, "must be a list");
            if (required && list.isEmpty()) throw fail(path, "must list at least one entry");
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String itemPath = path + "[" + i + "]";
                if (!item.isObject()) throw fail(itemPath, "must be a mapping of fields");
                out.put(itemPath, item);
            }
            return out;
        }

        private void allowOnly(JsonNode node, String path, String... allowed) {
            Set<String> ok = Set.of(allowed);
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!ok.contains(n)) throw fail(join(path, n), "is not a known field (known: " + String.join(", ", allowed) + ")");
            }
        }

        private String text(JsonNode node, String path, String field) {
            String p = join(path, field);
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw fail(p, "is required");
            if (!v.isTextual() && !v.isNumber()) throw fail(p, "must be a text value");
            String s = v.asText().strip();
            if (s.isEmpty()) throw fail(p, "must not be empty");
            return s;
        }

        private List<String> names(JsonNode node, String path) {
            if (!node.isArray()) throw fail(path, "must be a list");
            List<String> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (!(v.isTextual() || v.isNumber()) || v.asText().isBlank()) throw fail(path + "[" + i + "]", "must be a non-empty text value");
                String s = v.asText().strip();
                if (!seen.add(s)) throw fail(path + "[" + i + "]", "'" + s + "' is listed twice");
                out.add(s);
            }
            return out;
        }

        private int positiveInt(JsonNode node, String path) {
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
                throw fail(path, "must be a whole number of at least 1, was '" + node.asText() + "'");
            }
            return node.intValue();
        }

        private double bound(JsonNode node, String path) {
            if (node.isNumber()) return node.doubleValue();
            Double month = node.isTextual() && node.asText().strip().matches("[0-9]{4}-[0-9]{2}") ? Band.monthOrNumber(node.asText()) : null;
            if (month == null) throw fail(path, "must be a number or a month YYYY-MM, was '" + node.asText() + "'");
            return month;
        }

        /** Values that mean missing (e.g. prefer_not_to_say): none may also be a level. */
        private List<String> missingValues(JsonNode node, String path, List<String> levels) {
            if (!node.has("missing")) return List.of();
            List<String> missing = names(node.get("missing"), path + ".missing");
            for (int i = 0; i < missing.size(); i++) {
                if (levels.contains(missing.get(i))) throw fail(path + ".missing[" + i + "]", "'" + missing.get(i) + "' is also a level");
            }
            return missing;
        }

        /** Levels: each a value (its own label) or {value, label}; values and labels distinct. */
        private List<String[]> levels(JsonNode node, String path) {
            if (!node.isArray()) throw fail(path, "must be a list");
            List<String[]> out = new ArrayList<>();
            Set<String> values = new HashSet<>();
            Set<String> labels = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                String itemPath = path + "[" + i + "]";
                String value;
                String label;
                if (v.isObject()) {
                    allowOnly(v, itemPath, "value", "label");
                    value = text(v, itemPath, "value");
                    label = v.has("label") ? text(v, itemPath, "label") : value;
                } else if ((v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
                    value = v.asText().strip();
                    label = value;
                } else {
                    throw fail(itemPath, "must be a value or {value, label}");
                }
                if (!values.add(value)) throw fail(itemPath, "'" + value + "' is listed twice");
                if (!labels.add(label)) throw fail(itemPath, "label '" + label + "' is used twice");
                out.add(new String[] {value, label});
            }
            return out;
        }

        private static String join(String path, String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        private AnalysisInputException fail(String path, String message) {
            return new AnalysisInputException("analysis plan " + source + ": " + path + ": " + message);
        }
    }
}
