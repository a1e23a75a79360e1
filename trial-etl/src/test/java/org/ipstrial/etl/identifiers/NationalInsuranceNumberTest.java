package org.ipstrial.etl.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NationalInsuranceNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"AB123456C", "ab123456c", "AB 12 34 56 C", " AB123456 C ", "AB123456", "AB 123456"})
    void normalisesAndKeysOnTheFirstEightCharacters(String written) {
        assertThat(NationalInsuranceNumber.parse(written))
                .hasValueSatisfying(n -> assertThat(n.linkageKey()).isEqualTo("AB123456"));
    }

    @Test
    void suffixIsOptionalButMustBeAToD() {
        assertThat(NationalInsuranceNumber.parse("AB123456D")).isPresent();
        assertThat(NationalInsuranceNumber.parse("AB123456E")).isEmpty();
        assertThat(NationalInsuranceNumber.parse("AB1234567")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DA123456A", "FA123456A", "IA123456A", "QA123456A", "UA123456A", "VA123456A"})
    void invalidFirstLetters(String nino) {
        assertThat(NationalInsuranceNumber.parse(nino)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AD123456A", "AF123456A", "AI123456A", "AO123456A", "AQ123456A", "AU123456A", "AV123456A"})
    void invalidSecondLetters(String nino) {
        assertThat(NationalInsuranceNumber.parse(nino)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A", "TN123456A", "ZZ123456A"})
    void invalidPrefixPairs(String nino) {
        assertThat(NationalInsuranceNumber.parse(nino)).isEmpty();
    }

    @Test
    void neighboursOfTheInvalidPairsAreValid() {
        // O is invalid only as a second letter; BG is invalid but BH is fine.
        assertThat(NationalInsuranceNumber.parse("OA123456A")).isPresent();
        assertThat(NationalInsuranceNumber.parse("BH123456A")).isPresent();
        assertThat(NationalInsuranceNumber.parse("ZY123456A")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A1123456A", "AB12345A", "AB12345", "AB1234567A", "AB12345XA", "1B123456A"})
    void malformed(String nino) {
        assertThat(NationalInsuranceNumber.parse(nino)).isEmpty();
    }
}
