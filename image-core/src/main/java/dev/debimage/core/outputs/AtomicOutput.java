package dev.debimage.core.outputs;

import dev.debimage.core.fetch.DownloadCache;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes an output file or directory under a temporary sibling name and renames it into place, so
 * that a failed build leaves the previous output untouched.
 */
final class AtomicOutput {

  /** Writes the content of a file or directory at the path it is given. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path path) throws IOException;
  }

  private AtomicOutput() {}

  /** Writes a file through a temporary sibling, then renames it over {@code target}. */
  static void writeFile(Path target, Content content) throws IOException {
    Path parent = parentOf(target);
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    try {
      makeReadable(temporary, "rw-r--r--");
      content.writeTo(temporary);
      move(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Writes a directory in a temporary sibling, then swaps it with {@code target}: the previous
   * directory is renamed aside, the new one renamed in and the previous one deleted. No file system
   * replaces a non-empty directory in one step, so for a moment between the two renames
   * {@code target} does not exist, but it is never half-written.
   */
  static void writeDirectory(Path target, Content content) throws IOException {
    Path parent = parentOf(target);
    Files.createDirectories(parent);
    Path temporary = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
    try {
      makeReadable(temporary, "rwxr-xr-x");
      content.writeTo(temporary);
      if (Files.exists(target)) {
        Path previous = Files.createTempDirectory(parent, "." + target.getFileName() + ".previous.");
        Files.delete(previous);
        move(target, previous);
        try {
          move(temporary, target);
        } catch (IOException e) {
          move(previous, target);
          throw e;
        }
        deleteRecursively(previous);
      } else {
        move(temporary, target);
      }
    } finally {
      if (Files.exists(temporary)) {
        deleteRecursively(temporary);
      }
    }
  }

  /**
   * Gives a temporary file or directory the mode of an ordinary output, because Java creates them
   * readable by the owner alone.
   */
  // NOTE: the mode is fixed and ignores the umask, which Java cannot read.
  private static void makeReadable(Path path, String permissions) throws IOException {
    if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("output path '" + target + "' has no parent directory");
    }
    return parent;
  }

  private static void move(Path source, Path target) throws IOException {
    DownloadCache.moveIntoPlace(source, target);
  }

  static void deleteRecursively(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(directory);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
