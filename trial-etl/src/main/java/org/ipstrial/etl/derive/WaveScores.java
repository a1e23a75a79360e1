package org.ipstrial.etl.derive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.etl.records.SurveyInterview;

/**
 * The scores of one interview: each configured total, the EQ-5D-5L profile (and index value when a
 * value set is supplied), the SWEMWBS metric score (when a conversion table is supplied) and the
 * carried items. Values are text as written to the dataset; an empty Optional is an empty cell.
 */
public final class WaveScores {
    /** EQ-5D-5L dimensions in profile order: mobility, self-care, usual activities, pain, anxiety. */
    public static final List<String> EQ5D_DIMENSIONS = List.of("eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad");
    public static final String SWEMWBS_RAW = "swemwbs_raw";

    private WaveScores() {}

    public static boolean hasEq5dProfile(Questionnaires q) {
        return EQ5D_DIMENSIONS.stream().allMatch(d -> q.indexOf(d) >= 0);
    }

    public static Map<String, Optional<String>> of(Questionnaires q, SurveyInterview interview,
            Optional<Map<String, BigDecimal>> eq5dValueSet, Optional<Map<Integer, BigDecimal>> swemwbsConversion) {
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        Optional<BigDecimal> swemwbsRaw = Optional.empty();
        for (ScoreDefinition s : q.scores()) {
            List<Integer> answers = new ArrayList<>(s.items().size());
            for (String item : s.items()) {
                answers.add(interview.answers().get(q.indexOf(item)));
            }
            Optional<BigDecimal> total = s.total(answers);
            values.put(s.name(), total.map(BigDecimal::toPlainString));
            if (s.name().equals(SWEMWBS_RAW)) {
                swemwbsRaw = total;
            }
        }
        if (hasEq5dProfile(q)) {
            Optional<String> profile = eq5dProfile(EQ5D_DIMENSIONS.stream().map(d -> interview.answers().get(q.indexOf(d))).toList());
            values.put("eq5d_profile", profile);
            eq5dValueSet.ifPresent(set -> values.put("eq5d_index", profile.map(set::get).map(BigDecimal::toPlainString)));
        }
        Optional<BigDecimal> raw = swemwbsRaw;
        swemwbsConversion.ifPresent(table -> values.put("swemwbs_metric", raw
                .filter(r -> r.stripTrailingZeros().scale() <= 0)
                .map(r -> table.get(r.intValueExact()))
                .map(BigDecimal::toPlainString)));
        for (Questionnaires.CarriedItem c : q.carriedItems()) {
            Integer a = interview.answers().get(q.indexOf(c.name()));
            SurveyItem item = c.item();
            values.put(c.name(), Optional.ofNullable(a).map(item::text));
        }
        return values;
    }

    /** The five levels written together (e.g. 21341), only when all five dimensions are answered 1..5. */
    public static Optional<String> eq5dProfile(List<Integer> levels) {
        StringBuilder sb = new StringBuilder(5);
        for (Integer level : levels) {
            if (level == null || level < 1 || level > 5) {
                return Optional.empty();
            }
            sb.append(level);
        }
        return Optional.of(sb.toString());
    }
}
