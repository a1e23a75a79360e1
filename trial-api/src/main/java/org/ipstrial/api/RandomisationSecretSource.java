package org.ipstrial.api;

import java.nio.file.Files;
import java.nio.file.Path;
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
            SecretFile.generate(file);
            LOG.warn("Generated a new randomisation secret in {} (demo only: a real trial's statistician provides it)", file);
        }
        return SecretFile.read(file);
    }
}
