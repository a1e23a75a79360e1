package org.ipstrial.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Trial(@NotBlank String name, @NotNull LocalDate startDate, @FormerlyCalled("groups") @NotNull @Valid List<@NotNull Group> trialGroups,
            Map<String, @DecimalMax("1") Double> shares) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return trialGroups.size() == 3 ? List.of(Problem.at("three is a crowd", "trial_groups", 2)) : List.of();
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Group(@NotBlank String code, @NotNull @Min(1) Integer targetSize) {}

    private static final String VALID = """
            name: demo
            start_date: 2026-01-05
            trial_groups:
              - code: A
                target_size: 10
              - code: B
                target_size: 20
            shares: {A: 0.5}
            """;

    private static Trial parse(String yaml) {
        return ConfigFile.of(Trial.class).parse(yaml, "trial.yml");
    }

    @Test
    void bindsAValidFile() {
        assertThat(parse(VALID).trialGroups()).extracting(Group::targetSize).containsExactly(10, 20);
    }

    @Test
    void everyViolationIsReportedAtOnceWithLineColumnPathAndWhatWasFound() {
        assertThatThrownBy(() -> parse(VALID.replace("target_size: 10", "target_size: 0").replace("code: B\n", "code: ''\n")
                .replace("A: 0.5", "A: 1.5")))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("trial.yml: 3 problem(s)")
                .hasMessageContaining("trial.yml: line 5, column 18: trial_groups[0].target_size: must be at least 1 (found: 0)")
                .hasMessageContaining("trial.yml: line 6, column 11: trial_groups[1].code: is required (found: )")
                .hasMessageContaining("line 8, column 13: shares.A: must be at most 1 (found: 1.5)");
    }

    @Test
    void aBindingErrorNamesTheExpectedTypeAndTheValue() {
        assertThatThrownBy(() -> parse(VALID.replace("target_size: 20", "target_size: lots")))
                .hasMessage("trial.yml: line 7, column 18: trial_groups[1].target_size: must be a whole number (found: lots)");
        assertThatThrownBy(() -> parse(VALID.replace("2026-01-05", "5 Jan 2026")))
                .hasMessage("trial.yml: line 2, column 13: start_date: must be a date written YYYY-MM-DD (found: 5 Jan 2026)");
        assertThatThrownBy(() -> parse(VALID.replace("target_size: 20", "target_size: 2.5")))
                .hasMessageContaining("trial_groups[1].target_size: must be a whole number (found: 2.5)");
    }

    @Test
    void unknownRenamedMissingAndDuplicatedFields() {
        assertThatThrownBy(() -> parse(VALID + "colour: red\n"))
                .hasMessage("trial.yml: line 9, column 9: colour: is not a known field (known: name, shares, start_date, trial_groups)");
        assertThatThrownBy(() -> parse(VALID.replace("trial_groups:", "groups:")))
                .hasMessage("trial.yml: line 4, column 3: groups: is now called trial_groups");
        assertThatThrownBy(() -> parse(VALID.replace("    target_size: 20\n", "")))
                .hasMessage("trial.yml: line 6, column 5: trial_groups[1].target_size: is required");
        assertThatThrownBy(() -> parse(VALID + "name: again\n")).hasMessageStartingWith("trial.yml: line 9, column ")
                .hasMessageEndingWith("not valid YAML: name is given twice");
        assertThatThrownBy(() -> parse("")).hasMessage("trial.yml: the file is empty");
        assertThatThrownBy(() -> parse("name: [")).hasMessageStartingWith("trial.yml: line ").hasMessageContaining("not valid YAML");
    }

    @Test
    void crossFieldRulesAreCalledAndPlaced() {
        assertThatThrownBy(() -> parse(VALID.replace("shares:", "  - code: C\n    target_size: 1\nshares:")))
                .hasMessage("trial.yml: line 8, column 5: trial_groups[2]: three is a crowd");
    }

    record Rates(double death, double withdrawal) {}

    @Test
    void aPrimitiveLeftOutIsRequiredButAMisspeltFieldIsNamedFirst() {
        assertThatThrownBy(() -> ConfigFile.of(Rates.class).parse("death: 0.1\n", "rates.yml"))
                .hasMessage("rates.yml: line 1, column 1: withdrawal: is required");
        assertThatThrownBy(() -> ConfigFile.of(Rates.class).parse("death: 0.1\nwithdrawl: 0.2\n", "rates.yml"))
                .hasMessage("rates.yml: line 2, column 12: withdrawl: is not a known field (known: death, withdrawal)");
    }
}
