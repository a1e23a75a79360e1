package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors: a fixed secret and design give a fixed sequence, so any change to the
 * algorithm shows here. The expected values were computed by an independent implementation (the
 * Python reference listed in docs/randomisation.md, with the standard library's hmac), not by this
 * code.
 */
class KnownAnswerTest {

    /** The bytes 0x00, 0x01, ..., 0x1f. */
    static final RandomisationSecret SECRET =
            RandomisationSecret.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private static final String FIRST_30_PER_STRATUM = """
            stratum,sequence,block,block_size,position_in_block,arm
            A/A-OOW,1,0,2,1,treatment
            A/A-OOW,2,0,2,2,control
            A/A-OOW,3,1,4,1,treatment
            A/A-OOW,4,1,4,2,control
            A/A-OOW,5,1,4,3,treatment
            A/A-OOW,6,1,4,4,control
            A/A-OOW,7,2,4,1,treatment
            A/A-OOW,8,2,4,2,control
            A/A-OOW,9,2,4,3,control
            A/A-OOW,10,2,4,4,treatment
            A/A-OOW,11,3,4,1,treatment
            A/A-OOW,12,3,4,2,control
            A/A-OOW,13,3,4,3,treatment
            A/A-OOW,14,3,4,4,control
            A/A-OOW,15,4,4,1,control
            A/A-OOW,16,4,4,2,treatment
            A/A-OOW,17,4,4,3,control
            A/A-OOW,18,4,4,4,treatment
            A/A-OOW,19,5,4,1,control
            A/A-OOW,20,5,4,2,control
            A/A-OOW,21,5,4,3,treatment
            A/A-OOW,22,5,4,4,treatment
            A/A-OOW,23,6,6,1,control
            A/A-OOW,24,6,6,2,control
            A/A-OOW,25,6,6,3,treatment
            A/A-OOW,26,6,6,4,treatment
            A/A-OOW,27,6,6,5,control
            A/A-OOW,28,6,6,6,treatment
            A/A-OOW,29,7,4,1,treatment
            A/A-OOW,30,7,4,2,control
            B/B-OOW,1,0,6,1,treatment
            B/B-OOW,2,0,6,2,control
            B/B-OOW,3,0,6,3,treatment
            B/B-OOW,4,0,6,4,control
            B/B-OOW,5,0,6,5,treatment
            B/B-OOW,6,0,6,6,control
            B/B-OOW,7,1,2,1,control
            B/B-OOW,8,1,2,2,treatment
            B/B-OOW,9,2,6,1,treatment
            B/B-OOW,10,2,6,2,control
            B/B-OOW,11,2,6,3,treatment
            B/B-OOW,12,2,6,4,control
            B/B-OOW,13,2,6,5,treatment
            B/B-OOW,14,2,6,6,control
            B/B-OOW,15,3,4,1,control
            B/B-OOW,16,3,4,2,treatment
            B/B-OOW,17,3,4,3,control
            B/B-OOW,18,3,4,4,treatment
            B/B-OOW,19,4,6,1,treatment
            B/B-OOW,20,4,6,2,control
            B/B-OOW,21,4,6,3,control
            B/B-OOW,22,4,6,4,treatment
            B/B-OOW,23,4,6,5,treatment
            B/B-OOW,24,4,6,6,control
            B/B-OOW,25,5,4,1,control
            B/B-OOW,26,5,4,2,treatment
            B/B-OOW,27,5,4,3,control
            B/B-OOW,28,5,4,4,treatment
            B/B-OOW,29,6,4,1,control
            B/B-OOW,30,6,4,2,treatment
            """;

    @Test
    void theReferenceDesignGivesTheKnownFirst30AllocationsOfTwoStrata() {
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(SECRET);
        StratumSchedule schedule = StratumSchedule.constant(Designs.reference().version(1));
        List<Allocation> rows = new ArrayList<>();
        rows.addAll(AllocationList.forStratum(randomiser, Designs.A_OOW, schedule, 30));
        rows.addAll(AllocationList.forStratum(randomiser, Designs.B_OOW, schedule, 30));

        assertThat(AllocationList.toCsv(rows)).isEqualTo(FIRST_30_PER_STRATUM);
    }

    @Test
    void threeToTwoBlocksOfTheKnownSecretAreKnown() {
        DesignVersion version = Designs.version(Designs.ratio(3, 2), Designs.sizes(5, 1, 10, 1, 15, 1));
        PermutedBlockRandomiser randomiser = new PermutedBlockRandomiser(SECRET);
        assertThat(randomiser.block(Designs.A_OOW, 0, version).arms())
                .containsExactly("treatment", "treatment", "treatment", "control", "control");
        assertThat(randomiser.block(Designs.A_OOW, 1, version).arms()).containsExactly(
                "treatment", "control", "control", "control", "treatment", "control", "control", "treatment",
                "treatment", "treatment", "treatment", "treatment", "treatment", "control", "treatment");
        assertThat(randomiser.block(Designs.A_OOW, 2, version).arms())
                .containsExactly("treatment", "treatment", "control", "control", "treatment");
    }

    @Test
    void theSecretIsTheOneNamed() {
        assertThat(HexFormat.of().formatHex(SECRET.bytes())).startsWith("000102").endsWith("1e1f");
    }
}
