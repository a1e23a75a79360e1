package org.ipstrial.randomiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RandomisationSecretTest {

    private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @Test
    void aSecretShorterThan32BytesIsRefusedNamingTheMinimum() {
        assertThatThrownBy(() -> new RandomisationSecret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randomisation secret is too short: it has 31 bytes, the minimum is 32 bytes (64 hex digits)");
    }

    @Test
    void toStringNeverRevealsTheSecret() {
        RandomisationSecret secret = RandomisationSecret.fromHex(HEX);
        assertThat(secret.toString()).isEqualTo("RandomisationSecret[hidden, 32 bytes]").doesNotContain("0001");
    }

    @Test
    void theBytesAreCopiedInAndOut() {
        byte[] bytes = new byte[32];
        RandomisationSecret secret = new RandomisationSecret(bytes);
        bytes[0] = 9;
        secret.bytes()[1] = 9;
        assertThat(secret.bytes()).containsOnly(0);
    }

    @Test
    void hexIsReadInEitherCaseIgnoringWhitespaceAndBadHexIsNotQuoted() {
        assertThat(RandomisationSecret.fromHex(HEX.toUpperCase() + "\n"))
                .isEqualTo(RandomisationSecret.fromHex(HEX.substring(0, 32) + " \n" + HEX.substring(32)));
        assertThatThrownBy(() -> RandomisationSecret.fromHex(HEX.substring(0, 63) + "g"))
                .hasMessage("randomisation secret (hex): character 64 is not a hex digit");
        assertThatThrownBy(() -> RandomisationSecret.fromHex(HEX.substring(1)))
                .hasMessage("randomisation secret (hex): an odd number of hex digits (63)");
        assertThatThrownBy(() -> RandomisationSecret.fromHex("abcd"))
                .hasMessageContaining("too short: it has 2 bytes");
    }
}
