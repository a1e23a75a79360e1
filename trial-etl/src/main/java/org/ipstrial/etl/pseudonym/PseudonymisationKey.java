package org.ipstrial.etl.pseudonym;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The custodian's secret key, read from a file outside the repository. The file holds the key as
 * text (e.g. 64 hex characters from {@code openssl rand -hex 32}); trailing white space and line
 * ends are ignored, and the remaining bytes are the key. At least 32 bytes are required so that
 * pseudonyms cannot be recomputed by guessing the key.
 */
public final class PseudonymisationKey {
    public static final int MINIMUM_BYTES = 32;
    private final byte[] bytes;

    private PseudonymisationKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PseudonymisationKey of(byte[] bytes) {
        if (bytes.length < MINIMUM_BYTES) {
            throw new IllegalArgumentException("the pseudonymisation key must be at least " + MINIMUM_BYTES + " bytes");
        }
        return new PseudonymisationKey(bytes.clone());
    }

    public static PseudonymisationKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("pseudonymisation key file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("pseudonymisation key file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        byte[] key = text.stripTrailing().getBytes(StandardCharsets.UTF_8);
        if (key.length < MINIMUM_BYTES) {
            throw new IllegalArgumentException("pseudonymisation key file " + file + " holds fewer than " + MINIMUM_BYTES
                    + " bytes; make one with: openssl rand -hex 32 > FILE");
        }
        return new PseudonymisationKey(key);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** The first 8 hex characters of the key's SHA-256: tells keys apart, reveals nothing usable. */
    public String identifier() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "PseudonymisationKey[" + identifier() + "]";
    }
}
