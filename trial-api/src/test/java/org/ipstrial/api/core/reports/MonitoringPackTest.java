package org.ipstrial.api.core.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinition.AnswerCode;
import org.ipstrial.definition.TrialDefinition.BaselineItem;
import org.junit.jupiter.api.Test;

/** The pack's own arithmetic on the balance report's counts: answered per item, and the pooled column. */
class MonitoringPackTest {
    static final List<String> ARMS = List.of("treatment", "control");

    static BaselineBalance.Row row(String item, String kind, long treatment, long control, Double meanT, Double meanC) {
        return new BaselineBalance.Row(item, item, kind, null, kind, Map.of("treatment", treatment, "control", control), null,
                kind.equals("mean") ? means(meanT, meanC) : null, null, null);
    }

    /** As the balance report gives them: a mean per arm, null where nobody answered. */
    static Map<String, Double> means(Double treatment, Double control) {
        Map<String, Double> means = new java.util.HashMap<>();
        means.put("treatment", treatment);
        means.put("control", control);
        return means;
    }

    @Test
    void answeredIsTheCategoriesSummedForOneChoiceTheMeanCountForANumberAndRecruitsLessMissingForSeveral() {
        BaselineItem single = new BaselineItem("tenure", "Tenure", TrialDefinition.ItemType.single,
                List.of(new AnswerCode(1, "Own"), new AnswerCode(2, "Rent")), null, null);
        BaselineItem number = new BaselineItem("vas", "VAS", TrialDefinition.ItemType.integer, List.of(), 0, 100);
        BaselineItem several = new BaselineItem("barriers", "Barriers", TrialDefinition.ItemType.multi,
                List.of(new AnswerCode(1, "Transport"), new AnswerCode(2, "Care")), null, null);
        // 10 recruits: tenure 4 + 3 answered, 3 missing; vas 9 with a value, 1 missing; barriers overlap (6 + 7 > 10), 2 missing.
        var group = new BaselineBalance.Group("G", "Group", Map.of("treatment", 5L, "control", 5L), List.of(
                row("tenure", "category", 2, 2, null, null), row("tenure", "category", 1, 2, null, null), row("tenure", "missing", 2, 1, null, null),
                row("vas", "mean", 4, 5, 50.0, 60.0), row("vas", "missing", 1, 0, null, null),
                row("barriers", "category", 3, 3, null, null), row("barriers", "category", 4, 3, null, null),
                row("barriers", "missing", 1, 1, null, null)));
        assertThat(MonitoringPack.answered(group, single, 10)).isEqualTo(7);
        assertThat(MonitoringPack.answered(group, number, 10)).isEqualTo(9);
        assertThat(MonitoringPack.answered(group, several, 10)).isEqualTo(8);
    }

    @Test
    void thePooledColumnIsTheCountOverEveryArmAndTheMeanWeightedByAnswers() {
        assertThat(MonitoringPackPdf.pooled(row("tenure", "category", 2, 3, null, null), ARMS, 20)).isEqualTo("5 (25.0%)");
        // (4 x 50 + 6 x 60) / 10 = 56
        assertThat(MonitoringPackPdf.pooled(row("vas", "mean", 4, 6, 50.0, 60.0), ARMS, 12)).isEqualTo("56.00, n 10");
        assertThat(MonitoringPackPdf.pooled(row("tenure", "category", 0, 0, null, null), ARMS, 0)).isEqualTo("0");
        assertThat(MonitoringPackPdf.pooled(row("vas", "mean", 0, 0, null, null), ARMS, 0)).isEqualTo("n 0");
    }
}
