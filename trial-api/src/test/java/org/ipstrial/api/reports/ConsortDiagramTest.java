package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.core.reports.ConsortDiagram;
import org.ipstrial.api.core.reports.ConsortFlow;
import org.junit.jupiter.api.Test;

/** The diagram of a hand-made flow row: every figure in its place, every text escaped. */
class ConsortDiagramTest {
    static final Instant CUT_OFF = Instant.parse("2026-12-03T00:00:00Z");

    static ConsortFlow.Box row() {
        Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put("over_18", 7L);
        reasons.put("no_secondary_care", 3L);
        Map<String, Long> byArm = new LinkedHashMap<>();
        byArm.put("treatment", 21L);
        byArm.put("control", 19L);
        // screened 60 = ineligible 9 + eligible 49 + erased before 2; agreed 45, randomised 42 (2 today).
        return new ConsortFlow.Box("trial", null, null, 60, 9, reasons, 49, 2, 1, 3, 45, 42, byArm, 4, 5, 1, 6, 3);
    }

    @Test
    void everyStageOfTheFlowCarriesTheRowsFigures() {
        ConsortFlow flow = ConsortFlow.of(new org.ipstrial.api.core.reports.ArmVisibility(CUT_OFF, false), List.of("treatment", "control"),
                List.of(), List.of(), Map.of("over_18", "Aged 18 or over", "no_secondary_care",
                        "Not in secondary mental health care in the trial's area, which is a long wording that must wrap in its box"));
        ConsortSvg svg = ConsortSvg.read(ConsortDiagram.draw(flow, row(), "Whole trial", Map.of("treatment", "IPS", "control", "usual support")));
        assertThat(svg.figures()).containsEntry("screened", 60L).containsEntry("excluded", 18L).containsEntry("ineligible", 9L)
                .containsEntry("ineligibleByReason.over_18", 7L).containsEntry("ineligibleByReason.no_secondary_care", 3L)
                .containsEntry("declinedAgreement", 3L).containsEntry("awaitingAgreement", 1L).containsEntry("agreedNotRandomised", 3L)
                .containsEntry("erasedBeforeRandomisation", 2L).containsEntry("randomised", 42L)
                .containsEntry("randomisedByArm.treatment", 21L).containsEntry("randomisedByArm.control", 19L)
                .containsEntry("randomisedNotSplit", 2L).containsEntry("withdrawnResearch", 5L).containsEntry("died", 1L)
                .containsEntry("erasedRandomised", 3L).containsEntry("withdrawnService", 4L).containsEntry("analysed", 39L);
        assertThat(svg.allText()).contains("Aged 18 or over").contains("Allocated to IPS").contains("Allocated to usual support")
                .contains("Analysed, intention to treat");
    }

    @Test
    void textFromTheDefinitionIsEscapedAndTheDocumentStaysWellFormed() {
        String nasty = "<script>alert('x')</script> & \"quoted\" 100% \u0001";
        ConsortFlow flow = ConsortFlow.of(new org.ipstrial.api.core.reports.ArmVisibility(CUT_OFF, true), List.of("treatment", "control"),
                List.of(), List.of(), Map.of("over_18", nasty));
        byte[] bytes = ConsortDiagram.draw(flow, row(), nasty, Map.of("treatment", nasty, "control", "usual"));
        ConsortSvg svg = ConsortSvg.read(bytes);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("<script>");
        assertThat(svg.document().getElementsByTagName("script").getLength()).isZero();
        assertThat(svg.allText()).contains("<script>alert('x')</script> & \"quoted\" 100%");
        assertThat(svg.figures()).containsEntry("randomisedByArm.treatment", 21L).containsEntry("ineligibleByReason.over_18", 7L);
        // A live reader whose split adds up has no "not split" line.
        ConsortFlow.Box all = row();
        ConsortFlow.Box split = new ConsortFlow.Box("trial", null, null, 60, 9, all.ineligibleByReason(), 49, 2, 1, 3, 45, 40,
                all.randomisedByArm(), 4, 5, 1, 6, 3);
        assertThat(ConsortSvg.read(ConsortDiagram.draw(flow, split, "t", Map.of())).figures()).doesNotContainKey("randomisedNotSplit");
    }

    @Test
    void longLinesWrapAtWordsWithoutLosingAny() {
        List<String> parts = ConsortDiagram.wrap("one two three four five six seven", 9);
        assertThat(String.join(" ", parts)).isEqualTo("one two three four five six seven");
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(9));
    }
}
