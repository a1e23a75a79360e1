package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configuration is checked as a whole before anything is generated, and every error names the field. */
class SimulationConfigTest {
    @TempDir
    Path temp;

    /** The small configuration with one piece of text replaced, written beside copies of the files it names. */
    private Path edited(String from, String to) throws IOException {
        String text = Files.readString(Fixtures.SMALL);
        assertThat(text).contains(from);
        for (String name : new String[] {"trial-demo.yml", "randomisation-simulation.yml"}) {
            Files.copy(Fixtures.SMALL.resolveSibling(name), temp.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path file = temp.resolve("simulation.yml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }

    @Test
    void theRepositorysConfigurationsAreValid() {
        SimulationConfig small = SimulationConfig.read(Fixtures.SMALL);
        SimulationConfig reference = SimulationConfig.read(Fixtures.REFERENCE);
        assertThat(small.scale()).isEqualTo(0.05);
        assertThat(reference.scale()).isEqualTo(1.0);
        int total = reference.groups().keySet().stream().mapToInt(reference::randomisedAtScale).sum();
        assertThat(total).isEqualTo(9785);
        assertThat(reference.testSecret()).isTrue();
        assertThat(reference.recruitment().end()).hasToString("2019-10-31");
        assertThat(reference.toString()).doesNotContain(reference.secret().toHex());
    }

    @Test
    void anUnknownFieldIsAnErrorNamingIt() throws IOException {
        Path file = edited("  withdrawal_rate: 0.02933", "  withdrawl_rate: 0.02933");
        assertThatThrownBy(() -> SimulationConfig.read(file)).isInstanceOf(SimulationConfigException.class)
                .hasMessageContaining("follow_up.withdrawl_rate: is not a known field");
    }

    @Test
    void theDeliveryModelIsOptionalAndItsFieldsAreChecked() throws IOException {
        assertThat(SimulationConfig.read(edited("\nseed: 7", "\ndelivery:\n  engaged_share: 0.9\nseed: 7")).delivery())
                .hasValueSatisfying(d -> assertThat(d.engagedShare()).isEqualTo(0.9));
        assertThat(SimulationConfig.read(edited("\nseed: 7", "\nseed: 7")).delivery()).isEmpty();
        assertThatThrownBy(() -> SimulationConfig.read(edited("\nseed: 7", "\ndelivery:\n  engaged: 0.9\nseed: 7")))
                .isInstanceOf(SimulationConfigException.class).hasMessageContaining("delivery.engaged: is not a known field");
        assertThatThrownBy(() -> SimulationConfig.read(edited("\nseed: 7", "\ndelivery:\n  engaged_share: 1.5\nseed: 7")))
                .isInstanceOf(SimulationConfigException.class).hasMessageContaining("delivery.engaged_share");
    }

    @Test
    void aFieldGivenTwiceIsAnError() throws IOException {
        Path file = edited("  death_rate: 0.00102", "  death_rate: 0.00102\n  death_rate: 0.5");
        assertThatThrownBy(() -> SimulationConfig.read(file)).isInstanceOf(SimulationConfigException.class)
                .hasMessageContaining("death_rate");
    }

    @Test
    void aMissingFieldIsNamedWithItsPath() throws IOException {
        Path file = edited("    median_annual_pay: 14000\n", "");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("trial_groups.A-OOW.median_annual_pay: is required");
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() throws IOException {
        Path file = edited("admin_linkage: 0.95", "admin_linkage: 1.95");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("consent.admin_linkage").hasMessageContaining("1.95");
    }

    @Test
    void sharesMustAddUpToOne() throws IOException {
        Path file = edited("less_than_half: 0.35, not_at_all: 0.40", "less_than_half: 0.35, not_at_all: 0.50");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("trial_groups.A-OOW.work_last_2y")
                .hasMessageContaining("add up to");
    }

    @Test
    void aTrialGroupMustBeOneOfTheTrialDefinitions() throws IOException {
        Path file = edited("  B-OOW:\n    randomised", "  C-OOW:\n    randomised");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("trial_groups.C-OOW")
                .hasMessageContaining("not a trial group");
    }

    @Test
    void aPooledGroupMustNameConfiguredTrialGroups() throws IOException {
        Path file = edited("\"all out-of-work\": [A-OOW, B-OOW]", "\"all out-of-work\": [A-OOW, B-IW]");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("pooled_groups.all out-of-work")
                .hasMessageContaining("B-IW");
    }

    @Test
    void aDateMustBeADate() throws IOException {
        Path file = edited("payroll: 2021-09-30", "payroll: 30/09/2021");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("extracts.payroll")
                .hasMessageContaining("YYYY-MM-DD");
    }

    @Test
    void anExtractBeforeTheLastOutcomeYearEndsIsRefused() throws IOException {
        Path file = edited("benefits: 2021-08-31", "benefits: 2020-06-30");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("extracts").hasMessageContaining("2020-10-29");
    }

    @Test
    void aShortSecretIsRefusedWithoutQuotingIt() throws IOException {
        String secret = "54455354207365637265742d2d";
        Path file = edited("test_secret_hex: \"", "test_secret_hex: \"" + secret + "\"\n# was: \"");
        assertThatThrownBy(() -> SimulationConfig.read(file)).hasMessageContaining("randomisation.test_secret_hex")
                .hasMessageContaining("too short").hasMessageNotContaining(secret);
    }

    @Test
    void anEffectTheModelCannotReachIsAnErrorNamingIt() throws IOException {
        Path file = edited("      earnings_12m: 150               # [brief]", "      earnings_12m: 40000");
        SimulationConfig config = SimulationConfig.read(file);
        assertThatThrownBy(() -> TrialSimulator.simulate(config)).isInstanceOf(SimulationConfigException.class)
                .hasMessageContaining("trial_groups.B-OOW.effects.earnings_12m");
    }

    @Test
    void aDesignWhoseFirstVersionStartsAfterRecruitmentCannotRandomise() throws IOException {
        Path file = edited("design: randomisation-simulation.yml", "design: randomisation-late.yml");
        Files.writeString(temp.resolve("randomisation-late.yml"), Files.readString(temp.resolve("randomisation-simulation.yml"))
                .replace("2018-04-01T00:00:00Z", "2026-01-05T00:00:00Z"));
        SimulationConfig config = SimulationConfig.read(file);
        assertThatThrownBy(() -> TrialSimulator.simulate(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no version of design");
    }

    /** The four kinds of mistake, each named with its line (that of {@code lineOf}) and field ("~" is a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | payroll: 2021-09-30            | payroll: [2021]          | payroll: [2021]   | extracts.payroll: must be a date written YYYY-MM-DD (found: a list)
            unknown field | '  admin_linkage: 0.95'        | '  admin_link: 0.9~  admin_linkage: 0.95' | admin_link: | consent.admin_link: is not a known field (known: admin_linkage, survey_contact)
            missing field | '    median_annual_pay: 14000~' | ''                      | 'randomised: 3591' | trial_groups.A-OOW.median_annual_pay: is required
            out of range  | 'admin_linkage: 0.95'          | 'admin_linkage: 1.95'    | admin_linkage:    | consent.admin_linkage: must be at most 1 (found: 1.95)
            """)
    void eachKindOfMistakeNamesTheLineAndTheField(String mistake, String from, String to, String lineOf, String expected)
            throws IOException {
        Path file = edited(from.replace('~', '\n'), to.replace('~', '\n'));
        String text = Files.readString(file);
        long line = text.substring(0, text.indexOf(lineOf)).chars().filter(c -> c == '\n').count() + 1;
        assertThatThrownBy(() -> SimulationConfig.read(file)).isInstanceOf(SimulationConfigException.class)
                .hasMessageMatching("(?s).*simulation.yml: line " + line + ", column \\d+: " + java.util.regex.Pattern.quote(expected) + ".*");
    }
}
