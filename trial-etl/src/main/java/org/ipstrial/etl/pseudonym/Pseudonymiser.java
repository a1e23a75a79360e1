package org.ipstrial.etl.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ipstrial.identifiers.ParticipantId;

/**
 * {@code pid} = HMAC-SHA256 of the participant identifier (its canonical eight digits, UTF-8) under
 * the custodian's key, in lower-case hex. Without the key a pid cannot be recomputed from an
 * identifier.
 */
public final class Pseudonymiser {
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac mac;

    public Pseudonymiser(PseudonymisationKey key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.bytes(), ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    public String pid(ParticipantId id) {
        return HexFormat.of().formatHex(mac.doFinal(id.digits().getBytes(StandardCharsets.UTF_8)));
    }
}
