package org.ipstrial.api.core.definition;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipstrial.api.core.definition.TrialDefinition.BaselineItem;
import org.ipstrial.api.core.definition.TrialDefinition.EligibilityRules;
import org.ipstrial.api.core.definition.TrialDefinition.ItemType;

/** Reads a trial definition YAML and checks it, naming the file, line and field of every problem. */
public final class TrialDefinitionFile {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** Record components that may be left out; every other one is required. */
    private static final Set<String> OPTIONAL = Set.of("trialGroups", "codes", "min", "max");

    private TrialDefinitionFile() {}

    public static TrialDefinition load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DefinitionException(file, 0, "", "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        TrialDefinition definition;
        try {
            definition = YAML.readValue(text, TrialDefinition.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DefinitionException(file, line, field, e.getOriginalMessage());
        } catch (IOException e) {
            throw new DefinitionException(file, 0, "", "is not valid YAML: " + e.getMessage());
        }
        YamlLocations locations = YamlLocations.of(text);
        List<String> missing = new ArrayList<>();
        missingFields(definition, "", missing);
        if (!missing.isEmpty()) {
            throw new DefinitionException(file, locations.lineOf(missing.get(0).replaceAll("/[^/]*$", "")),
                    missing.get(0).substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.'), "is required");
        }
        new Checker(file, locations).check(definition);
        return definition;
    }

    /** Pointers of required record components left out of the file (null after binding). */
    private static void missingFields(Object value, String pointer, List<String> missing) {
        if (value instanceof Record record) {
            for (var component : record.getClass().getRecordComponents()) {
                Object child;
                try {
                    child = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                String at = pointer + "/" + component.getName();
                if (child == null) {
                    if (!OPTIONAL.contains(component.getName())) {
                        missing.add(at);
                    }
                } else {
                    missingFields(child, at, missing);
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                missingFields(list.get(i), pointer + "/" + i, missing);
            }
        }
    }

    /** Semantic checks, collected so a manager sees every problem at once. */
    private static final class Checker {
        private final Path file;
        private final YamlLocations lines;
        private final List<String> problems = new ArrayList<>();

        Checker(Path file, YamlLocations lines) {
            this.file = file;
            this.lines = lines;
        }

        private void problem(String pointer, String message) {
            String field = pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
            problems.add(file + ":" + lines.lineOf(pointer) + ": " + field + ": " + message);
        }

        void check(TrialDefinition d) {
            if (d.sites().isEmpty()) {
                problem("/sites", "at least one site is needed");
            }
            unique(d.sites().stream().map(TrialDefinition.Site::code).toList(), "/sites", "code");
            for (int i = 0; i < d.sites().size(); i++) {
                var site = d.sites().get(i);
                if (site.areas().isEmpty()) {
                    problem("/sites/" + i + "/areas", "site " + site.code() + " needs at least one area");
                }
                unique(site.areas().stream().map(TrialDefinition.Area::code).toList(), "/sites/" + i + "/areas", "code");
            }
            unique(d.trialGroups().stream().map(TrialDefinition.TrialGroup::code).toList(), "/trialGroups", "code");
            for (int i = 0; i < d.trialGroups().size(); i++) {
                var group = d.trialGroups().get(i);
                if (d.site(group.site()).isEmpty()) {
                    problem("/trialGroups/" + i + "/site", "unknown site '" + group.site() + "'");
                }
                if (group.target() < 0) {
                    problem("/trialGroups/" + i + "/target", "must not be negative");
                }
                if (group.recruitmentEnd().isBefore(group.recruitmentStart())) {
                    problem("/trialGroups/" + i + "/recruitmentEnd", "is before recruitmentStart");
                }
            }
            if (d.eligibility().isEmpty()) {
                problem("/eligibility", "at least one version of the eligibility rules is needed");
            }
            unique(d.eligibility().stream().map(EligibilityRules::version).toList(), "/eligibility", "version");
            Set<String> groups = d.trialGroups().stream().map(TrialDefinition.TrialGroup::code).collect(Collectors.toSet());
            for (int i = 0; i < d.eligibility().size(); i++) {
                checkEligibility(d.eligibility().get(i), "/eligibility/" + i, groups);
            }
            if (d.agreementForms().isEmpty()) {
                problem("/agreementForms", "at least one version of the agreement form is needed");
            }
            unique(d.agreementForms().stream().map(TrialDefinition.AgreementForm::version).toList(), "/agreementForms", "version");
            for (int i = 0; i < d.agreementForms().size(); i++) {
                var form = d.agreementForms().get(i);
                if (form.statements().stream().noneMatch(TrialDefinition.ConsentStatement::required)) {
                    problem("/agreementForms/" + i + "/statements", "at least one statement must be required");
                }
                unique(form.statements().stream().map(TrialDefinition.ConsentStatement::id).toList(),
                        "/agreementForms/" + i + "/statements", "id");
            }
            checkBaseline(d.baseline());
            if (!problems.isEmpty()) {
                throw new DefinitionException(file, lines.lineOf(""), "",
                        "the trial definition has " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
            }
        }

        private void checkEligibility(EligibilityRules rules, String at, Set<String> groups) {
            Set<String> questions = rules.questions().stream().map(TrialDefinition.Question::id).collect(Collectors.toSet());
            unique(rules.questions().stream().map(TrialDefinition.Question::id).toList(), at + "/questions", "id");
            unique(rules.criteria().stream().map(TrialDefinition.Criterion::id).toList(), at + "/criteria", "id");
            for (int j = 0; j < rules.criteria().size(); j++) {
                var criterion = rules.criteria().get(j);
                if (!questions.contains(criterion.question())) {
                    problem(at + "/criteria/" + j + "/question", "unknown question '" + criterion.question() + "'");
                }
                for (int k = 0; k < criterion.trialGroups().size(); k++) {
                    if (!groups.contains(criterion.trialGroups().get(k))) {
                        problem(at + "/criteria/" + j + "/trialGroups/" + k, "unknown trial group '" + criterion.trialGroups().get(k) + "'");
                    }
                }
            }
        }

        /** Item ids the platform derives from the identifiers (balance report, analysis dataset). */
        static final java.util.Set<String> RESERVED_ITEM_IDS = java.util.Set.of("age_at_randomisation", "sex");

        private void checkBaseline(TrialDefinition.BaselineQuestionnaire baseline) {
            unique(baseline.items().stream().map(BaselineItem::id).toList(), "/baseline/items", "id");
            for (int i = 0; i < baseline.items().size(); i++) {
                BaselineItem item = baseline.items().get(i);
                String at = "/baseline/items/" + i;
                if (!item.id().matches("[a-z][a-z0-9_]*")) {
                    problem(at + "/id", "'" + item.id() + "' must be lower case letters, digits and _ (it becomes a column name)");
                }
                if (RESERVED_ITEM_IDS.contains(item.id())) {
                    problem(at + "/id", "'" + item.id() + "' is taken: the balance report and the exports derive it from the identifiers");
                }
                if (item.type() == ItemType.integer) {
                    if (item.min() == null || item.max() == null || item.min() > item.max()) {
                        problem(at, "a whole-number item needs min <= max");
                    }
                } else if (item.codes().isEmpty()) {
                    problem(at + "/codes", "a choice item needs answer codes");
                }
                for (int k = 0; k < item.codes().size(); k++) {
                    if (item.codes().get(k).code() < 0) {
                        problem(at + "/codes/" + k + "/code", "negative codes are reserved for missing answers (-8, -9, -1)");
                    }
                }
            }
        }

        private void unique(List<String> values, String at, String field) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < values.size(); i++) {
                if (!seen.add(values.get(i))) {
                    problem(at + "/" + i + "/" + field, "'" + values.get(i) + "' appears twice");
                }
            }
        }
    }
}
