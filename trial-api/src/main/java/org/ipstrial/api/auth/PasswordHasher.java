package org.ipstrial.api.auth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Slow, salted password hashing (bcrypt, from Bouncy Castle). */
public final class PasswordHasher {
    public static final int MINIMUM_LENGTH = 12;
    private final int cost;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = hash("not a real password, used to spend equal time on unknown users");
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
    }

    public boolean matches(String password, String hash) {
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** Spends the time of a check when there is no user, so timing does not tell who exists. */
    public void spendEqualTime(String password) {
        OpenBSDBCrypt.checkPassword(dummyHash, password.toCharArray());
    }
}
