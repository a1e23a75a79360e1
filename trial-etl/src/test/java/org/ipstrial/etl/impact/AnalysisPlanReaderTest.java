package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalysisPlanReaderTest {

    static String testPlanYaml() {
        try (InputStream in = AnalysisPlanReaderTest.class.getResourceAsStream("/impact/analysis-plan.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheTestPlan() {
        AnalysisPlan plan = AnalysisPlanReader.parse(testPlanYaml(), "analysis-plan.yml");

        assertThat(plan.name()).isEqualTo("test-sap-v1");
        assertThat(plan.groups()).extracting(AnalysisPlan.AnalysisGroup::name).containsExactly("B-OOW", "all out-of-work");
        assertThat(plan.groups().get(1).trialGroups()).containsExactly("A-OOW", "B-OOW");
        assertThat(plan.outcomes().get(2).source()).isEqualTo(OutcomeSource.SURVEY);
        assertThat(plan.outcomes().get(2).respondedColumn()).isEqualTo("m12_responded");
        assertThat(plan.outcomes().get(0).label()).isEqualTo("employed_13wk_12m");
        assertThat(plan.subgroups().get(1).bands().get(0).contains(39.9)).isTrue();
        assertThat(plan.subgroups().get(1).bands().get(0).contains(40)).isFalse();
        assertThat(plan.suppressionThreshold()).isEqualTo(10);
        assertThat(plan.subgroups().get(0).missingValues()).containsExactly("prefer_not_to_say");
        assertThat(plan.covariates().get(1).levels()).containsExactly("1", "2", "3", "4");
        assertThat(plan.covariates().get(1).labels()).containsExactly("always", "more than half", "less than half", "not at all");
        AnalysisPlan.Band before = plan.subgroups().get(2).bands().get(0);
        assertThat(before.contains(AnalysisPlan.Band.monthOrNumber("2019-03"))).isTrue();
        assertThat(before.contains(AnalysisPlan.Band.monthOrNumber("2019-04"))).isFalse();
    }

    @Test
    void monthsCountFromYearAndMonth() {
        assertThat(AnalysisPlan.Band.monthOrNumber("2019-04")).isEqualTo(2019 * 12 + 3.0);
        assertThat(AnalysisPlan.Band.monthOrNumber("2020-01") - AnalysisPlan.Band.monthOrNumber("2019-12")).isEqualTo(1.0);
        assertThat(AnalysisPlan.Band.monthOrNumber(" 42.5 ")).isEqualTo(42.5);
        assertThat(AnalysisPlan.Band.monthOrNumber("2019-13")).isNull();
        assertThat(AnalysisPlan.Band.monthOrNumber("NaN")).isNull();
    }

    @Test
    void theShippedDemoPlanIsValid() {
        Path demo = Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve("analysis-demo.yml");

        AnalysisPlan plan = AnalysisPlanReader.read(demo);

        assertThat(plan.groups()).hasSize(5);
        assertThat(plan.subgroups()).extracting(AnalysisPlan.Subgroup::name)
                .containsExactly("sex", "age band", "work in last 2 years", "baseline health severity", "cohort");
    }

    @Test
    void hashIgnoresCommentsLayoutAndKeyOrderButNotSubstance() {
        String yaml = testPlanYaml();
        String hash = AnalysisPlanReader.sha256(AnalysisPlanReader.parse(yaml, "a"));
        String reformatted = "# a new comment\n" + yaml.replace("plan: test-sap-v1\nstrata: [site, trial_group]",
                "strata:\n  - site\n  - trial_group\nplan:   test-sap-v1   # moved");
        String changed = yaml.replace("suppression_threshold: 10", "suppression_threshold: 11");

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(reformatted, "b"))).isEqualTo(hash);
        assertThat(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(changed, "c"))).isNotEqualTo(hash);
    }

    @Test
    void defaultsAreWrittenIntoTheCanonicalForm() {
        String withDefaults = testPlanYaml();
        String withoutDefaults = withDefaults.replace("strata: [site, trial_group]\n", "").replace("suppression_threshold: 10\n", "");

        assertThat(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(withoutDefaults, "x")))
                .isEqualTo(AnalysisPlanReader.sha256(AnalysisPlanReader.parse(withDefaults, "y")));
        assertThat(new String(AnalysisPlanReader.canonicalBytes(AnalysisPlanReader.parse(withoutDefaults, "x")), StandardCharsets.UTF_8))
                .contains("\"suppression_threshold\":10").contains("\"strata\":[\"site\",\"trial_group\"]");
    }

    @Test
    void errorsNameTheField() {
        String plan = testPlanYaml();
        assertError(plan.replace("    type: binary", "    type: binry"), "outcomes[0].type: must be binary or continuous (found: binry)");
        assertError(plan.replace("    source: admin\n  - name: earnings_12m", "    source: admn\n  - name: earnings_12m"),
                "outcomes[0].source: must be admin or survey");
        assertError(plan.replace("    wave: m12\n", ""), "outcomes[2].wave: is required for a survey outcome");
        assertError(plan.replace("    wave: m12\n", "    wave: twelve\n"), "outcomes[2].wave: must look like m4 or m12");
        assertError(plan.replace("    standardised: true", "    standardized: true"), "outcomes[2].standardized: is not a known field");
        assertError(plan.replace("  m12: [age_at_randomisation,", "  m12: [age,"), "nonresponse.m12[0]: 'age' is not one of the covariates");
        assertError(plan.replace("  m12: [", "  m4: ["), "outcomes[2].wave: no nonresponse.m12 covariates");
        assertError(plan.replace("  - name: all out-of-work", "  - name: B-OOW"), "groups[1].name: duplicate group name 'B-OOW'");
        assertError(plan.replace("trial_groups: [A-OOW, B-OOW]", "trial_groups: []"), "groups[1].trial_groups: must list at least one");
        assertError(plan.replace("suppression_threshold: 10", "suppression_threshold: 0"), "suppression_threshold: must be a whole number of at least 1");
        assertError(plan.replace("      - {value: 2, label: more than half}\n      - {value: 3, label: less than half}\n      - {value: 4, label: not at all}\n", ""),
                "covariates[1].levels: a categorical covariate lists at least two levels");
        assertError(plan.replace("{value: 4, label: not at all}", "{value: 4, label: always}"), "covariates[1].levels[3]: label 'always' is used twice");
        assertError(plan.replace("{value: 4, label: not at all}", "{value: 4, lable: none}"), "covariates[1].levels[3].lable: is not a known field");
        assertError(plan.replace("below: \"2019-04\"", "below: April 2019"),
                "subgroups[2].bands[0].below: must be a number or a month YYYY-MM, was 'April 2019'");
        assertError(plan.replace("{label: \"40+\", from: 40}", "{label: \"40+\", from: 35}"), "subgroups[1].bands[1]: overlaps band 'under 40'");
        assertError(plan.replace("    kind: numeric\n  - name: m0_work_last_2y", "    kind: number\n  - name: m0_work_last_2y"),
                "covariates[0].kind: must be numeric or categorical");
        assertError(plan.replace("plan: test-sap-v1\n", ""), "plan: is required");
        assertError(plan.replace("suppression_threshold: 10", "suppression_threshold: 10\nsuppression_threshold: 5"), "not valid YAML");
        assertError(plan.replace("    missing: [prefer_not_to_say]", "    missing: [male]"), "subgroups[0].missing[0]: 'male' is also a level");
        assertError(plan.replace("    levels: [female, male]", "    levels: [female, male]\n    bands: []"),
                "subgroups[0]: give either levels (values) or bands");
        assertError("- just\n- a list\n", "must be a mapping of fields");
    }

    /** The four kinds of mistake, each named with its line, column and field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | suppression_threshold: 10 | suppression_threshold: ten | line 4, column 24: suppression_threshold: must be a whole number (found: ten)
            unknown field | '    type: binary'        | '    kind: binary'          | line 12, column 11: outcomes[0].kind: is not a known field (known: label, name, source, standardised, type, wave)
            missing field | '    type: binary'        | ''                          | line 11, column 5: outcomes[0].type: is required
            out of range  | suppression_threshold: 10 | suppression_threshold: 0   | line 4, column 24: suppression_threshold: must be a whole number of at least 1 (found: 0)
            """)
    void eachKindOfMistakeNamesTheLineAndTheField(String mistake, String from, String to, String expected) {
        assertError(testPlanYaml().replace(from, to), "analysis plan plan.yml: " + expected);
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> AnalysisPlanReader.parse(yaml, "plan.yml"))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessageStartingWith("analysis plan plan.yml: ")
                .hasMessageContaining(expected);
    }
}
