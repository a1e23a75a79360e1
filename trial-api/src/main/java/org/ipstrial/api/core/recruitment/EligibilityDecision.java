package org.ipstrial.api.core.recruitment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.definition.TrialDefinition.Criterion;
import org.ipstrial.definition.TrialDefinition.EligibilityRules;
import org.ipstrial.api.core.errors.InvalidRequest;

/** The outcome of screening: eligible, or ineligible with every criterion that failed. */
public sealed interface EligibilityDecision {
    String rulesVersion();

    record Eligible(String rulesVersion) implements EligibilityDecision {}

    record Ineligible(String rulesVersion, List<Criterion> failed) implements EligibilityDecision {
        public Ineligible {
            failed = List.copyOf(failed);
        }
    }

    /**
     * Applies the rules of a trial group to the answers. Every question the group is asked must be
     * answered; an answer to a question it is not asked is refused, so nothing is stored by mistake.
     */
    static EligibilityDecision decide(EligibilityRules rules, String trialGroup, Map<String, Boolean> answers) {
        List<FieldError> errors = new ArrayList<>();
        var asked = rules.questionsFor(trialGroup);
        for (var question : asked) {
            if (answers.get(question.id()) == null) {
                errors.add(new FieldError("answers." + question.id(), "needs a yes or no answer"));
            }
        }
        for (String id : answers.keySet()) {
            if (asked.stream().noneMatch(q -> q.id().equals(id))) {
                errors.add(new FieldError("answers." + id, "is not a screening question for this trial group"));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        List<Criterion> failed = rules.criteria().stream()
                .filter(c -> c.appliesTo(trialGroup))
                .filter(c -> answers.get(c.question()) != c.require())
                .toList();
        return failed.isEmpty() ? new Eligible(rules.version()) : new Ineligible(rules.version(), failed);
    }
}
