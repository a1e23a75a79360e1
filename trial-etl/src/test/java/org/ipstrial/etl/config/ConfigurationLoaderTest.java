package org.ipstrial.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationLoaderTest {
    @TempDir
    Path dir;

    static final String VALID = """
            participants: in/participants.csv
            baseline: in/baseline.csv
            payroll:
              file: in/payroll.csv
              extractDate: 2021-03-31
            benefits:
              file: in/benefits.csv
              extractDate: 2021-02-28
            surveyWaves:
              12m: in/s12.csv
              4m: in/s4.csv
            pseudonymisationKeyFile: /secure/key
            outputFolder: out
            """;

    private Path write(String yaml) throws IOException {
        Path p = dir.resolve("etl.yml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void readsAValidConfigurationWithDefaults() throws IOException {
        EtlConfiguration c = ConfigurationLoader.load(write(VALID));
        assertThat(c.participants()).isEqualTo(dir.resolve("in/participants.csv"));
        assertThat(c.pseudonymisationKeyFile()).isEqualTo(Path.of("/secure/key"));
        assertThat(c.payroll().extractDate()).isEqualTo(LocalDate.of(2021, 3, 31));
        assertThat(c.surveyWaves()).extracting(EtlConfiguration.SurveyWave::prefix).containsExactly("m4", "m12");
        assertThat(c.outOfWorkBenefits()).isEqualTo(org.ipstrial.etl.derive.OutOfWorkBenefitSet.reference());
        assertThat(c.writeCrosswalk()).isFalse();
        assertThat(c.questionnaires().scores()).extracting(s -> s.name())
                .containsExactly("swemwbs_raw", "eq5d_lss", "eq5d_vas", "phq8", "gad7", "jsse", "ons_life_sat");
    }

    @Test
    void errorsNameTheField() throws IOException {
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID.replace("extractDate: 2021-03-31", "extractDate: 31/03/2021"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("payroll.extractDate:");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID.replace("baseline: in/baseline.csv\n", ""))))
                .hasMessageContaining("baseline: is required");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID + "outputFolders: x\n")))
                .hasMessageContaining("outputFolders: is not a known field");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID.replace("4m:", "four:"))))
                .hasMessageContaining("surveyWaves.four:");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID + "options:\n  writeCrosswalk: yes please\n")))
                .hasMessageContaining("options.writeCrosswalk:");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID
                + "options:\n  outOfWorkBenefits:\n    benefits: [JSA]\n    ucRegimesNotOutOfWork: [busy]\n")))
                .hasMessageContaining("options.outOfWorkBenefits.ucRegimesNotOutOfWork:");
        assertThatThrownBy(() -> ConfigurationLoader.load(write("participants: [")))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigurationLoader.load(dir.resolve("missing.yml"))).hasMessageContaining("does not exist");
    }

    @Test
    void questionnaireFileErrorsNameTheField() throws IOException {
        Files.writeString(dir.resolve("q.yml"), "scores:\n  - name: x\n    label: X\n    items: [a, b]\n    min: 1\n    max: 5\n    proratedMissingItems: 2\n");
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID + "options:\n  questionnaires: q.yml\n")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("scores[0]:").hasMessageContaining("proratedMissingItems");
    }

    @Test
    void optionsAreRead() throws IOException {
        Files.writeString(dir.resolve("q.yml"), "scores:\n  - name: x\n    label: X\n    items: [a, b]\n    min: 1\n    max: 5\n    proratedMissingItems: 1\n");
        EtlConfiguration c = ConfigurationLoader.load(write(VALID + """
                options:
                  outOfWorkBenefits:
                    benefits: [JSA, UC]
                    ucRegimesNotOutOfWork: [light_touch]
                  questionnaires: q.yml
                  writeCrosswalk: true
                """));
        assertThat(c.outOfWorkBenefits().describe()).isEqualTo("JSA,UC; UC except regimes light_touch");
        assertThat(c.questionnaires().scores().get(0).proratedMissingItems()).isEqualTo(1);
        assertThat(c.writeCrosswalk()).isTrue();
    }

    /** The four kinds of mistake, each named with its line, column and field ("~" is a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | extractDate: 2021-03-31   | extractDate: [2021] | line 5, column 16: payroll.extractDate: must be a date written YYYY-MM-DD (found: a list)
            unknown field | outputFolder: out         | outputFolders: out  | line 13, column 16: outputFolders: is not a known field (known: baseline, benefits,
            missing field | '  file: in/payroll.csv~' | ''                  | line 4, column 3: payroll.file: is required
            out of range  | outputFolder: out         | outputFolder: out~options: {memoryBudgetMegabytes: 8} | line 14, column 34: options.memoryBudgetMegabytes: must be at least 16 (found: 8)
            """)
    void eachKindOfMistakeNamesTheLineAndTheField(String mistake, String from, String to, String expected) throws IOException {
        assertThatThrownBy(() -> ConfigurationLoader.load(write(VALID.replace(from.replace('~', '\n'), to.replace('~', '\n')))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("etl.yml: " + expected);
    }
}
