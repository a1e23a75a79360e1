package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesignCommitmentTest {

    private static final RandomisationSecret SECRET = KnownAnswerTest.SECRET;

    @Test
    void theCanonicalTextIsTheDocumentedOne() {
        assertThat(DesignCommitment.canonicalDesignText(Designs.reference())).isEqualTo("""
                ipstrial-randomisation-design/v1
                algorithm=ipstrial/permuted-block/v1
                name=ips-reference-trial
                factors=site,trial_group
                stratum=A/A-OOW
                stratum=A/A-IW
                stratum=B/B-OOW
                version=1
                effective_from=2026-01-05T09:00:00Z
                arms=treatment,control
                ratio=treatment:1,control:1
                block_sizes=2:1,4:2,6:1
                """);
    }

    @Test
    void theCommitmentIsTheSha256OfTheTextAndTheSecretLine() throws Exception {
        String text = DesignCommitment.canonicalDesignText(Designs.reference()) + "secret=" + SECRET.toHex() + "\n";
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(DesignCommitment.of(SECRET, Designs.reference())).isEqualTo(expected).hasSize(64);
    }

    @Test
    void theCommitmentMatchesOnlyTheSameDesignAndSecret() {
        RandomisationDesign design = Designs.reference();
        String commitment = DesignCommitment.of(SECRET, design);
        assertThat(DesignCommitment.matches(commitment.toUpperCase() + "\n", SECRET, design)).isTrue();
        assertThat(DesignCommitment.matches(commitment, Designs.secret(1), design)).isFalse();
        RandomisationDesign changedWeights = new RandomisationDesign(design.name(), design.factors(), design.strata(),
                List.of(Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1, 4, 3, 6, 1))));
        assertThat(DesignCommitment.matches(commitment, SECRET, changedWeights)).isFalse();
        RandomisationDesign reorderedSizes = new RandomisationDesign(design.name(), design.factors(), design.strata(),
                List.of(Designs.version(Designs.ratio(1, 1), Designs.sizes(4, 2, 2, 1, 6, 1))));
        assertThat(DesignCommitment.matches(commitment, SECRET, reorderedSizes)).isFalse();
    }

    @Test
    void overridesAppearInTheDesignsStratumOrder() {
        DesignVersion version = new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of(Designs.B_OOW, Designs.ratio(1, 2), Designs.A_OOW, Designs.ratio(2, 1)),
                Designs.sizes(6, 1), Map.of(Designs.A_OOW, Designs.sizes(3, 1)));
        RandomisationDesign design = new RandomisationDesign("d", List.of("site", "trial_group"),
                Designs.REFERENCE_STRATA, List.of(version));
        assertThat(DesignCommitment.canonicalDesignText(design)).endsWith("""
                block_sizes=6:1
                stratum_ratio=A/A-OOW;treatment:2,control:1
                stratum_ratio=B/B-OOW;treatment:1,control:2
                stratum_block_sizes=A/A-OOW;3:1
                """);
    }
}
