package org.ipstrial.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Pattern;
import org.ipstrial.config.ConfigFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrialDefinitionFileTest {
    static final Path DEMO = Path.of("../config/trial-demo.yml");

    @Test
    void theDemoTrialLoads() {
        TrialDefinition d = TrialDefinitionFile.load(DEMO);
        assertThat(d.sites()).extracting(TrialDefinition.Site::code).containsExactly("A", "B");
        assertThat(d.trialGroups()).extracting(TrialDefinition.TrialGroup::code).containsExactly("A-OOW", "A-IW", "B-OOW");
        assertThat(d.eligibilityOn(LocalDate.of(2026, 1, 1)).version()).isEqualTo("elig-1");
        assertThat(d.agreementFormOn(LocalDate.of(2026, 1, 1)).statements()).hasSize(5);
        assertThat(d.baseline().item("health_conditions").orElseThrow().codes()).hasSize(21);
        // Site B's group is asked its own questions and not site A's in-work question.
        assertThat(d.eligibilityOn(LocalDate.of(2026, 1, 1)).questionsFor("B-OOW"))
                .extracting(TrialDefinition.Question::id).contains("out_of_work_4_weeks").doesNotContain("in_work_struggling");
    }

    @Test
    void aWrongTypeNamesTheFileLineAndField(@TempDir Path dir) throws IOException {
        String text = Files.readString(DEMO).replace("target: 4700", "target: lots");
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, text);
        int line = lineOf(text, "target: lots");
        assertThatThrownBy(() -> TrialDefinitionFile.load(file))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("bad.yml: line " + line + ", ")
                .hasMessageContaining("trialGroups[0].target");
    }

    @Test
    void semanticProblemsAreAllListedWithTheirLines(@TempDir Path dir) throws IOException {
        String text = Files.readString(DEMO)
                .replace("site: B, target", "site: C, target")
                .replace("question: over_18,", "question: over_21,");
        refusal(dir, text)
                .hasMessageContaining("2 problem(s)")
                .hasMessageMatching(problemAt(lineOf(text, "site: C, target"), "trialGroups[2].site: unknown site 'C'"))
                .hasMessageMatching(problemAt(lineOf(text, "question: over_21,"), "eligibility[0].criteria[1].question: unknown question 'over_21'"));
    }

    @Test
    void aBaselineItemMayNotTakeANameTheIdentifiersGive(@TempDir Path dir) throws IOException {
        String text = Files.readString(DEMO).replace("    - id: gender", "    - id: sex");
        refusal(dir, text).hasMessageMatching(problemAt(lineOf(text, "    - id: sex"), "baseline.items[0].id: 'sex' is taken"));
    }

    @Test
    void aMissingRequiredFieldIsNamed(@TempDir Path dir) throws IOException {
        String text = Files.readString(DEMO).replace("  treatment: \"You will", "  other: \"You will");
        refusal(dir, text).hasMessageContaining("nextSteps");
    }

    @Test
    void theArmsHaveWordsForPeopleAndTheirCodesStay() {
        TrialDefinition.Arms arms = TrialDefinitionFile.load(DEMO).arms();
        assertThat(arms.labels()).containsExactly(java.util.Map.entry("treatment", "IPS employment support"),
                java.util.Map.entry("control", "usual support"));
        assertThat(arms.of("control").readOut()).isEqualTo("The allocation is: usual support.");
        assertThatThrownBy(() -> arms.of("placebo")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArmWithoutItsLabelIsRefused(@TempDir Path dir) throws IOException {
        String text = Files.readString(DEMO).replace("    label: \"usual support\"\n", "");
        assertThat(text).doesNotContain("label: \"usual support\"");
        refusal(dir, text).hasMessageContaining("arms.control.label").hasMessageContaining("is required");
    }

    /** Loading this text as a definition file is refused: the assertion on the refusal. */
    static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> refusal(Path dir, String text) throws IOException {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, text);
        return assertThatThrownBy(() -> TrialDefinitionFile.load(file)).isInstanceOf(ConfigFileException.class);
    }

    /** A message holding this problem at this line (any column). */
    static String problemAt(int line, String problem) {
        return "(?s).*: line " + line + ", column \\d+: " + Pattern.quote(problem) + ".*";
    }

    /** The four kinds of mistake, each named with the line of the changed text and the field ("~" is a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | target: 4700 | target: lots | trialGroups[0].target: must be a whole number (found: lots)
            unknown field | '    label: "usual support"' | '    colour: blue~    label: "usual support"' | arms.control.colour: is not a known field (known: label, readOut)
            missing field | '    label: "usual support"~    readOut: "The allocation is: usual' | '    readOut: "The allocation is: usual' | arms.control.label: is required
            out of range  | target: 4700 | target: -1   | trialGroups[0].target: must not be negative (found: -1)
            """)
    void eachKindOfMistakeNamesTheLineAndTheField(String mistake, String from, String to, String expected, @TempDir Path dir)
            throws IOException {
        String text = Files.readString(DEMO).replaceFirst(Pattern.quote(from.replace('~', '\n')), to.replace('~', '\n'));
        refusal(dir, text).hasMessageMatching(problemAt(lineOf(text, to.replace('~', '\n')), expected));
    }

    static int lineOf(String text, String fragment) {
        String before = text.substring(0, text.indexOf(fragment));
        return (int) before.chars().filter(c -> c == '\n').count() + 1;
    }
}
