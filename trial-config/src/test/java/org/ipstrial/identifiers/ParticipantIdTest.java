package org.ipstrial.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParticipantIdTest {

    @Test
    void dammCheckDigitMatchesPublishedExampleAndTheContract() {
        // Damm's worked example: 572 has check digit 4. The contract's example: 1234-5671.
        assertThat(ParticipantId.checkDigit("572")).isEqualTo(4);
        assertThat(ParticipantId.checkDigit("1234567")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345671", "1234-5671", "1234 5671", " 12345671 "})
    void acceptsTheWrittenFormsAndKeepsEightDigits(String written) {
        assertThat(ParticipantId.parse(written)).hasValueSatisfying(id -> assertThat(id.digits()).isEqualTo("12345671"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345670", "1234567", "123456712", "1234_5671", "123-45671", "12345-671", "abcdefgh", "", "1234--5671"})
    void rejectsMalformedOrFailedCheck(String written) {
        assertThat(ParticipantId.parse(written)).isEmpty();
    }

    @Test
    void everySingleDigitErrorAndAdjacentSwapIsCaught() {
        String good = "12345671";
        for (int pos = 0; pos < 8; pos++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d == good.charAt(pos)) {
                    continue;
                }
                String typo = good.substring(0, pos) + d + good.substring(pos + 1);
                assertThat(ParticipantId.parse(typo)).as(typo).isEmpty();
            }
        }
        for (int pos = 0; pos < 7; pos++) {
            if (good.charAt(pos) == good.charAt(pos + 1)) {
                continue;
            }
            String swapped = good.substring(0, pos) + good.charAt(pos + 1) + good.charAt(pos) + good.substring(pos + 2);
            assertThat(ParticipantId.parse(swapped)).as(swapped).isEmpty();
        }
    }

    @Test
    void neverPrintsItself() {
        assertThat(ParticipantId.parse("12345671").orElseThrow().toString()).doesNotContain("1234");
        assertThatThrownBy(() -> new ParticipantId("12345670")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("1234");
    }
}
