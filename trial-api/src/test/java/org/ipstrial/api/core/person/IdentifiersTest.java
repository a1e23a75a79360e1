package org.ipstrial.api.core.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.ipstrial.identifiers.ParticipantId;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void participantIdentifiersCatchEverySingleDigitErrorAndEveryNeighbourSwap() {
        long seed = 42L;
        Random random = new Random(seed);
        for (int n = 0; n < 2_000; n++) {
            String id = ParticipantId.random(random).digits();
            assertThat(ParticipantId.isValid(id)).as("seed %d id %s", seed, id).isTrue();
            for (int i = 0; i < 8; i++) {
                for (char d = '0'; d <= '9'; d++) {
                    if (d == id.charAt(i)) {
                        continue;
                    }
                    String typo = id.substring(0, i) + d + id.substring(i + 1);
                    assertThat(ParticipantId.isValid(typo)).as("seed %d: %s -> %s", seed, id, typo).isFalse();
                }
            }
            for (int i = 0; i < 7; i++) {
                if (id.charAt(i) == id.charAt(i + 1)) {
                    continue;
                }
                String swapped = id.substring(0, i) + id.charAt(i + 1) + id.charAt(i) + id.substring(i + 2);
                assertThat(ParticipantId.isValid(swapped)).as("seed %d: %s -> %s", seed, id, swapped).isFalse();
            }
        }
    }

    @Test
    void participantIdentifiersAcceptAHyphenOrSpaceAfterTheFourthDigit() {
        // 572 is the classic Damm example: check digit 4.
        assertThat(ParticipantId.checkDigit("5724")).isZero();
        String id = "0000572" + ParticipantId.checkDigit("0000572");
        assertThat(ParticipantId.parse(id.substring(0, 4) + "-" + id.substring(4)).orElseThrow().digits()).isEqualTo(id);
        assertThat(ParticipantId.parse(id.substring(0, 4) + " " + id.substring(4)).orElseThrow().digits()).isEqualTo(id);
        assertThat(ParticipantId.isValid("1234567")).isFalse();
        assertThat(ParticipantId.isValid("123-45678")).isFalse();
    }

    @Test
    void nationalInsuranceNumbersFollowTheFormatAndPrefixRules() {
        assertThat(NationalInsuranceNumber.parse(" ab 12 34 56 c ").value()).isEqualTo("AB123456C");
        assertThat(NationalInsuranceNumber.parse("AB123456C").matchKey()).isEqualTo("AB123456");
        for (String bad : new String[] {"DA123456A", "FA123456A", "IA123456A", "QA123456A", "UA123456A", "VA123456A",
                "AD123456A", "AF123456A", "AI123456A", "AO123456A", "AQ123456A", "AU123456A", "AV123456A",
                "BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A", "TN123456A", "ZZ123456A",
                "AB123456E", "AB12345C", "AB1234567", "A1234567C", ""}) {
            assertThat(NationalInsuranceNumber.problem(bad)).as(bad).isPresent();
        }
        assertThat(NationalInsuranceNumber.problem("AB123456D")).isEmpty();
        assertThat(NationalInsuranceNumber.parse("AB123456D").toString()).doesNotContain("123456");
    }

    @Test
    void nhsNumbersNeedTheirModulus11CheckDigit() {
        assertThat(NhsNumber.problem("9434765919")).isEmpty(); // the NHS's published example
        assertThat(NhsNumber.parse("943 476 5919").value()).isEqualTo("9434765919");
        assertThat(NhsNumber.problem("9434765918")).isPresent();
        assertThat(NhsNumber.problem("943476591")).isPresent();
        // A body whose check value would be 10 is never issued.
        assertThat(NhsNumber.problem("0000000060")).isPresent();
    }

    @Test
    void postcodesAreNormalisedAndChecked() {
        assertThat(Postcode.parse("s12ab").value()).isEqualTo("S1 2AB");
        assertThat(Postcode.parse("  sw1a   1aa ").value()).isEqualTo("SW1A 1AA");
        assertThat(Postcode.parse("B33 8TH").value()).isEqualTo("B33 8TH");
        assertThatThrownBy(() -> Postcode.parse("12345")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Postcode.parse("S1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAreFoldedForCaseSpacesAccentsAndPunctuation() {
        assertThat(PersonName.fold("Zoë  O'Brien-Smith")).isEqualTo(PersonName.fold("zoe obrien smith"));
        assertThat(PersonName.fold("JOSÉ")).isEqualTo("jose");
        assertThat(PersonName.fold("Anna")).isNotEqualTo(PersonName.fold("Anne"));
    }
}
