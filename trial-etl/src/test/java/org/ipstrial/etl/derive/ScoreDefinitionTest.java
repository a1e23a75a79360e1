package org.ipstrial.etl.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.records.SurveyInterview;
import org.junit.jupiter.api.Test;

class ScoreDefinitionTest {
    private static final ScoreDefinition PHQ8 = new ScoreDefinition("phq8", "PHQ-8", items("phq8_", 8), 0, 3, 0, 0);
    private static final ScoreDefinition SWEMWBS = new ScoreDefinition("swemwbs_raw", "SWEMWBS", items("swemwbs_", 7), 1, 5, 0, 0);

    static List<String> items(String prefix, int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void totalsAtTheBoundaries() {
        assertThat(PHQ8.total(List.of(0, 0, 0, 0, 0, 0, 0, 0))).contains(new BigDecimal("0"));
        assertThat(PHQ8.total(List.of(3, 3, 3, 3, 3, 3, 3, 3))).contains(new BigDecimal("24"));
        assertThat(SWEMWBS.total(List.of(1, 1, 1, 1, 1, 1, 1))).contains(new BigDecimal("7"));
        assertThat(SWEMWBS.total(List.of(5, 5, 5, 5, 5, 5, 5))).contains(new BigDecimal("35"));
    }

    @Test
    void missingCodesBlankAndOutOfRangeAreNeverAnswers() {
        assertThat(PHQ8.total(Arrays.asList(0, 0, 0, 0, 0, 0, 0, null))).isEmpty();
        assertThat(PHQ8.total(List.of(0, 0, 0, 0, 0, 0, 0, -8))).isEmpty();
        assertThat(PHQ8.total(List.of(0, 0, 0, 0, 0, 0, 0, -9))).isEmpty();
        assertThat(PHQ8.total(List.of(0, 0, 0, 0, 0, 0, 0, -1))).isEmpty();
        assertThat(PHQ8.total(List.of(0, 0, 0, 0, 0, 0, 0, 4))).isEmpty();
        assertThat(SWEMWBS.total(List.of(0, 1, 1, 1, 1, 1, 1))).isEmpty();
        assertThat(SWEMWBS.isAnswer(1)).isTrue();
        assertThat(SWEMWBS.isAnswer(0)).isFalse();
    }

    @Test
    void prorationMeanTimesItemCountRoundedHalfUp() {
        ScoreDefinition prorated = new ScoreDefinition("swemwbs_raw", "SWEMWBS", items("swemwbs_", 7), 1, 5, 1, 0);
        // 6 answered summing 17: 17/6 x 7 = 19.833.. -> 20.
        assertThat(prorated.total(Arrays.asList(3, 3, 3, 3, 3, 2, null))).contains(new BigDecimal("20"));
        // 6 answered summing 15: 15/6 x 7 = 17.5 -> 18 (half up).
        assertThat(prorated.total(Arrays.asList(3, 3, 3, 2, 2, 2, null))).contains(new BigDecimal("18"));
        // two missing: more than allowed.
        assertThat(prorated.total(Arrays.asList(3, 3, 3, 2, 2, null, -9))).isEmpty();
        ScoreDefinition oneDecimal = new ScoreDefinition("x", "x", items("x_", 7), 1, 5, 1, 1);
        assertThat(oneDecimal.total(Arrays.asList(3, 3, 3, 2, 2, 2, null))).contains(new BigDecimal("17.5"));
        assertThat(oneDecimal.total(List.of(3, 3, 3, 2, 2, 2, 1))).contains(new BigDecimal("16.0"));
    }

    @Test
    void invalidDefinitionsAreRejected() {
        assertThatThrownBy(() -> new ScoreDefinition("x", "x", items("x_", 2), 1, 5, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoreDefinition("X", "x", items("x_", 2), 1, 5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoreDefinition("x", "x", List.of(), 1, 5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoreDefinition("x", "x", items("x_", 2), 5, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void referenceQuestionnairesScoreAWholeInterviewAndTheEq5dProfile() {
        Questionnaires q = ConfigurationLoader.loadReferenceQuestionnaires();
        List<SurveyItem> catalogue = q.itemCatalogue();
        Integer[] answers = new Integer[catalogue.size()];
        for (int i = 0; i < catalogue.size(); i++) {
            answers[i] = catalogue.get(i).min();
        }
        answers[index(catalogue, "eq5d_mo")] = 2;
        answers[index(catalogue, "eq5d_ua")] = 3;
        answers[index(catalogue, "eq5d_pd")] = 4;
        answers[index(catalogue, "eq5d_vas")] = 100;
        answers[index(catalogue, "gad7_3")] = null;
        var values = WaveScores.of(q, new SurveyInterview(2, java.util.Optional.empty(), "web", Arrays.asList(answers)),
                java.util.Optional.of(java.util.Map.of("21341", new BigDecimal("0.654"))), java.util.Optional.empty());
        assertThat(values.get("swemwbs_raw")).contains("7");
        assertThat(values.get("phq8")).contains("0");
        assertThat(values.get("gad7")).isEmpty();
        assertThat(values.get("jsse")).contains("9");
        assertThat(values.get("eq5d_lss")).contains("11");
        assertThat(values.get("eq5d_vas")).contains("100");
        assertThat(values.get("ons_life_sat")).contains("0");
        assertThat(values.get("eq5d_profile")).contains("21341");
        assertThat(values.get("eq5d_index")).contains("0.654");
        assertThat(values.get("employed_now")).contains("1");
    }

    @Test
    void theShippedQuestionnaireFileIsTheBuiltInReference() throws Exception {
        java.nio.file.Path shipped = java.nio.file.Path.of("..", "config", "etl-questionnaires.yml");
        try (var in = ConfigurationLoader.class.getResourceAsStream(ConfigurationLoader.REFERENCE_QUESTIONNAIRES)) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(java.nio.file.Files.readString(shipped));
        }
    }

    private static int index(List<SurveyItem> catalogue, String column) {
        for (int i = 0; i < catalogue.size(); i++) {
            if (catalogue.get(i).column().equals(column)) {
                return i;
            }
        }
        throw new AssertionError(column);
    }
}
