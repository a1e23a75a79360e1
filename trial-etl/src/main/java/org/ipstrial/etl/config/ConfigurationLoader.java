package org.ipstrial.etl.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipstrial.etl.config.EtlConfiguration.AdministrativeSource;
import org.ipstrial.etl.config.EtlConfiguration.SurveyWave;
import org.ipstrial.etl.derive.OutOfWorkBenefitSet;
import org.ipstrial.etl.derive.Questionnaires;
import org.ipstrial.etl.derive.ScoreDefinition;

/**
 * Reads and validates the YAML configuration. Every problem names the file and the field (e.g.
 * {@code payroll.extractDate}); unknown fields are errors, so a typo cannot silently change a run.
 */
public final class ConfigurationLoader {
    /** The reference questionnaire definitions, used when the configuration names none. */
    public static final String REFERENCE_QUESTIONNAIRES = "/org/ipstrial/etl/reference-questionnaires.yml";

    private static final Pattern WAVE_CODE = Pattern.compile("(\\d{1,3})m");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigurationLoader() {}

    public static EtlConfiguration load(Path configFile) {
        JsonNode root = readYaml(configFile, "configuration file");
        Reader r = new Reader(configFile, root);
        Path base = configFile.toAbsolutePath().getParent();
        r.allowOnly("", root, Set.of("participants", "baseline", "payroll", "benefits", "surveyWaves",
                "pseudonymisationKeyFile", "outputFolder", "options", "delivery"));

        Path participants = r.path(base, "participants", root.get("participants"));
        Path baseline = r.path(base, "baseline", root.get("baseline"));
        AdministrativeSource payroll = r.adminSource(base, "payroll", root.get("payroll"));
        AdministrativeSource benefits = r.adminSource(base, "benefits", root.get("benefits"));
        List<SurveyWave> waves = r.waves(base, root.get("surveyWaves"));
        Path key = r.path(base, "pseudonymisationKeyFile", root.get("pseudonymisationKeyFile"));
        Path out = r.path(base, "outputFolder", root.get("outputFolder"));
        Optional<Path> delivery = root.has("delivery") ? Optional.of(r.path(base, "delivery", root.get("delivery"))) : Optional.empty();

        JsonNode options = root.get("options");
        OutOfWorkBenefitSet oow = OutOfWorkBenefitSet.reference();
        Questionnaires questionnaires;
        String questionnairesSource = "reference (built in)";
        Optional<Path> eq5d = Optional.empty();
        Optional<Path> swemwbs = Optional.empty();
        boolean crosswalk = false;
        Path scratch = out.resolve("restricted").resolve("scratch");
        int memoryBudget = EtlConfiguration.DEFAULT_MEMORY_BUDGET_MEGABYTES;
        Optional<Path> questionnaireFile = Optional.empty();
        if (options != null && !options.isNull()) {
            r.requireObject("options", options);
            r.allowOnly("options.", options, Set.of("outOfWorkBenefits", "questionnaires", "eq5dValueSet",
                    "swemwbsConversion", "writeCrosswalk", "scratchFolder", "memoryBudgetMegabytes"));
            if (options.has("outOfWorkBenefits")) {
                oow = r.outOfWork(options.get("outOfWorkBenefits"));
            }
            if (options.has("questionnaires")) {
                questionnaireFile = Optional.of(r.path(base, "options.questionnaires", options.get("questionnaires")));
            }
            if (options.has("eq5dValueSet")) {
                eq5d = Optional.of(r.path(base, "options.eq5dValueSet", options.get("eq5dValueSet")));
            }
            if (options.has("swemwbsConversion")) {
                swemwbs = Optional.of(r.path(base, "options.swemwbsConversion", options.get("swemwbsConversion")));
            }
            if (options.has("writeCrosswalk")) {
                JsonNode w = options.get("writeCrosswalk");
                if (!w.isBoolean()) {
                    throw r.error("options.writeCrosswalk", "must be true or false");
                }
                crosswalk = w.booleanValue();
            }
            if (options.has("scratchFolder")) {
                scratch = r.path(base, "options.scratchFolder", options.get("scratchFolder"));
            }
            if (options.has("memoryBudgetMegabytes")) {
                memoryBudget = r.integer("options.memoryBudgetMegabytes", options.get("memoryBudgetMegabytes"));
                if (memoryBudget < 16) {
                    throw r.error("options.memoryBudgetMegabytes", "must be at least 16 (megabytes)");
                }
            }
        }
        if (questionnaireFile.isPresent()) {
            questionnaires = loadQuestionnaires(questionnaireFile.get(), readYaml(questionnaireFile.get(), "questionnaire definitions"));
            questionnairesSource = questionnaireFile.get().getFileName().toString();
        } else {
            questionnaires = loadReferenceQuestionnaires();
        }
        return new EtlConfiguration(configFile, participants, baseline, payroll, benefits, waves, key, out, oow,
                questionnaires, questionnairesSource, eq5d, swemwbs, crosswalk, scratch, memoryBudget, delivery);
    }

