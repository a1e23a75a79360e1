package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad designs are refused with an error naming the field. */
class DesignValidationTest {

    @Test
    void aBlockSizeThatIsNotAMultipleOfTheRatioSumIsRefused() {
        assertThatThrownBy(() -> Designs.version(Designs.ratio(2, 1), Designs.sizes(3, 1, 4, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("design version 1: block sizes: block size 4 is not a multiple of 3, the sum of the "
                        + "allocation ratio treatment:control = 2:1");
    }

    @Test
    void aStratumRatioWhoseSumDoesNotDivideTheDefaultSizesNeedsSizesOfItsOwn() {
        assertThatThrownBy(() -> new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                        Map.of(Designs.A_OOW, Designs.ratio(2, 1)), Designs.sizes(2, 1, 4, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stratum A/A-OOW: the default block sizes: block size 2 is not a multiple of 3")
                .hasMessageContaining("give this stratum block sizes of its own");
        DesignVersion fixed = new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of(Designs.A_OOW, Designs.ratio(2, 1)), Designs.sizes(2, 1, 4, 1),
                Map.of(Designs.A_OOW, Designs.sizes(3, 1, 6, 1)));
        assertThat(fixed.blockSizesFor(Designs.A_OOW)).extracting(BlockSizeChoice::size).containsExactly(3, 6);
        assertThat(fixed.blockSizesFor(Designs.B_OOW)).extracting(BlockSizeChoice::size).containsExactly(2, 4);
        assertThat(fixed.ratioFor(Designs.A_OOW).sum()).isEqualTo(3);
        assertThat(fixed.ratioFor(Designs.B_OOW).sum()).isEqualTo(2);
    }

    @Test
    void aVersionKeepsItsOwnCopiesOfTheListsItWasGiven() {
        java.util.List<BlockSizeChoice> sizes = new java.util.ArrayList<>(Designs.sizes(3, 1));
        DesignVersion version = new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of(Designs.A_OOW, Designs.ratio(2, 1)), Designs.sizes(2, 1), Map.of(Designs.A_OOW, sizes));
        sizes.add(new BlockSizeChoice(4, 1));
        assertThat(version.blockSizesFor(Designs.A_OOW)).extracting(BlockSizeChoice::size).containsExactly(3);
    }

    @Test
    void anEmptyArmSetIsRefused() {
        assertThatThrownBy(() -> new DesignVersion(1, Designs.GO_LIVE, List.of(), Designs.ratio(1, 1), Map.of(),
                        Designs.sizes(2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("design version 1: arms: a randomised design needs at least two arms, got 0");
        assertThatThrownBy(() -> new AllocationRatio(Map.of()))
                .hasMessage("allocation ratio: no arms given");
    }

    @Test
    void aRatioNamingOtherArmsIsRefused() {
        assertThatThrownBy(() -> new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS,
                        AllocationRatio.of(List.of("treatment", "usual_care"), 1, 1), Map.of(), Designs.sizes(2, 1)))
                .hasMessageContaining("design version 1: allocation ratio: gives arms [treatment, usual_care]");
    }

    @Test
    void aNegativeWeightIsRefused() {
        assertThatThrownBy(() -> new BlockSizeChoice(4, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block size 4: the weight must not be negative, was -1");
    }

    @Test
    void allZeroWeightsAreRefused() {
        assertThatThrownBy(() -> Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 0, 4, 0)))
                .hasMessage("design version 1: block sizes: every weight is zero, so no block size could be drawn");
    }

    @Test
    void aNonPositiveRatioWeightIsRefused() {
        assertThatThrownBy(() -> Designs.ratio(1, 0))
                .hasMessage("allocation ratio: the weight of arm 'control' must be a positive integer, was 0");
        assertThatThrownBy(() -> Designs.ratio(-2, 1))
                .hasMessage("allocation ratio: the weight of arm 'treatment' must be a positive integer, was -2");
    }

    @Test
    void aNonPositiveBlockSizeAndARepeatedSizeAreRefused() {
        assertThatThrownBy(() -> new BlockSizeChoice(0, 1)).hasMessage("block size must be a positive integer, was 0");
        assertThatThrownBy(() -> Designs.version(Designs.ratio(1, 1), Designs.sizes(4, 1, 4, 2)))
                .hasMessage("design version 1: block sizes: block size 4 is listed twice");
    }

    @Test
    void versionsAreNumberedInOrderWithIncreasingTimes() {
        DesignVersion first = Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1));
        DesignVersion sameTime = Designs.version(2, Designs.GO_LIVE, Designs.ratio(2, 1), Designs.sizes(3, 1));
        assertThatThrownBy(() -> design(List.of(first, sameTime)))
                .hasMessageContaining("design version 2: effective from 2026-01-05T09:00:00Z must be after version 1's");
        DesignVersion third = Designs.version(3, Designs.GO_LIVE.plusSeconds(60), Designs.ratio(2, 1), Designs.sizes(3, 1));
        assertThatThrownBy(() -> design(List.of(first, third)))
                .hasMessageContaining("versions: version 2 is expected in position 2 but found version 3");
    }

    @Test
    void strataMustMatchTheFactorsAndOverridesMustNameAStratum() {
        DesignVersion version = new DesignVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of(Stratum.of("C", "C-OOW"), Designs.ratio(1, 1)), Designs.sizes(2, 1));
        assertThatThrownBy(() -> design(List.of(version)))
                .hasMessage("design version 1: stratum C/C-OOW is not one of the design's strata");
        assertThatThrownBy(() -> new RandomisationDesign("d", List.of("site"), List.of(Designs.A_OOW),
                        List.of(Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1)))))
                .hasMessageContaining("strata: stratum A/A-OOW has 2 levels but the design has 1 factors [site]");
    }

