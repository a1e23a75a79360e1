package org.ipstrial.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.randomiser.RandomisationSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The randomisation secret, from a file outside the repository; a demo may have one generated. */
final class RandomisationSecretSource {
    private static final Logger LOG = LoggerFactory.getLogger(RandomisationSecretSource.class);

    private RandomisationSecretSource() {}

    static RandomisationSecret load(TrialSettings settings) {
        Path file = Path.of(settings.getSecretFile());
        if (!Files.exists(file) && settings.isGenerateSecretIfMissing()) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write a new randomisation secret to " + file, e);
            }
            LOG.warn("Generated a new randomisation secret in {} (demo only: a real trial's statistician provides it)", file);
        }
        return SecretFile.read(file);
    }
}
