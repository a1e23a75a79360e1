package org.ipstrial.definition;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.Problem;

/**
 * A trial as its managers define it in YAML: sites with their areas, trial groups with targets,
 * versioned eligibility rules, versioned agreement forms and the baseline questionnaire. Read by
 * {@link TrialDefinitionFile}: the annotations say what each field must be, the {@code problems()}
 * methods the rules across fields, each on the record whose fields it compares.
 */
public record TrialDefinition(
        @NotNull String name,
        @NotEmpty(message = "at least one site is needed") @Valid List<@NotNull Site> sites,
        @NotNull @Valid List<@NotNull TrialGroup> trialGroups,
        @NotEmpty(message = "at least one version of the eligibility rules is needed") @Valid List<@NotNull EligibilityRules> eligibility,
        @NotEmpty(message = "at least one version of the agreement form is needed") @Valid List<@NotNull AgreementForm> agreementForms,
        @NotNull @Valid BaselineQuestionnaire baseline,
        @NotNull @Valid NextSteps nextSteps,
        @NotNull @Valid Arms arms) implements ConfigFile.CrossFieldRules {

    public TrialDefinition {
        sites = copy(sites);
        trialGroups = copy(trialGroups);
        eligibility = copy(eligibility);
        agreementForms = copy(agreementForms);
    }

    /** Lists are copied; a missing one stays null so the reader can name it. */
    static <T> List<T> copy(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    @Override
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>(twice(sites, Site::code, "code", "sites"));
        problems.addAll(twice(trialGroups, TrialGroup::code, "code", "trialGroups"));
        for (int i = 0; i < trialGroups.size(); i++) {
            if (site(trialGroups.get(i).site()).isEmpty()) {
                problems.add(Problem.at("unknown site '" + trialGroups.get(i).site() + "'", "trialGroups", i, "site"));
            }
        }
        problems.addAll(twice(eligibility, EligibilityRules::version, "version", "eligibility"));
        for (int i = 0; i < eligibility.size(); i++) {
            List<Criterion> criteria = eligibility.get(i).criteria();
            for (int j = 0; j < criteria.size(); j++) {
                for (int k = 0; k < criteria.get(j).trialGroups().size(); k++) {
                    String group = criteria.get(j).trialGroups().get(k);
                    if (trialGroup(group).isEmpty()) {
                        problems.add(Problem.at("unknown trial group '" + group + "'", "eligibility", i, "criteria", j, "trialGroups", k));
                    }
                }
            }
        }
        problems.addAll(twice(agreementForms, AgreementForm::version, "version", "agreementForms"));
        return problems;
    }

    /** Each value given a second time, at {@code at[i].field}. */
    static <T> List<Problem> twice(List<T> items, Function<T, String> value, String field, Object... at) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(value.apply(items.get(i)))) {
                List<Object> path = new ArrayList<>(List.of(at));
                path.addAll(List.of(i, field));
                problems.add(new Problem(path, "'" + value.apply(items.get(i)) + "' appears twice"));
            }
        }
        return problems;
    }

    public Optional<Site> site(String code) {
        return sites.stream().filter(s -> s.code().equals(code)).findFirst();
    }

    public Optional<TrialGroup> trialGroup(String code) {
        return trialGroups.stream().filter(g -> g.code().equals(code)).findFirst();
    }

    /** The eligibility rules in force on a day: the latest version effective on or before it. */
    public EligibilityRules eligibilityOn(LocalDate day) {
        return latestOn(eligibility, EligibilityRules::effectiveFrom, day, "eligibility");
    }

    /** The agreement form in force on a day. */
    public AgreementForm agreementFormOn(LocalDate day) {
        return latestOn(agreementForms, AgreementForm::effectiveFrom, day, "agreementForms");
    }

    private static <T> T latestOn(List<T> versions, java.util.function.Function<T, LocalDate> from, LocalDate day, String field) {
        return versions.stream()
                .filter(v -> !from.apply(v).isAfter(day))
                .max(Comparator.comparing(from))
                .orElseThrow(() -> new IllegalStateException("No " + field + " version is in force on " + day));
    }

    public record Site(@NotNull String code, @NotNull String name, @NotNull @Valid List<@NotNull Area> areas)
            implements ConfigFile.CrossFieldRules {
        public Site {
            areas = copy(areas);
        }

        @Override
        public List<Problem> problems() {
            return areas.isEmpty() ? List.of(Problem.at("site " + code + " needs at least one area", "areas"))
                    : twice(areas, Area::code, "code", "areas");
        }

        public boolean hasArea(String area) {
            return areas.stream().anyMatch(a -> a.code().equals(area));
        }
    }

    public record Area(@NotNull String code, @NotNull String name) {}

    /** A trial group: a stratum of recruitment with its own eligibility and a recruitment target. */
    public record TrialGroup(@NotNull String code, @NotNull String name, @NotNull String site,
            @Min(value = 0, message = "must not be negative") int target, @NotNull LocalDate recruitmentStart,
            @NotNull LocalDate recruitmentEnd) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return recruitmentEnd.isBefore(recruitmentStart) ? List.of(Problem.at("is before recruitmentStart", "recruitmentEnd")) : List.of();
        }
    }

    public record EligibilityRules(@NotNull String version, @NotNull LocalDate effectiveFrom,
            @NotNull @Valid List<@NotNull Question> questions, @NotNull @Valid List<@NotNull Criterion> criteria)
            implements ConfigFile.CrossFieldRules {
        public EligibilityRules {
            questions = copy(questions);
            criteria = copy(criteria);
        }

        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>(twice(questions, Question::id, "id", "questions"));
            problems.addAll(twice(criteria, Criterion::id, "id", "criteria"));
            for (int j = 0; j < criteria.size(); j++) {
                String question = criteria.get(j).question();
                if (questions.stream().noneMatch(q -> q.id().equals(question))) {
                    problems.add(Problem.at("unknown question '" + question + "'", "criteria", j, "question"));
                }
            }
            return problems;
        }

        /** The questions a recruit of this trial group is asked, in order. */
        public List<Question> questionsFor(String trialGroup) {
            return questions.stream()
                    .filter(q -> criteria.stream().anyMatch(c -> c.question().equals(q.id()) && c.appliesTo(trialGroup)))
                    .toList();
        }
    }

    /** A yes/no screening question. */
    public record Question(@NotNull String id, @NotNull String text) {}

    /** Eligible only when the question is answered as required; scoped to trial groups (none = all). */
    public record Criterion(@NotNull String id, @NotNull String text, @NotNull String question, boolean require,
            List<@NotNull String> trialGroups) {
        public Criterion {
            trialGroups = trialGroups == null ? List.of() : copy(trialGroups);
        }

        public boolean appliesTo(String trialGroup) {
            return trialGroups.isEmpty() || trialGroups.contains(trialGroup);
        }
    }

    public record AgreementForm(@NotNull String version, @NotNull LocalDate effectiveFrom,
            @NotNull @Valid List<@NotNull ConsentStatement> statements) implements ConfigFile.CrossFieldRules {
        public AgreementForm {
            statements = copy(statements);
        }

        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>(twice(statements, ConsentStatement::id, "id", "statements"));
            if (statements.stream().noneMatch(ConsentStatement::required)) {
                problems.add(Problem.at("at least one statement must be required", "statements"));
            }
            return problems;
        }
    }

    /** One statement of the agreement form; optional ones (linkage, surveys, archiving) may be declined. */
    public record ConsentStatement(@NotNull String id, @NotNull String text, boolean required) {}

    public record BaselineQuestionnaire(@NotNull String version, @NotNull @Valid List<@NotNull BaselineItem> items)
            implements ConfigFile.CrossFieldRules {
        public BaselineQuestionnaire {
            items = copy(items);
        }

        @Override
        public List<Problem> problems() {
            return twice(items, BaselineItem::id, "id", "items");
        }

        public Optional<BaselineItem> item(String id) {
            return items.stream().filter(i -> i.id().equals(id)).findFirst();
        }
    }

    /**
     * A baseline item: a single choice, several choices, or a whole number in a range. Every item
     * also accepts the missing codes -8 (don't know), -9 (prefer not to say), -1 (not applicable).
     */
    public record BaselineItem(
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]*", message = "must be lower case letters, digits and _ (it becomes a column name)")
                    String id,
            @NotNull String label, @NotNull ItemType type, @Valid List<@NotNull AnswerCode> codes, Integer min, Integer max)
            implements ConfigFile.CrossFieldRules {
        /** Item ids the platform derives from the identifiers (balance report, analysis dataset). */
        static final Set<String> RESERVED_IDS = Set.of("age_at_randomisation", "sex");

        public BaselineItem {
            codes = codes == null ? List.of() : copy(codes);
        }

        @Override
        public List<Problem> problems() {
            if (RESERVED_IDS.contains(id)) {
                return List.of(Problem.at("'" + id + "' is taken: the balance report and the exports derive it from the identifiers", "id"));
            }
            if (type == ItemType.integer) {
                return min == null || max == null || min > max ? List.of(Problem.at("a whole-number item needs min <= max")) : List.of();
            }
            return codes.isEmpty() ? List.of(Problem.at("a choice item needs answer codes", "codes")) : List.of();
        }

        public boolean hasCode(int code) {
            return codes.stream().anyMatch(c -> c.code() == code);
        }
    }

    public enum ItemType { single, multi, integer }

    public record AnswerCode(@Min(value = 0, message = "negative codes are reserved for missing answers (-8, -9, -1)") int code,
            @NotNull String label) {}

    /** What a specialist says after randomising, in neutral words. */
    public record NextSteps(@NotNull String treatment, @NotNull String control) {}

    /**
     * The arms in words, for people: pages, the API's display fields and the exports' labels. The
     * codes (treatment, control) stay what data, exports and the randomiser use.
     */
    public record Arms(@NotNull @Valid ArmWords treatment, @NotNull @Valid ArmWords control) {
        /** The words of an arm code. */
        public ArmWords of(String code) {
            return switch (code) {
                case "treatment" -> treatment;
                case "control" -> control;
                default -> throw new IllegalArgumentException("no such arm: " + code);
            };
        }

        /** Arm code to its label, in the order treatment, control. */
        public java.util.Map<String, String> labels() {
            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
            labels.put("treatment", treatment.label());
            labels.put("control", control.label());
            return java.util.Collections.unmodifiableMap(labels);
        }
    }

    /** label: the arm's name where people read it; readOut: what the specialist reads out to the recruit. */
    public record ArmWords(@NotNull String label, @NotNull String readOut) {}
}