    @Test
    void theVersionInForceIsTheLastOneStartedAndNoneBeforeGoLive() {
        Instant change = Designs.GO_LIVE.plusSeconds(3600);
        RandomisationDesign design = design(List.of(Designs.version(Designs.ratio(1, 1), Designs.sizes(2, 1)),
                Designs.version(2, change, Designs.ratio(2, 1), Designs.sizes(3, 1))));
        assertThat(design.versionInForceAt(Designs.GO_LIVE).number()).isEqualTo(1);
        assertThat(design.versionInForceAt(change.minusMillis(1)).number()).isEqualTo(1);
        assertThat(design.versionInForceAt(change).number()).isEqualTo(2);
        assertThat(design.version(2).effectiveFrom()).isEqualTo(change);
        assertThatThrownBy(() -> design.versionInForceAt(Designs.GO_LIVE.minusSeconds(1)))
                .hasMessageContaining("no version of design ips-reference-trial is in force at 2026-01-05T08:59:59Z");
        assertThatThrownBy(() -> design.version(3)).hasMessageContaining("has no version 3");
    }

    @Test
    void strataAreTheProductOfTheFactorLevels() {
        assertThat(RandomisationDesign.product(List.of(List.of("A", "B"), List.of("OOW", "IW"))))
                .containsExactly(Stratum.of("A", "OOW"), Stratum.of("A", "IW"), Stratum.of("B", "OOW"),
                        Stratum.of("B", "IW"));
    }

    @Test
    void aStratumKeyRoundTripsAndRefusesBadLevels() {
        assertThat(Stratum.parse("A/A-OOW")).isEqualTo(Designs.A_OOW);
        assertThat(Designs.A_OOW.key()).isEqualTo("A/A-OOW");
        assertThatThrownBy(() -> Stratum.parse("A//B")).hasMessageContaining("stratum level 2 '' is not a code");
        assertThatThrownBy(() -> Stratum.of("A", "x,y")).hasMessageContaining("stratum level 2 'x,y' is not a code");
    }

    private static RandomisationDesign design(List<DesignVersion> versions) {
        return new RandomisationDesign("ips-reference-trial", List.of("site", "trial_group"), Designs.REFERENCE_STRATA,
                versions);
    }
}
