package org.ipstrial.api.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ipstrial.api.core.design.SecretFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts two-factor secrets in the database: AES-256-GCM, the key in a file outside
 * the repository and the database (TRIAL_TWO_FACTOR_KEY_FILE), so a copy of the database alone
 * (a backup, a dump) does not give anyone's codes away. Each secret is sealed with a new random
 * 96-bit nonce, and the user's id as associated data: moved onto another user's row, it does not open.
 */
public final class TwoFactorKey {
    private static final Logger LOG = LoggerFactory.getLogger(TwoFactorKey.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    TwoFactorKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the two-factor key must be 32 bytes (64 hex digits), not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** Reads the key file (64 hex digits or 32 raw bytes); a demo or a test may have it written when missing. */
    public static TwoFactorKey load(Path file, boolean generateIfMissing) {
        if (!Files.exists(file) && generateIfMissing) {
            SecretFile.generate(file);
            LOG.warn("Generated a new two-factor key in {} (demo and tests only: a real service's key is provided and backed up)", file);
        }
        // The same file format as the randomisation secret, so the same reader and its checks.
        return new TwoFactorKey(SecretFile.read(file).bytes());
    }

    /** A fresh nonce, then the ciphertext with its tag. */
    public byte[] seal(byte[] plain, long userId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(userId));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The secret sealed for this user; fails when the key is another or the bytes were changed. */
    public byte[] open(byte[] sealed, long userId) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(userId));
            return cipher.doFinal(Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A two-factor secret does not decrypt with the configured key (another key file?)", e);
        }
    }

    private static byte[] associatedData(long userId) {
        return ("user:" + userId).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "TwoFactorKey[redacted]";
    }
}