    public static Questionnaires loadReferenceQuestionnaires() {
        try (InputStream in = ConfigurationLoader.class.getResourceAsStream(REFERENCE_QUESTIONNAIRES)) {
            if (in == null) {
                throw new IllegalStateException("reference questionnaires missing from the program");
            }
            return loadQuestionnaires(Path.of("reference-questionnaires.yml"), YAML.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("reference questionnaires unreadable", e);
        }
    }

    static Questionnaires loadQuestionnaires(Path file, JsonNode root) {
        Reader r = new Reader(file, root);
        r.allowOnly("", root, Set.of("scores", "carriedItems"));
        List<ScoreDefinition> scores = new ArrayList<>();
        JsonNode scoreNodes = root.get("scores");
        if (scoreNodes == null || !scoreNodes.isArray() || scoreNodes.isEmpty()) {
            throw r.error("scores", "must be a non-empty list");
        }
        for (int i = 0; i < scoreNodes.size(); i++) {
            String field = "scores[" + i + "]";
            JsonNode s = scoreNodes.get(i);
            r.requireObject(field, s);
            r.allowOnly(field + ".", s, Set.of("name", "label", "items", "min", "max", "proratedMissingItems", "precision"));
            List<String> items = r.stringList(field + ".items", s.get("items"));
            try {
                scores.add(new ScoreDefinition(r.text(field + ".name", s.get("name")), r.text(field + ".label", s.get("label")),
                        items, r.integer(field + ".min", s.get("min")), r.integer(field + ".max", s.get("max")),
                        s.has("proratedMissingItems") ? r.integer(field + ".proratedMissingItems", s.get("proratedMissingItems")) : 0,
                        s.has("precision") ? r.integer(field + ".precision", s.get("precision")) : 0));
            } catch (IllegalArgumentException e) {
                throw r.error(field, e.getMessage());
            }
        }
        List<Questionnaires.CarriedItem> carried = new ArrayList<>();
        JsonNode carriedNodes = root.get("carriedItems");
        if (carriedNodes != null) {
            if (!carriedNodes.isArray()) {
                throw r.error("carriedItems", "must be a list");
            }
            for (int i = 0; i < carriedNodes.size(); i++) {
                String field = "carriedItems[" + i + "]";
                JsonNode c = carriedNodes.get(i);
                r.requireObject(field, c);
                r.allowOnly(field + ".", c, Set.of("name", "label", "min", "max", "codes", "decimals"));
                int decimals = c.has("decimals") ? r.integer(field + ".decimals", c.get("decimals")) : 0;
                if (decimals < 0 || decimals > org.ipstrial.etl.derive.SurveyItem.MAX_DECIMALS) {
                    throw r.error(field + ".decimals", "must be 0.." + org.ipstrial.etl.derive.SurveyItem.MAX_DECIMALS);
                }
                carried.add(new Questionnaires.CarriedItem(r.text(field + ".name", c.get("name")),
                        r.text(field + ".label", c.get("label")), r.integer(field + ".min", c.get("min")),
                        r.integer(field + ".max", c.get("max")), c.has("codes") ? r.text(field + ".codes", c.get("codes")) : "",
                        decimals));
            }
        }
        try {
            return new Questionnaires(scores, carried);
        } catch (IllegalArgumentException e) {
            throw r.error("scores", e.getMessage());
        }
    }

    private static JsonNode readYaml(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(what + " " + file + " does not exist");
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ConfigurationException(what + " " + file + " must be a YAML mapping of fields");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigurationException(what + " " + file + " is not valid YAML (line " + line + ")");
        } catch (IOException e) {
            throw new ConfigurationException(what + " " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** Field readers that name the file and field in every error. */
    private static final class Reader {
        private final Path file;

        Reader(Path file, JsonNode root) {
            this.file = file;
        }

        ConfigurationException error(String field, String problem) {
            return new ConfigurationException("configuration " + file + ": field '" + field + "' " + problem);
        }

        void requireObject(String field, JsonNode node) {
            if (node == null || !node.isObject()) {
                throw error(field, "must be a mapping of fields");
            }
        }

        void allowOnly(String prefix, JsonNode node, Set<String> allowed) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                String name = it.next().getKey();
                if (!allowed.contains(name)) {
                    throw error(prefix + name, "is not a known field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        String text(String field, JsonNode node) {
            if (node == null || node.isNull()) {
                throw error(field, "is required");
            }
            if (!node.isValueNode() || node.asText().isBlank()) {
                throw error(field, "must be a non-blank text value");
            }
            return node.asText().strip();
        }

        int integer(String field, JsonNode node) {
            if (node == null || !node.isInt()) {
                throw error(field, "must be a whole number");
            }
            return node.intValue();
        }

        Path path(Path base, String field, JsonNode node) {
            return base.resolve(text(field, node)).normalize();
        }

        List<String> stringList(String field, JsonNode node) {
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw error(field, "must be a non-empty list");
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                values.add(text(field + "[" + i + "]", node.get(i)));
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw error(field, "lists a value twice");
            }
            return values;
        }

        AdministrativeSource adminSource(Path base, String field, JsonNode node) {
            requireObject(field, node);
            allowOnly(field + ".", node, Set.of("file", "extractDate"));
            Path file = path(base, field + ".file", node.get("file"));
            String date = text(field + ".extractDate", node.get("extractDate"));
            try {
                return new AdministrativeSource(file, LocalDate.parse(date));
            } catch (DateTimeParseException e) {
                throw error(field + ".extractDate", "must be a date written YYYY-MM-DD");
            }
        }

        List<SurveyWave> waves(Path base, JsonNode node) {
            requireObject("surveyWaves", node);
            List<SurveyWave> waves = new ArrayList<>();
            Set<Integer> months = new LinkedHashSet<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "surveyWaves." + e.getKey();
                Matcher m = WAVE_CODE.matcher(e.getKey().strip());
                if (!m.matches()) {
                    throw error(field, "is not a wave code: write the months then m, e.g. 4m or 12m");
                }
                int month = Integer.parseInt(m.group(1));
                if (month < 1 || month > 120 || !months.add(month)) {
                    throw error(field, "must be 1m..120m and appear once");
                }
                waves.add(new SurveyWave(e.getKey().strip(), month, path(base, field, e.getValue())));
            }
            waves.sort(java.util.Comparator.comparingInt(SurveyWave::months));
            return waves;
        }

        OutOfWorkBenefitSet outOfWork(JsonNode node) {
            String field = "options.outOfWorkBenefits";
            requireObject(field, node);
            allowOnly(field + ".", node, Set.of("benefits", "ucRegimesNotOutOfWork"));
            List<String> benefits = stringList(field + ".benefits", node.get("benefits"));
            List<String> regimes = node.has("ucRegimesNotOutOfWork") && !node.get("ucRegimesNotOutOfWork").isEmpty()
                    ? stringList(field + ".ucRegimesNotOutOfWork", node.get("ucRegimesNotOutOfWork")) : List.of();
            for (String regime : regimes) {
                if (!org.ipstrial.etl.link.BenefitRows.UC_REGIMES.contains(regime)) {
                    throw error(field + ".ucRegimesNotOutOfWork", "names an unknown regime (known: "
                            + String.join(", ", org.ipstrial.etl.link.BenefitRows.UC_REGIMES) + ")");
                }
            }
            return new OutOfWorkBenefitSet(Set.copyOf(benefits), Set.copyOf(regimes));
        }
    }
}
