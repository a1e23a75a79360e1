package org.ipstrial.api.core.definition;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A trial as its managers define it in YAML: sites with their areas, trial groups with targets,
 * versioned eligibility rules, versioned agreement forms and the baseline questionnaire. Loaded
 * and checked by {@link TrialDefinitionFile}.
 */
public record TrialDefinition(
        String name,
        List<Site> sites,
        List<TrialGroup> trialGroups,
        List<EligibilityRules> eligibility,
        List<AgreementForm> agreementForms,
        BaselineQuestionnaire baseline,
        NextSteps nextSteps,
        Arms arms) {

    public TrialDefinition {
        sites = copy(sites);
        trialGroups = copy(trialGroups);
        eligibility = copy(eligibility);
        agreementForms = copy(agreementForms);
    }

    /** Lists are copied; a missing one stays null so the loader can name it (see TrialDefinitionFile). */
    static <T> List<T> copy(List<T> list) {
        return list == null ? null : List.copyOf(list);
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

    public record Site(String code, String name, List<Area> areas) {
        public Site {
            areas = copy(areas);
        }

        public boolean hasArea(String area) {
            return areas.stream().anyMatch(a -> a.code().equals(area));
        }
    }

    public record Area(String code, String name) {}

    /** A trial group: a stratum of recruitment with its own eligibility and a recruitment target. */
    public record TrialGroup(String code, String name, String site, int target, LocalDate recruitmentStart, LocalDate recruitmentEnd) {}

    public record EligibilityRules(String version, LocalDate effectiveFrom, List<Question> questions, List<Criterion> criteria) {
        public EligibilityRules {
            questions = copy(questions);
            criteria = copy(criteria);
        }

        /** The questions a recruit of this trial group is asked, in order. */
        public List<Question> questionsFor(String trialGroup) {
            return questions.stream()
                    .filter(q -> criteria.stream().anyMatch(c -> c.question().equals(q.id()) && c.appliesTo(trialGroup)))
                    .toList();
        }
    }

    /** A yes/no screening question. */
    public record Question(String id, String text) {}

    /** Eligible only when the question is answered as required; scoped to trial groups (none = all). */
    public record Criterion(String id, String text, String question, boolean require, List<String> trialGroups) {
        public Criterion {
            trialGroups = trialGroups == null ? List.of() : copy(trialGroups);
        }

        public boolean appliesTo(String trialGroup) {
            return trialGroups.isEmpty() || trialGroups.contains(trialGroup);
        }
    }

    public record AgreementForm(String version, LocalDate effectiveFrom, List<ConsentStatement> statements) {
        public AgreementForm {
            statements = copy(statements);
        }
    }

    /** One statement of the agreement form; optional ones (linkage, surveys, archiving) may be declined. */
    public record ConsentStatement(String id, String text, boolean required) {}

    public record BaselineQuestionnaire(String version, List<BaselineItem> items) {
        public BaselineQuestionnaire {
            items = copy(items);
        }

        public Optional<BaselineItem> item(String id) {
            return items.stream().filter(i -> i.id().equals(id)).findFirst();
        }
    }

    /**
     * A baseline item: a single choice, several choices, or a whole number in a range. Every item
     * also accepts the missing codes -8 (don't know), -9 (prefer not to say), -1 (not applicable).
     */
    public record BaselineItem(String id, String label, ItemType type, List<AnswerCode> codes, Integer min, Integer max) {
        public BaselineItem {
            codes = codes == null ? List.of() : copy(codes);
        }

        public boolean hasCode(int code) {
            return codes.stream().anyMatch(c -> c.code() == code);
        }
    }

    public enum ItemType { single, multi, integer }

    public record AnswerCode(int code, String label) {}

    /** What a specialist says after randomising, in neutral words. */
    public record NextSteps(String treatment, String control) {}

    /**
     * The arms in words, for people: pages, the API's display fields and the exports' labels. The
     * codes (treatment, control) stay what data, exports and the randomiser use.
     */
    public record Arms(ArmWords treatment, ArmWords control) {
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
    public record ArmWords(String label, String readOut) {}
}
