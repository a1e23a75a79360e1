package org.ipstrial.etl.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One build's own folder of temporary files, created owner-only inside the configured scratch
 * folder, and removed with everything in it when the build ends, whether it succeeded or failed.
 */
public final class ScratchFolder implements AutoCloseable {
    private final Path folder;

    private ScratchFolder(Path folder) {
        this.folder = folder;
    }

    public static ScratchFolder create(Path scratchFolder) {
        try {
            Files.createDirectories(scratchFolder);
            if (posix(scratchFolder)) {
                return new ScratchFolder(Files.createTempDirectory(scratchFolder, "etl-build-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
            }
            return new ScratchFolder(Files.createTempDirectory(scratchFolder, "etl-build-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder in the scratch folder " + scratchFolder, e);
        }
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public Path folder() {
        return folder;
    }

    /** Removes the folder and every file in it. */
    @Override
    public void close() {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // already removed
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary folder " + folder, e);
        }
    }
}
