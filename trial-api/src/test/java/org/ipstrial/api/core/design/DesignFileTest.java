package org.ipstrial.api.core.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.ipstrial.config.ConfigFileException;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class DesignFileTest {

    static final Path DEMO = Path.of("..", "config", "randomisation-demo.yml");

    static final String VALID = """
            name: small
            factors: [site, trial_group]
            strata:
              - A/A-OOW
              - B/B-OOW
            arms: [treatment, control]
            versions:
              - number: 1
                effective_from: 2026-01-05T00:00:00Z
                ratio: {treatment: 1, control: 1}
                block_sizes:
                  - {size: 2, weight: 1}
                  - {size: 4, weight: 1}
            """;

    @Test
    void theShippedDemoDesignIsTheReferenceTrial() {
        RandomisationDesign design = DesignFile.read(DEMO);
        assertThat(design.name()).isEqualTo("ips-reference-trial");
        assertThat(design.strata()).extracting(Stratum::key).containsExactly("A/A-OOW", "A/A-IW", "B/B-OOW");
        assertThat(design.arms()).containsExactly("treatment", "control");
        assertThat(design.version(1).defaultRatio().sum()).isEqualTo(2);
        assertThat(design.version(1).blockSizes()).containsExactly(
                new BlockSizeChoice(2, 1), new BlockSizeChoice(4, 2), new BlockSizeChoice(6, 1));
    }

    @Test
    void theCommentedRatioChangeOfTheDemoIsAValidSecondVersion() throws Exception {
        // The demo shows, commented out, how a statistician adds a version: it must be valid as written.
        List<String> lines = Files.readAllLines(DEMO);
        StringBuilder uncommented = new StringBuilder();
        boolean inExample = false;
        for (String line : lines) {
            inExample |= line.startsWith("#  - number: 2");
            uncommented.append(inExample && line.startsWith("#") ? line.substring(1) : line).append('\n');
        }
        RandomisationDesign design = DesignFile.parse(new StringReader(uncommented.toString()), "demo with version 2");
        assertThat(design.versions()).hasSize(2);
        Stratum aOow = Stratum.parse("A/A-OOW");
        assertThat(design.version(2).ratioFor(aOow).weightOf("control")).isEqualTo(2);
        assertThat(design.version(2).blockSizesFor(aOow)).extracting(BlockSizeChoice::size).containsExactly(3, 6);
        assertThat(design.versionInForceAt(Instant.parse("2026-03-02T00:00:00Z")).number()).isEqualTo(2);
    }

    @Test
    void levelsGiveTheFullProduct() {
        RandomisationDesign design = parse(VALID.replace("""
                strata:
                  - A/A-OOW
                  - B/B-OOW
                """, "levels: {site: [A, B], trial_group: [OOW, IW]}\n"));
        assertThat(design.strata()).extracting(Stratum::key).containsExactly("A/OOW", "A/IW", "B/OOW", "B/IW");
    }

    @Test
    void aBlockSizeThatIsNotAMultipleOfTheRatioSumNamesFileLineAndField() {
        String bad = VALID.replace("{treatment: 1, control: 1}", "{treatment: 2, control: 1}");
        assertThatThrownBy(() -> parse(bad))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("design.yml: line 8, column 5: versions[0]: design version 1: block sizes: block size 2 is not a "
                        + "multiple of 3, the sum of the allocation ratio treatment:control = 2:1");
    }

    @Test
    void aNegativeWeightNamesItsLine() {
        assertThatThrownBy(() -> parse(VALID.replace("{size: 4, weight: 1}", "{size: 4, weight: -1}")))
                .hasMessage("design.yml: line 13, column 9: versions[0].block_sizes[1]: block size 4: the weight must not be "
                        + "negative, was -1");
    }

    @Test
    void anEmptyArmSetIsRefused() {
        assertThatThrownBy(() -> parse(VALID.replace("arms: [treatment, control]", "arms: []")))
                .hasMessageContaining("design.yml: line 8, column 5: versions[0]: design version 1: arms: a randomised design "
                        + "needs at least two arms, got 0");
    }

    @Test
    void aMisspeltFieldIsAnErrorNotADefault() {
        assertThatThrownBy(() -> parse(VALID.replace("block_sizes:", "block_size:")))
                .hasMessageStartingWith("design.yml: line 12, column 7: versions[0].block_size: is not a known field (known: "
                        + "block_sizes, effective_from, number, ratio, strata)");
        assertThatThrownBy(() -> parse(VALID + "    blocks: 4\n"))
                .hasMessageStartingWith("design.yml: line 14, column 13: versions[0].blocks: is not a known field");
    }

    @Test
    void badValuesNameTheirLine() {
        assertThatThrownBy(() -> parse(VALID.replace("2026-01-05T00:00:00Z", "5 Jan 2026")))
                .hasMessage("design.yml: line 9, column 21: versions[0].effective_from: must be a UTC time such as "
                        + "2026-01-05T09:00:00Z (found: 5 Jan 2026)");
        assertThatThrownBy(() -> parse(VALID.replace("{size: 2, weight: 1}", "{size: two, weight: 1}")))
                .hasMessage("design.yml: line 12, column 16: versions[0].block_sizes[0].size: must be a whole number (found: two)");
        assertThatThrownBy(() -> parse(VALID.replace("  - B/B-OOW", "  - B//B-OOW")))
                .hasMessageStartingWith("design.yml: line 5, column 5: strata[1]: stratum level 2 '' is not a code");
        assertThatThrownBy(() -> parse(VALID.replace("control: 1}", "control: 0}")))
                .hasMessage("design.yml: line 10, column 12: versions[0].ratio: allocation ratio: the weight of arm 'control' "
                        + "must be a positive integer, was 0");
    }

    @Test
    void anOverrideOfAStratumTheDesignDoesNotHaveNamesItsLine() {
        String override = VALID + """
                    strata:
                      C/C-OOW:
                        ratio: {treatment: 1, control: 1}
                """;
        assertThatThrownBy(() -> parse(override))
                .hasMessage("design.yml: line 16, column 9: versions[0].strata.C/C-OOW: is not one of the design's strata "
                        + "[A/A-OOW, B/B-OOW]");
    }

    @Test
    void brokenYamlAndDuplicateKeysNameTheirLine() {
        assertThatThrownBy(() -> parse(VALID.replace("arms: [treatment, control]", "arms: [treatment, control")))
                .hasMessageStartingWith("design.yml: line ").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse(VALID + "name: again\n"))
                .hasMessage("design.yml: line 14, column 5: not valid YAML: name is given twice");
        assertThatThrownBy(() -> parse("")).hasMessage("design.yml: the file is empty");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path folder) {
        Path missing = folder.resolve("nowhere.yml");
        assertThatThrownBy(() -> DesignFile.read(missing)).hasMessage(missing + ": does not exist");
    }

    /** The four kinds of mistake, each named with its line, column and field ("~" is a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | number: 1                  | number: one                     | line 8, column 13: versions[0].number: must be a whole number (found: one)
            unknown field | arms: [treatment, control] | arms: [treatment, control]~arm: x | line 7, column 6: arm: is not a known field (known: arms, factors, kind, levels, name, strata, versions)
            missing field | name: small~               | ''                              | line 1, column 1: name: is required
            out of range  | '{size: 4, weight: 1}'     | '{size: 4, weight: -1}'         | line 13, column 9: versions[0].block_sizes[1]: block size 4: the weight must not be negative, was -1
            """)
    void eachKindOfMistakeNamesTheLineAndTheField(String mistake, String from, String to, String expected) {
        assertThatThrownBy(() -> parse(VALID.replace(from.replace('~', '\n'), to.replace('~', '\n'))))
                .isInstanceOf(ConfigFileException.class).hasMessage("design.yml: " + expected);
    }

    private static RandomisationDesign parse(String yaml) {
        return DesignFile.parse(new StringReader(yaml), "design.yml");
    }
}
