package org.ipstrial.api.core.recruitment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.definition.TrialDefinition.BaselineItem;
import org.ipstrial.definition.TrialDefinition.BaselineQuestionnaire;
import org.ipstrial.api.core.errors.InvalidRequest;

/**
 * Checks baseline answers against the questionnaire: every item answered (the missing codes
 * -8 don't know, -9 prefer not to say and -1 not applicable are answers), every code known.
 */
final class BaselineCheck {
    static final Set<Integer> MISSING_CODES = Set.of(-8, -9, -1);

    private BaselineCheck() {}

    /** The answers in a canonical form (sorted by item), or every problem at once. */
    static Map<String, Object> check(BaselineQuestionnaire questionnaire, Map<String, Object> answers) {
        if (answers == null) {
            throw InvalidRequest.field("answers", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> canonical = new TreeMap<>();
        for (String id : answers.keySet()) {
            if (questionnaire.item(id).isEmpty()) {
                errors.add(new FieldError("answers." + id, "is not an item of baseline questionnaire " + questionnaire.version()));
            }
        }
        for (BaselineItem item : questionnaire.items()) {
            Object answer = answers.get(item.id());
            String field = "answers." + item.id();
            if (answer == null) {
                errors.add(new FieldError(field, "needs an answer (use -8 for don't know, -9 for prefer not to say)"));
                continue;
            }
            switch (item.type()) {
                case single -> {
                    Integer code = asInt(answer);
                    if (code == null || !(item.hasCode(code) || MISSING_CODES.contains(code))) {
                        errors.add(new FieldError(field, "must be one of the item's codes, or -8 / -9 / -1"));
                    } else {
                        canonical.put(item.id(), code);
                    }
                }
                case integer -> {
                    Integer value = asInt(answer);
                    if (value == null || !(MISSING_CODES.contains(value) || (value >= item.min() && value <= item.max()))) {
                        errors.add(new FieldError(field, "must be a whole number from " + item.min() + " to " + item.max() + ", or -8 / -9 / -1"));
                    } else {
                        canonical.put(item.id(), value);
                    }
                }
                case multi -> {
                    List<Integer> codes = asIntList(answer);
                    if (codes == null || codes.isEmpty()) {
                        errors.add(new FieldError(field, "must be a list of the item's codes (or [-8] / [-9] / [-1])"));
                    } else if (codes.stream().anyMatch(MISSING_CODES::contains) && codes.size() > 1) {
                        errors.add(new FieldError(field, "a missing code (-8, -9, -1) must be the only answer"));
                    } else if (codes.stream().anyMatch(c -> !item.hasCode(c) && !MISSING_CODES.contains(c))) {
                        errors.add(new FieldError(field, "holds a code the item does not have"));
                    } else if (codes.stream().distinct().count() != codes.size()) {
                        errors.add(new FieldError(field, "holds a code twice"));
                    } else {
                        canonical.put(item.id(), codes.stream().sorted().toList());
                    }
                }
                default -> throw new IllegalStateException("unknown item type " + item.type());
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return canonical;
    }

    private static Integer asInt(Object answer) {
        if (answer instanceof Integer i) {
            return i;
        }
        if (answer instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        return null;
    }

    private static List<Integer> asIntList(Object answer) {
        if (!(answer instanceof List<?> list) || list.size() > 100) {
            return null;
        }
        List<Integer> codes = new ArrayList<>();
        for (Object o : list) {
            Integer code = asInt(o);
            if (code == null) {
                return null;
            }
            codes.add(code);
        }
        return codes;
    }
}
