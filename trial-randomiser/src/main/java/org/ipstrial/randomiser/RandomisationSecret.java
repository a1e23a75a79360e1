package org.ipstrial.randomiser;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The secret seed from which every stratum's sequence is derived. Whoever holds it can regenerate
 * every allocation, past and upcoming; nobody else can predict one. It is held outside any
 * database, and its {@link #toString()} never reveals it.
 *
 * @param bytes at least {@value #MINIMUM_BYTES} bytes, ideally from a cryptographic random source
 */
public record RandomisationSecret(byte[] bytes) {

    /** 256 bits: the key size of HMAC-SHA256, so the secret is never the weakest link. */
    public static final int MINIMUM_BYTES = 32;

    public RandomisationSecret {
        Objects.requireNonNull(bytes, "randomisation secret");
        if (bytes.length < MINIMUM_BYTES) {
            throw new IllegalArgumentException("randomisation secret is too short: it has " + bytes.length
                    + " bytes, the minimum is " + MINIMUM_BYTES + " bytes (" + 2 * MINIMUM_BYTES + " hex digits)");
        }
        bytes = bytes.clone();
    }

    /**
     * Reads a secret written as hexadecimal digits (upper or lower case). Whitespace, including line
     * breaks, is ignored. The error never quotes the text, which may be the secret itself.
     */
    public static RandomisationSecret fromHex(String hex) {
        Objects.requireNonNull(hex, "randomisation secret (hex)");
        String digits = hex.replaceAll("\\s", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "randomisation secret (hex): an odd number of hex digits (" + digits.length() + ")");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(
                        "randomisation secret (hex): character " + (i + 1) + " is not a hex digit");
            }
        }
        return new RandomisationSecret(HexFormat.of().parseHex(digits));
    }

    /** A copy: the caller cannot change the secret held here. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The secret as lower-case hex digits: for writing a secret file, never for logs. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        // Constant time: a comparison must not leak how many leading bytes match.
        return other instanceof RandomisationSecret that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RandomisationSecret[hidden, " + bytes.length + " bytes]";
    }
}
