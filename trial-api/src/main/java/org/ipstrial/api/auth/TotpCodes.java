package org.ipstrial.api.auth;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as RFC 6238 defines them, computed by java-otp: HMAC-SHA-1, 30-second
 * steps counted from the Unix epoch, 6 digits, what every authenticator app does by default. A code
 * is accepted for its own step and one step either side (a phone's clock a little off, a code typed
 * as it changed). The caller passes the time: the service's clock, a fixed one in tests.
 */
public final class TotpCodes {
    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int DIGITS = 6;
    /** Steps either side of the current one whose codes are accepted too. */
    public static final int WINDOW = 1;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final TimeBasedOneTimePasswordGenerator generator;

    public TotpCodes() {
        this(TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1, DIGITS);
    }

    /** Another algorithm or length: only for RFC 6238's test vectors (8 digits, SHA-256 and SHA-512 too). */
    TotpCodes(String algorithm, int digits) {
        this.generator = new TimeBasedOneTimePasswordGenerator(STEP, digits, algorithm);
    }

    /** The step a moment falls in: seconds since the epoch divided by 30. */
    public static long stepAt(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    /** The code of one step, with its leading zeros. */
    public String codeOf(byte[] secret, long step) {
        try {
            return generator.generateOneTimePasswordString(key(secret), Instant.ofEpochSecond(step * STEP.getSeconds()), Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC key of " + secret.length + " bytes was refused", e);
        }
    }

    /**
     * The step, within the window around {@code now}, whose code this is; the newest such step above
     * {@code after} when there is one (two steps with the same code are a one-in-a-million chance).
     */
    public OptionalLong matchingStep(byte[] secret, String code, Instant now, long after) {
        if (code == null || code.length() != generator.getPasswordLength() || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long current = stepAt(now);
        OptionalLong found = OptionalLong.empty();
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            boolean same = MessageDigest.isEqual(codeOf(secret, step).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
            if (same && (found.isEmpty() || step > after)) {
                found = OptionalLong.of(step);
            }
        }
        return found;
    }

    /** The key URI that authenticator apps read from the QR code (Google Authenticator's format). */
    public static String keyUri(String issuer, String account, byte[] secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.getSeconds();
    }

    /** RFC 4648 base32 without padding: how the secret is typed into an app by hand. */
    public static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** The bytes of a base32 text (case, spaces and padding ignored), as an app reads what was typed. */
    public static byte[] fromBase32(String text) {
        String clean = text.toUpperCase(Locale.ROOT).replaceAll("[\\s=]", "");
        byte[] out = new byte[clean.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : clean.toCharArray()) {
            int value = BASE32.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not base32: a character outside A-Z and 2-7");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    private SecretKeySpec key(byte[] secret) {
        // The HMAC algorithm's name (HmacSHA1...) is the generator's; the key is just the bytes.
        return new SecretKeySpec(secret, generator.getAlgorithm());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
