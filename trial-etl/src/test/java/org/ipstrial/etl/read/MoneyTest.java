package org.ipstrial.etl.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1234.56|123456", "£1,234.56|123456", "-£1,234.56|-123456", "£-1,234.56|-123456", "-12.5|-1250", "0|0",
        "1,000,000|100000000", "12|1200", "£0.01|1", " 7.10 |710", "-0.00|0"})
    void accepted(String text, long pence) {
        assertThat(Money.parsePence(text)).hasValue(pence);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.345", "1,23.00", "12,3456", ",100", "£", "-", "", "1.2.3", "12.", "$12", "12 000", "1,0000.00", "(12.00)", "--1"})
    void rejected(String text) {
        assertThat(Money.parsePence(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"123456,1234.56", "-1250,-12.50", "0,0.00", "5,0.05", "-5,-0.05"})
    void formatsTwoDecimals(long pence, String text) {
        assertThat(Money.format(pence)).isEqualTo(text);
    }
}
