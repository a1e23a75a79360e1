package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.reports.SequenceIntegrity;
import org.ipstrial.api.core.reports.SequenceIntegrity.Recorded;
import org.ipstrial.randomiser.RandomisationDesign;
import org.junit.jupiter.api.Test;

class SequenceIntegrityTest {
    static final RandomisationDesign DESIGN = DesignFile.read(Path.of("../config/randomisation-demo.yml"));

    /** A stratum's rows, one string per block: "TC" = treatment then control; "." = a slot not yet filled. */
    static List<Recorded> rows(String stratum, String... blocks) {
        List<Recorded> rows = new ArrayList<>();
        long sequence = 1;
        for (int b = 0; b < blocks.length; b++) {
            String arms = blocks[b];
            int size = arms.length();
            int filled = arms.indexOf('.') < 0 ? arms.length() : arms.indexOf('.');
            for (int i = 0; i < filled; i++) {
                rows.add(new Recorded(stratum, sequence++, b, size, i + 1, 1, arms.charAt(i) == 'T' ? "treatment" : "control"));
            }
        }
        return rows;
    }

    @Test
    void balancedBlocksAreIntactAndBlocksOfTwoAreThreeQuartersPredictable() {
        var report = SequenceIntegrity.check(DESIGN, rows("A/A-OOW", "TC", "CT", "TC", "CT"));
        var s = report.strata().get(0);
        assertThat(report.intact()).isTrue();
        assertThat(s.byArm()).containsEntry("treatment", 4L).containsEntry("control", 4L);
        assertThat(s.completeBlocks()).isEqualTo(4);
        // First of each pair: a tie (half a point); second: the arm behind (a whole point).
        assertThat(s.correctGuessRate()).isEqualTo(0.75);
        assertThat(s.expectedCorrectGuesses()).isEqualTo(4.0);
    }

    @Test
    void anOpenLastBlockIsReportedNotFaulted() {
        // The last block of 6 has 2 of its slots filled ("TT" of a size-6 block).
        var s = SequenceIntegrity.check(DESIGN, rows("B/B-OOW", "TCCT", "TT....")).strata();
        var b = s.stream().filter(x -> x.stratum().equals("B/B-OOW")).findFirst().orElseThrow();
        assertThat(b.problems()).isEmpty();
        assertThat(b.openBlockSize()).isEqualTo(6);
        assertThat(b.openBlockFilled()).isEqualTo(2);
    }

    @Test
    void anUnbalancedCompleteBlockAGapAndAnUnfinishedBlockAreFound() {
        var unbalanced = SequenceIntegrity.check(DESIGN, rows("A/A-IW", "TTTC"));
        assertThat(unbalanced.intact()).isFalse();
        assertThat(unbalanced.strata().get(1).problems()).anyMatch(p -> p.contains("holds 3 of arm treatment"));

        List<Recorded> gap = new ArrayList<>(rows("A/A-IW", "TC", "CT"));
        gap.remove(2);
        assertThat(SequenceIntegrity.check(DESIGN, gap).strata().get(1).problems())
                .anyMatch(p -> p.contains("sequence 4 found where 3 was expected"));

        List<Recorded> unfinished = new ArrayList<>(rows("A/A-IW", "TCCT", "TC"));
        unfinished.remove(3);
        assertThat(SequenceIntegrity.check(DESIGN, unfinished).strata().get(1).problems())
                .anyMatch(p -> p.contains("block 0 was left with 3 of 4"));
    }
}
