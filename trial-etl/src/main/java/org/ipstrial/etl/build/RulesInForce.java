package org.ipstrial.etl.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.derive.ScoreDefinition;

/** The options a dataset was built with, recorded in the dictionary and the manifest. */
final class RulesInForce {
    private RulesInForce() {}

    static Map<String, Object> of(EtlConfiguration config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out_of_work_benefit_set", config.outOfWorkBenefits().describe());
        m.put("payroll_extract_date", config.payroll().extractDate().toString());
        m.put("benefits_extract_date", config.benefits().extractDate().toString());
        m.put("questionnaires", config.questionnairesSource());
        List<Map<String, Object>> scores = new ArrayList<>();
        for (ScoreDefinition s : config.questionnaires().scores()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("score", s.name());
            r.put("prorated_missing_items", s.proratedMissingItems());
            r.put("rule", s.rule());
            scores.add(r);
        }
        m.put("scores", scores);
        m.put("eq5d_value_set", config.eq5dValueSet().map(p -> p.getFileName().toString()).orElse("none (profile, level sum and VAS only)"));
        m.put("swemwbs_conversion", config.swemwbsConversion().map(p -> p.getFileName().toString()).orElse("none (raw total only)"));
        List<String> waves = new ArrayList<>();
        waves.add("m0 = baseline");
        for (EtlConfiguration.SurveyWave w : config.surveyWaves()) {
            waves.add(w.prefix() + " = wave " + w.code());
        }
        m.put("survey_waves", waves);
        return m;
    }
}
