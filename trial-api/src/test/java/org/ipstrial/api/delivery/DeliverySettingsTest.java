package org.ipstrial.api.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.config.ConfigFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The delivery file is read like every other configuration file: each problem with its line and field. */
class DeliverySettingsTest {
    static final Path DEMO = Path.of("..", "config", "delivery-demo.yml");
    static final TrialDefinition DEFINITION = TrialDefinitionFile.load(Path.of("..", "config", "trial-demo.yml"));

    @TempDir
    Path dir;

    @Test
    void theDemoFileLoads() {
        DeliverySettings settings = DeliverySettings.load(DEMO, DEFINITION);
        assertThat(settings.caseloadLimitPerFte()).isEqualTo(20);
        assertThat(settings.serviceOfArea("A-east").code()).isEqualTo("A-IPS-2");
        assertThat(settings.timeLimits().jobSeekingMonths()).isNull();
    }

    /** The four kinds of mistake and the rule against the trial definition, each with its line (that of {@code lineOf}). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong type    | 'caseloadLimitPerFte: 20'      | 'caseloadLimitPerFte: many'   | caseloadLimitPerFte | caseloadLimitPerFte: must be a whole number (found: many)
            unknown field | 'caseloadLimitPerFte: 20'      | 'caseloadLimitPerFTE: 20'     | caseloadLimitPerFTE | caseloadLimitPerFTE: is not a known field
            missing field | 'section: Staffing, text: "Vocational generalists"' | 'section: Staffing' | 'section: Staffing}' | fidelityScale.items[2].text: is required
            out of range  | 'caseloadLimitPerFte: 20'      | 'caseloadLimitPerFte: 0'      | caseloadLimitPerFte | caseloadLimitPerFte: must be at least 1 (found: 0)
            other file    | 'areas: [A-east]'              | 'areas: [A-east, B-west]'     | 'areas: [A-east'    | services[1].areas[1]: B-west is not an area of site A
            """)
    void eachMistakeNamesTheLineAndTheField(String mistake, String from, String to, String lineOf, String expected) throws IOException {
        String text = Files.readString(DEMO);
        assertThat(text).contains(from);
        text = text.replace(from, to);
        Path file = Files.writeString(dir.resolve("delivery.yml"), text);
        long line = text.substring(0, text.indexOf(lineOf)).chars().filter(c -> c == '\n').count() + 1;
        assertThatThrownBy(() -> DeliverySettings.load(file, DEFINITION)).isInstanceOf(ConfigFileException.class)
                .hasMessageMatching("(?s).*delivery.yml: line " + line + ", column \\d+: " + Pattern.quote(expected) + ".*");
    }
}
