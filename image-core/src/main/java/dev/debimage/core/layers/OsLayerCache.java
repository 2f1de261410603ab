package dev.debimage.core.layers;

import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers which packages layer a set of packages produced, so a build whose packages did not
 * change neither unpacks nor compresses them again.
 *
 * <p>The key covers every input of the layer: each package's name, version, architecture and
 * SHA256, the image architecture, the build timestamp, and the SHA-256 of the image-core jar
 * itself, since the assembly code decides the layer's bytes too. When image-core runs from a
 * classes directory (its own tests), there is no jar to hash and the cache is not used.
 */
public final class OsLayerCache {

  private static final Optional<String> CODE_FINGERPRINT = codeFingerprint();

  private final Path recordsDirectory;
  private final Path blobsDirectory;

  public OsLayerCache(Path recordsDirectory, Path blobsDirectory) {
    this.recordsDirectory = recordsDirectory;
    this.blobsDirectory = blobsDirectory;
  }

  /** Returns the cache key of a packages layer, or empty when the cache cannot be used. */
  public static Optional<String> key(Collection<BinaryPackage> packages, String architecture, Instant timestamp) {
    if (CODE_FINGERPRINT.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder("packages layer\n");
    text.append(CODE_FINGERPRINT.get()).append('\n');
    text.append(architecture).append('\n');
    text.append(timestamp.getEpochSecond()).append('\n');
    List<BinaryPackage> sorted =
        packages.stream()
            .sorted(Comparator.comparing(BinaryPackage::name).thenComparing(BinaryPackage::architecture))
            .toList();
    for (BinaryPackage pkg : sorted) {
      text.append(pkg.name()).append(' ').append(pkg.version()).append(' ')
          .append(pkg.architecture()).append(' ').append(pkg.sha256()).append('\n');
    }
    return Optional.of(Sha256.hex(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A packages layer from the cache, with the account names of its {@code /etc/passwd}.
   *
   * @param blob the layer blob
   * @param accounts the user names the layer's {@code /etc/passwd} lists
   */
  public record CachedLayer(LayerBlob blob, List<String> accounts) {}

  /** Returns the cached layer for {@code key} when its blob is still present and intact. */
  public Optional<CachedLayer> find(Optional<String> key) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Path record = recordsDirectory.resolve("packages-" + key.get() + ".properties");
    if (!Files.isRegularFile(record)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      return Optional.empty();
    }
    String digest = properties.getProperty("digest", "");
    String diffId = properties.getProperty("diffId", "");
    String accounts = properties.getProperty("accounts");
    if (accounts == null || accounts.isBlank()) {
      return Optional.empty();
    }

    if (!digest.matches("sha256:[0-9a-f]{64}") || !diffId.matches("sha256:[0-9a-f]{64}")) {
      return Optional.empty();
    }
    Path blob = blobsDirectory.resolve(digest.substring("sha256:".length()));
    try {
      if (!Files.isRegularFile(blob)
          || Files.size(blob) != Long.parseLong(properties.getProperty("size", "-1"))
          || !Sha256.hex(blob).equals(digest.substring("sha256:".length()))) {
        return Optional.empty();
      }
      return Optional.of(
          new CachedLayer(new LayerBlob(digest, diffId, Files.size(blob), blob), List.of(accounts.split(","))));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Records that {@code key} produced {@code blob}, whose {@code /etc/passwd} lists {@code accounts}. */
  public void store(Optional<String> key, LayerBlob blob, List<String> accounts) {
    if (key.isEmpty()) {
      return;
    }
    Properties properties = new Properties();
    properties.setProperty("digest", blob.digest());
    properties.setProperty("diffId", blob.diffId());
    properties.setProperty("size", Long.toString(blob.size()));
    properties.setProperty("accounts", String.join(",", accounts));
    try {
      Files.createDirectories(recordsDirectory);
      Path temporary = Files.createTempFile(recordsDirectory, "packages-", ".part");
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        properties.store(writer, null);
      }
      DownloadCache.moveIntoPlace(temporary, recordsDirectory.resolve("packages-" + key.get() + ".properties"));
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write the layer cache in " + recordsDirectory, e);
    }
  }

  private static Optional<String> codeFingerprint() {
    CodeSource source = OsLayerCache.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(location) ? Optional.of(Sha256.hex(location)) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
