package org.ipstrial.api.core.design;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ipstrial.randomiser.RandomisationSecret;

/**
 * Reads the randomisation secret from a file held outside the repository: either hexadecimal
 * digits (whitespace and line breaks ignored), or raw bytes (for example 32 bytes from
 * /dev/urandom). Text that is not only hex digits is refused rather than taken as raw bytes, so
 * "0x..." or a commented file cannot silently become a different secret. Errors name the file and
 * never quote its content.
 */
public final class SecretFile {

    private SecretFile() {}

    public static RandomisationSecret read(Path path) {
        byte[] content;
        try {
            if (Files.isDirectory(path)) {
                throw new DesignInputException("secret file " + path + " is a directory");
            }
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DesignInputException("secret file " + path + " does not exist");
        } catch (IOException e) {
            throw new DesignInputException("secret file " + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (content.length == 0) {
            throw new DesignInputException("secret file " + path + " is empty");
        }
        try {
            if (isHexText(content)) {
                return RandomisationSecret.fromHex(new String(content, StandardCharsets.US_ASCII));
            }
            if (isPlainText(content)) {
                // Random bytes are almost never all printable text (odds below 1 in 10^13 for 32 bytes):
                // this is hex with something extra ("0x", a comment), which must not be used as raw bytes.
                throw new DesignInputException("secret file " + path + " holds text that is not only hex digits"
                        + " (a 0x prefix or a comment?): write just the 64 hex digits, or 32 raw bytes");
            }
            return new RandomisationSecret(content);
        } catch (IllegalArgumentException e) {
            throw new DesignInputException("secret file " + path + ": " + e.getMessage()
                    + "; write 64 hex digits, or 32 raw bytes, e.g. head -c 32 /dev/urandom > FILE", e);
        }
    }

    /**
     * Writes 32 new random bytes as 64 hex digits to a file only its owner may read (a demo's or a
     * test's secret; a real trial's are provided by the people who keep them).
     */
    public static void generate(Path file) {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, java.util.HexFormat.of().formatHex(bytes) + "\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Could not write a new secret to " + file, e);
        }
    }

    /** Things to tell the user about where the secret is kept; empty when all is well. */
    public static List<String> warnings(Path path) {
        List<String> warnings = new ArrayList<>();
        Path absolute = path.toAbsolutePath().normalize();
        for (Path folder = absolute.getParent(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                warnings.add("the secret file " + path + " is inside the git working tree " + folder
                        + ": keep it outside any repository so it is never committed");
                break;
            }
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(absolute);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                warnings.add("the secret file " + path + " is readable by other users: chmod 600 " + path);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system (or a pipe without attributes): nothing to say about permissions.
        }
        return warnings;
    }

    private static boolean isPlainText(byte[] content) {
        for (byte b : content) {
            boolean printable = b >= 0x20 && b < 0x7f;
            boolean space = b == '\t' || b == '\n' || b == '\r';
            if (!printable && !space) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexText(byte[] content) {
        for (byte b : content) {
            boolean hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            boolean space = b == ' ' || b == '\t' || b == '\n' || b == '\r';
            if (!hex && !space) {
                return false;
            }
        }
        return true;
    }
}
