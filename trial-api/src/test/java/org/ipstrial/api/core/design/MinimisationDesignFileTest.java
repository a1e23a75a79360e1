package org.ipstrial.api.core.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.ipstrial.config.ConfigFileException;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.ImbalanceMeasure;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.Stratum;
import org.junit.jupiter.api.Test;

/** The design file's {@code kind: minimisation}. */
class MinimisationDesignFileTest {

    static final Path DEMO = Path.of("..", "config", "randomisation-minimisation-demo.yml");

    static final String VALID = """
            kind: minimisation
            name: small
            stratify_by: [site]
            strata: [A, B]
            factors:
              - {name: sex, levels: [female, male]}
              - {name: area, levels: [north, south]}
            arms: [treatment, control]
            versions:
              - number: 1
                effective_from: 2026-01-05T00:00:00Z
                ratio: {treatment: 1, control: 1}
                factor_weights: {sex: 1, area: 2}
                imbalance: range
                minimising_probability: 0.8
            """;

    @Test
    void theShippedDemoIsAMinimisationDesignStratifiedBySite() {
        DesignFile.Read read = DesignFile.readAny(DEMO);
        assertThat(read).isInstanceOf(DesignFile.Read.Minimisation.class);
        MinimisationDesign design = ((DesignFile.Read.Minimisation) read).design();
        assertThat(design.name()).isEqualTo("ips-minimised-demo");
        assertThat(design.stratifyBy()).containsExactly("site");
        assertThat(design.strata()).containsExactly(Stratum.of("A"), Stratum.of("B"));
        assertThat(design.factorNames()).containsExactly("gender", "dependent_children", "qualification");
        assertThat(design.version(1).minimisingProbability()).isEqualByComparingTo("0.8");
        assertThat(design.version(1).measure()).isEqualTo(ImbalanceMeasure.RANGE);
    }

    @Test
    void theCommentedChangeOfTheDemoIsAValidSecondVersion() throws Exception {
        StringBuilder uncommented = new StringBuilder();
        boolean inExample = false;
        for (String line : java.nio.file.Files.readAllLines(DEMO)) {
            inExample |= line.startsWith("#  - number: 2");
            uncommented.append(inExample && line.startsWith("#") ? line.substring(1) : line).append('\n');
        }
        DesignFile.Read read = DesignFile.parseAny(new StringReader(uncommented.toString()), "demo with version 2");
        MinimisationDesign design = ((DesignFile.Read.Minimisation) read).design();
        assertThat(design.versions()).hasSize(2);
        assertThat(design.version(2).measure()).isEqualTo(ImbalanceMeasure.VARIANCE);
        assertThat(design.version(2).factorWeights()).containsEntry("qualification", 2);
        assertThat(design.versionInForceAt(java.time.Instant.parse("2026-03-02T00:00:00Z")).number()).isEqualTo(2);
    }

    @Test
    void aValidFileGivesEveryField() {
        MinimisationDesign design = parse(VALID);
        assertThat(design.version(1).factorWeights()).containsExactly(java.util.Map.entry("sex", 1), java.util.Map.entry("area", 2));
        assertThat(design.version(1).minimisingProbability()).isEqualTo(new BigDecimal("0.8"));
        MinimisationDesign unstratified = parse(VALID.replace("stratify_by: [site]\nstrata: [A, B]\n", "")
                .replace("imbalance: range", "imbalance: variance"));
        assertThat(unstratified.strata()).containsExactly(MinimisationDesign.UNSTRATIFIED);
        assertThat(unstratified.version(1).measure()).isEqualTo(ImbalanceMeasure.VARIANCE);
        MinimisationDesign byLevels = parse(VALID.replace("strata: [A, B]", "levels: {site: [A, B, C]}"));
        assertThat(byLevels.strata()).extracting(Stratum::key).containsExactly("A", "B", "C");
    }

    @Test
    void theBlockReaderRefusesAMinimisationDesignNamingItsKind() {
        assertThatThrownBy(() -> DesignFile.parse(new StringReader(VALID), "design.yml"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("design.yml: line 1, column 7: kind: design small is a minimisation design; this reader takes "
                        + "permuted_blocks designs only (the service, scripts/allocation-list and scripts/design-diagnostics "
                        + "read both kinds)");
        assertThat(DesignFile.parseAny(new StringReader(DesignFileTest.VALID), "blocks.yml"))
                .isInstanceOf(DesignFile.Read.Blocks.class);
        assertThat(DesignFile.parseAny(new StringReader("kind: permuted_blocks\n" + DesignFileTest.VALID), "blocks.yml"))
                .isInstanceOf(DesignFile.Read.Blocks.class);
    }

    @Test
    void badFieldsNameFileLineAndField() {
        assertThatThrownBy(() -> parse(VALID.replace("kind: minimisation", "kind: minimization")))
                .hasMessage("design.yml: line 1, column 7: kind: must be minimisation or permuted_blocks "
                        + "(found: minimization)");
        assertThatThrownBy(() -> parse(VALID.replace("minimising_probability: 0.8", "minimising_probability: 0.3")))
                .hasMessageStartingWith("design.yml: line 10, column 5: versions[0]: design version 1: minimising probability must be "
                        + "from 1/2 (0.5) to 1, was 0.3");
        assertThatThrownBy(() -> parse(VALID.replace("minimising_probability: 0.8", "minimising_probability: most")))
                .hasMessage("design.yml: line 15, column 29: versions[0].minimising_probability: must be a number "
                        + "(found: most)");
        assertThatThrownBy(() -> parse(VALID.replace("imbalance: range", "imbalance: sd")))
                .hasMessage("design.yml: line 14, column 16: versions[0].imbalance: imbalance measure 'sd' is not one of range, variance");
        assertThatThrownBy(() -> parse(VALID.replace("{sex: 1, area: 2}", "{area: 2, sex: 1}")))
                .hasMessageContaining("factor weights are given for [area, sex] but the factors are [sex, area]");
        assertThatThrownBy(() -> parse(VALID.replace("{sex: 1, area: 2}", "{sex: 1, area: two}")))
                .hasMessage("design.yml: line 13, column 36: versions[0].factor_weights.area: must be a whole number (found: two)");
        assertThatThrownBy(() -> parse(VALID.replace("levels: [north, south]", "levels: [north]")))
                .hasMessage("design.yml: line 7, column 5: factors[1]: minimisation factor area: at least two levels are needed, got [north]");
        assertThatThrownBy(() -> parse(VALID.replace("{name: sex,", "{nam: sex,")))
                .hasMessageContaining("design.yml: line 6, column 11: factors[0].nam: is not a known field");
        assertThatThrownBy(() -> parse(VALID.replace("imbalance: range", "imbalance: range\n    block_sizes: []")))
                .hasMessageContaining("versions[0].block_sizes: is not a known field");
        assertThatThrownBy(() -> parse(VALID.replace("stratify_by: [site]\n", "")))
                .hasMessageContaining("design.yml: line 3, column 9: strata: a design without stratify_by has the one stratum all");
        assertThatThrownBy(() -> parse(VALID.replace("stratify_by: [site]", "stratify_by: [sex]").replace("[A, B]", "[female]")))
                .hasMessageContaining("sex is also a stratification factor");
    }

    private static MinimisationDesign parse(String yaml) {
        DesignFile.Read read = DesignFile.parseAny(new StringReader(yaml), "design.yml");
        return ((DesignFile.Read.Minimisation) read).design();
    }
}
