package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The minimisation design's validation and its commitment. */
class MinimisationDesignTest {

    private static final MinimisationVersion VERSION = Minimisations.handWorked().version(1);

    @Test
    void theCanonicalTextIsTheDocumentedOneAndTheCommitmentItsSha256WithTheSecret() {
        assertThat(DesignCommitment.canonicalDesignText(Minimisations.handWorked())).isEqualTo("""
                ipstrial-randomisation-design/v1
                algorithm=ipstrial/minimisation/v1
                name=hand-worked
                stratify_by=
                stratum=all
                factor=sex;female,male
                factor=area;north,south
                version=1
                effective_from=2026-01-05T09:00:00Z
                arms=treatment,control
                ratio=treatment:1,control:1
                factor_weights=sex:1,area:2
                imbalance=range
                minimising_probability=0.8
                """);
        // printf '...the text above...secret=000102...1f\n' | sha256sum
        assertThat(DesignCommitment.of(KnownAnswerTest.SECRET, Minimisations.handWorked()))
                .isEqualTo("f34b16715f66cd81be0bf4b0f1c090e3f59ae2f73fdf50e7cd9b1324334ad79b");
        assertThat(DesignCommitment.matches("F34B16715F66CD81BE0BF4B0F1C090E3F59AE2F73FDF50E7CD9B1324334AD79B",
                KnownAnswerTest.SECRET, Minimisations.handWorked())).isTrue();
        assertThat(DesignCommitment.matches("f34b16715f66cd81be0bf4b0f1c090e3f59ae2f73fdf50e7cd9b1324334ad79b",
                Designs.secret(1), Minimisations.handWorked())).isFalse();
    }

    @Test
    void theProbabilityIsWrittenWithoutTrailingZerosAndReadInMillionths() {
        MinimisationVersion version = new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of("sex", 1), ImbalanceMeasure.VARIANCE, new BigDecimal("0.750000"));
        assertThat(version.probabilityText()).isEqualTo("0.75");
        assertThat(version.probabilityInMillionths()).isEqualTo(750_000);
        MinimisationVersion one = new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of("sex", 1), ImbalanceMeasure.RANGE, new BigDecimal("1.00"));
        assertThat(one.probabilityText()).isEqualTo("1");
        assertThat(one.probabilityInMillionths()).isEqualTo(1_000_000);
    }

    @Test
    void badVersionsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> probability("0.4")).hasMessageContaining("minimising probability must be from 1/2 (0.5) to 1, was 0.4");
        assertThatThrownBy(() -> probability("1.2")).hasMessageContaining("was 1.2");
        assertThatThrownBy(() -> probability("0.8000001")).hasMessageContaining("more than 6 decimal places");
        assertThatThrownBy(() -> new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of("sex", 0), ImbalanceMeasure.RANGE, BigDecimal.ONE)).hasMessageContaining("every weight is zero");
        assertThatThrownBy(() -> new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1),
                Map.of("sex", -1), ImbalanceMeasure.RANGE, BigDecimal.ONE))
                .hasMessageContaining("the weight of sex must be a whole number from 0 to 1000, was -1");
        assertThatThrownBy(() -> new MinimisationVersion(1, Designs.GO_LIVE, List.of("treatment", "other"),
                Designs.ratio(1, 1), Map.of("sex", 1), ImbalanceMeasure.RANGE, BigDecimal.ONE))
                .hasMessageContaining("allocation ratio: gives arms");
        assertThatThrownBy(() -> new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(997, 991),
                Map.of("sex", 1), ImbalanceMeasure.RANGE, BigDecimal.ONE))
                .hasMessageContaining("the least common multiple of the weights must be at most 1000");
        assertThatThrownBy(() -> ImbalanceMeasure.ofCode("sd")).hasMessageContaining("'sd' is not one of range, variance");
    }

    @Test
    void badDesignsAreRefusedNamingTheField() {
        List<MinimisationFactor> factors = List.of(Minimisations.SEX, Minimisations.AREA);
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of(), List.of(Stratum.of("A")), factors, List.of(VERSION)))
                .hasMessageContaining("a design without stratify_by has the one stratum all");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of("site"), List.of(Stratum.of("A", "x")), factors,
                List.of(VERSION))).hasMessageContaining("stratum A/x has 2 levels but the design stratifies by [site]");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of("sex"), List.of(Stratum.of("female")), factors,
                List.of(VERSION))).hasMessageContaining("sex is also a stratification factor");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                List.of(Minimisations.AREA, Minimisations.SEX), List.of(VERSION)))
                .hasMessageContaining("factor weights are given for [sex, area] but the factors are [area, sex]");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                List.of(Minimisations.SEX, Minimisations.SEX), List.of(VERSION))).hasMessageContaining("sex is listed twice");
        assertThatThrownBy(() -> new MinimisationFactor("sex", List.of("female")))
                .hasMessageContaining("at least two levels");
        assertThatThrownBy(() -> new MinimisationFactor("sex", List.of("female", "fe male")))
                .hasMessageContaining("'fe male' is not a code");
        MinimisationVersion later = Minimisations.version(1, Designs.GO_LIVE.plusSeconds(5), Designs.ratio(1, 1),
                Minimisations.weights("sex", 1, "area", 2), ImbalanceMeasure.RANGE, "0.8");
        MinimisationVersion second = Minimisations.version(2, Designs.GO_LIVE, Designs.ratio(1, 1),
                Minimisations.weights("sex", 1, "area", 2), ImbalanceMeasure.RANGE, "0.8");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                factors, List.of(later, second))).hasMessageContaining("design version 2: effective from");
        assertThatThrownBy(() -> new MinimisationDesign("d", List.of(), List.of(MinimisationDesign.UNSTRATIFIED),
                factors, List.of(second))).hasMessageContaining("version 1 is expected in position 1 but found version 2");
    }

    private static MinimisationVersion probability(String p) {
        return new MinimisationVersion(1, Designs.GO_LIVE, Designs.ARMS, Designs.ratio(1, 1), Map.of("sex", 1),
                ImbalanceMeasure.RANGE, new BigDecimal(p));
    }
}
