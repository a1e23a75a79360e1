package org.ipstrial.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The service's TOTP wiring against RFC 6238's own test vectors (Appendix B), and its window. */
class TotpCodesTest {
    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII of "12345678901234567890". */
    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    /** Time (seconds since the epoch) to the 8-digit TOTP of Appendix B, SHA-1 rows. */
    static final Map<Long, String> SHA1_VECTORS = Map.of(
            59L, "94287082",
            1111111109L, "07081804",
            1111111111L, "14050471",
            1234567890L, "89005924",
            2000000000L, "69279037",
            20000000000L, "65353130");

    @Test
    void theRfcVectorsInEightDigits() {
        TotpCodes eight = new TotpCodes(TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1, 8);
        SHA1_VECTORS.forEach((seconds, code) ->
                assertThat(eight.codeOf(SEED, TotpCodes.stepAt(Instant.ofEpochSecond(seconds)))).as("T = " + seconds).isEqualTo(code));
    }

    @Test
    void theServiceSixDigitCodeIsTheVectorTruncatedToSixDigits() {
        // HOTP truncates to the code's length by taking the number modulo 10^digits: the 6-digit code
        // is the vector's last 6 digits, leading zeros kept.
        TotpCodes service = new TotpCodes();
        SHA1_VECTORS.forEach((seconds, code) -> {
            Instant at = Instant.ofEpochSecond(seconds);
            String six = code.substring(2);
            assertThat(service.codeOf(SEED, TotpCodes.stepAt(at))).as("T = " + seconds).isEqualTo(six);
            assertThat(service.matchingStep(SEED, six, at, Long.MIN_VALUE)).isEqualTo(OptionalLong.of(TotpCodes.stepAt(at)));
        });
        assertThat(TotpCodes.stepAt(Instant.ofEpochSecond(1111111109L))).as("RFC 6238's T for 1111111109").isEqualTo(0x23523ECL);
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndRefusedTwoAway() {
        TotpCodes service = new TotpCodes();
        Instant now = Instant.ofEpochSecond(1234567890L);
        long step = TotpCodes.stepAt(now);
        for (int offset = -1; offset <= 1; offset++) {
            String code = service.codeOf(SEED, step + offset);
            assertThat(service.matchingStep(SEED, code, now, Long.MIN_VALUE)).as("offset " + offset).isEqualTo(OptionalLong.of(step + offset));
        }
        for (int offset : new int[] {-2, 2}) {
            String code = service.codeOf(SEED, step + offset);
            assertThat(service.matchingStep(SEED, code, now, Long.MIN_VALUE)).as("offset " + offset).isEmpty();
        }
        assertThat(service.matchingStep(SEED, "12345", now, Long.MIN_VALUE)).as("five digits").isEmpty();
        assertThat(service.matchingStep(SEED, "abcdef", now, Long.MIN_VALUE)).as("not digits").isEmpty();
        assertThat(service.matchingStep(SEED, null, now, Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void base32AsRfc4648SaysAndTheKeyUriAppsRead() {
        // RFC 4648 section 10, without the padding authenticator apps do not want.
        Map<String, String> vectors = Map.of("", "", "f", "MY", "fo", "MZXQ", "foo", "MZXW6", "foob", "MZXW6YQ",
                "fooba", "MZXW6YTB", "foobar", "MZXW6YTBOI");
        vectors.forEach((plain, encoded) -> {
            assertThat(TotpCodes.base32(plain.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
            assertThat(new String(TotpCodes.fromBase32(encoded.toLowerCase()), StandardCharsets.US_ASCII)).isEqualTo(plain);
        });
        assertThat(TotpCodes.fromBase32("MZXW 6YTB OI==")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThat(TotpCodes.keyUri("IPS trial", "stat.one", SEED)).isEqualTo(
                "otpauth://totp/IPS%20trial:stat.one?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=IPS%20trial"
                        + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void aSealedSecretOpensOnlyForItsUserWithItsKey() {
        byte[] key = new byte[32];
        key[0] = 7;
        TwoFactorKey sealing = new TwoFactorKey(key);
        byte[] sealed = sealing.seal(SEED, 42);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(new String(SEED, StandardCharsets.ISO_8859_1));
        assertThat(sealing.open(sealed, 42)).isEqualTo(SEED);
        assertThat(sealing.seal(SEED, 42)).as("a new nonce each time").isNotEqualTo(sealed);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sealing.open(sealed, 43)).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = key.clone();
        otherKey[1] = 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TwoFactorKey(otherKey).open(sealed, 42))
                .isInstanceOf(IllegalStateException.class);
    }
}
