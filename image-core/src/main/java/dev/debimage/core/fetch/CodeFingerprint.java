package dev.debimage.core.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The SHA-256 of image-core's own code, part of every cache key for something that code computes,
 * so that a new version of the library never reuses what an older one wrote.
 */
public final class CodeFingerprint {

  private static final Optional<String> FINGERPRINT = compute();

  private CodeFingerprint() {}

  /**
   * Returns the SHA-256 of the jar that contains image-core, or of every class file below its
   * directory when it runs from one. Returns empty when the code's location cannot be read, and
   * then callers must not cache.
   */
  public static Optional<String> get() {
    return FINGERPRINT;
  }

  private static Optional<String> compute() {
    CodeSource source = CodeFingerprint.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isRegularFile(location)) {
        return Optional.of(Sha256.hex(location));
      }
      return Files.isDirectory(location) ? Optional.of(directoryFingerprint(location)) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException | IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** Hashes the relative path and content of every regular file below {@code root}, in path order. */
  private static String directoryFingerprint(Path root) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      digest.update((root.relativize(file) + "\n" + Sha256.hex(file) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
