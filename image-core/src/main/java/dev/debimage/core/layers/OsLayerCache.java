package dev.debimage.core.layers;

import dev.debimage.core.assembly.FileContent;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.fetch.CacheRecord;
import dev.debimage.core.fetch.CodeFingerprint;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers which layers of installed packages a build produced, at two levels, so that a build
 * neither unpacks nor compresses what did not change.
 *
 * <p>A package set record maps the key of a whole package set to its layers and the account names
 * of its {@code /etc/passwd}: a build whose packages did not change reuses them without assembling
 * the tree. A layer record maps the key of one layer to its blob: a build whose package set changed
 * assembles the tree and splits it, but compresses only the layers whose paths changed.
 *
 * <p>Every record also contains its key, so a record found under another key's file name, such as
 * one copied into the wrong place, is ignored and written again.
 *
 * <p>Both keys cover the SHA-256 of image-core's code, since the assembly and tar code decide the
 * layers' bytes too: the jar's, or, when image-core runs from a classes directory (its own tests),
 * that of every file in the directory.
 */
public final class OsLayerCache {

  private final Path recordsDirectory;
  private final Path blobsDirectory;

  public OsLayerCache(Path recordsDirectory, Path blobsDirectory) {
    this.recordsDirectory = recordsDirectory;
    this.blobsDirectory = blobsDirectory;
  }

  /**
   * Returns the key of the layers of a package set: each package's name, version, architecture
   * and SHA256, the image architecture and the build timestamp. Empty when the cache cannot be used.
   */
  public static Optional<String> key(Collection<BinaryPackage> packages, String architecture, Instant timestamp) {
    if (CodeFingerprint.get().isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder("packages layer\n");
    text.append(CodeFingerprint.get().get()).append('\n');
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
   * Returns the key of one layer: every header field of its paths and the identity of each file's
   * content. That identity is a range of a data tar named after its .deb's SHA256, or the SHA-256
   * of the bytes of a generated file. Empty when the cache cannot be used.
   */
  public static Optional<String> layerKey(List<FileEntry> entries, LayerCompression compression) {
    if (CodeFingerprint.get().isEmpty()) {
      return Optional.empty();
    }
    MessageDigest key = Sha256.newDigest();
    update(key, "os layer\n" + CodeFingerprint.get().get() + "\n" + compression.configName() + "\n");
    for (FileEntry entry : entries) {
      // Paths may contain spaces and newlines, so each is prefixed with its length.
      StringBuilder line = new StringBuilder();
      line.append(entry.path().length()).append(':').append(entry.path()).append(' ')
          .append(entry.type()).append(' ').append(Integer.toOctalString(entry.mode())).append(' ')
          .append(entry.uid()).append(' ').append(entry.gid()).append(' ')
          .append(entry.mtime().getEpochSecond()).append(' ')
          .append(entry.linkTarget().length()).append(':').append(entry.linkTarget()).append(' ');
      FileContent content = entry.content();
      if (content instanceof FileContent.TarSlice slice) {
        line.append("slice ").append(slice.tar()).append(' ').append(slice.offset()).append(' ').append(slice.size());
      } else if (content instanceof FileContent.Bytes bytes) {
        line.append("bytes ").append(Sha256.hex(bytes.data()));
      } else {
        line.append('-');
      }
      update(key, line.append('\n').toString());
    }
    return Optional.of(java.util.HexFormat.of().formatHex(key.digest()));
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One layer of a package set from the cache.
   *
   * @param name the layer's name, as {@link PackageLayering.Group#name()}
   * @param packages the packages whose files the layer contains
   * @param blob the layer blob
   */
  public record CachedLayer(String name, List<String> packages, LayerBlob blob) {
    public CachedLayer {
      packages = List.copyOf(packages);
    }
  }

  /**
   * The layers of a package set from the cache, with the account names of its {@code /etc/passwd}.
   *
   * @param layers the layers, lowest first
   * @param accounts the user names the image's {@code /etc/passwd} lists
   */
  public record CachedSet(List<CachedLayer> layers, List<String> accounts) {
    public CachedSet {
      layers = List.copyOf(layers);
      accounts = List.copyOf(accounts);
    }
  }

  /** Returns the layers recorded for a package set {@code key} when every blob is still intact. */
  public Optional<CachedSet> findSet(Optional<String> key) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Optional<Properties> properties = read(recordsDirectory.resolve("packages-" + key.get() + ".properties"), key.get());
    if (properties.isEmpty()) {
      return Optional.empty();
    }
    Properties record = properties.get();
    String accounts = record.getProperty("accounts");
    if (accounts == null || accounts.isBlank()) {
      return Optional.empty();
    }
    int count;
    try {
      count = Integer.parseInt(record.getProperty("layers", "-1"));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (count < 1) {
      return Optional.empty();
    }
    List<CachedLayer> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String prefix = "layer." + i + ".";
      String name = record.getProperty(prefix + "name", "");
      String packages = record.getProperty(prefix + "packages", "");
      Optional<LayerBlob> blob = blob(record, prefix);
      if (name.isEmpty() || blob.isEmpty()) {
        return Optional.empty();
      }
      layers.add(new CachedLayer(name, packages.isEmpty() ? List.of() : List.of(packages.split(",")), blob.get()));
    }
    return Optional.of(new CachedSet(layers, List.of(accounts.split(","))));
  }

  /** Records that the package set {@code key} produced {@code layers} and {@code accounts}. */
  public void storeSet(Optional<String> key, List<CachedLayer> layers, List<String> accounts) {
    if (key.isEmpty()) {
      return;
    }
    Properties properties = new Properties();
    properties.setProperty("key", key.get());
    properties.setProperty("accounts", String.join(",", accounts));
    properties.setProperty("layers", Integer.toString(layers.size()));
    for (int i = 0; i < layers.size(); i++) {
      String prefix = "layer." + i + ".";
      CachedLayer layer = layers.get(i);
      properties.setProperty(prefix + "name", layer.name());
      properties.setProperty(prefix + "packages", String.join(",", layer.packages()));
      putBlob(properties, prefix, layer.blob());
    }
    write(properties, "packages-" + key.get() + ".properties");
  }

  /** Returns the blob recorded for a layer {@code key} when it is still intact. */
  public Optional<LayerBlob> findLayer(Optional<String> key) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    return read(recordsDirectory.resolve("os-layer-" + key.get() + ".properties"), key.get())
        .flatMap(properties -> blob(properties, ""));
  }

  /** Records that the layer {@code key} produced {@code blob}. */
  public void storeLayer(Optional<String> key, LayerBlob blob) {
    if (key.isEmpty()) {
      return;
    }
    Properties properties = new Properties();
    properties.setProperty("key", key.get());
    putBlob(properties, "", blob);
    write(properties, "os-layer-" + key.get() + ".properties");
  }

  /**
   * Returns the bytes stored for the package set {@code key} with {@link #storeContents}, such as
   * a listing of its layers' paths. The caller checks them, since this class does not know their
   * format.
   */
  public Optional<byte[]> findContents(Optional<String> key) {
    return key.flatMap(present -> CacheRecord.read(contentsFile(present), present));
  }

  /** Stores {@code contents} for the package set {@code key}. */
  public void storeContents(Optional<String> key, byte[] contents) {
    key.ifPresent(present -> CacheRecord.write(contentsFile(present), present, contents));
  }

  private Path contentsFile(String key) {
    return recordsDirectory.resolve("contents-" + key + ".bin");
  }

  /** Returns the properties of {@code record}, or empty when it is damaged or names another key. */
  private static Optional<Properties> read(Path record, String key) {
    if (!Files.isRegularFile(record)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
      properties.load(reader);
      return key.equals(properties.getProperty("key")) ? Optional.of(properties) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // a damaged record: build the layers again
    }
  }

  private static void putBlob(Properties properties, String prefix, LayerBlob blob) {
    properties.setProperty(prefix + "digest", blob.digest());
    properties.setProperty(prefix + "diffId", blob.diffId());
    properties.setProperty(prefix + "size", Long.toString(blob.size()));
    try {
      properties.setProperty(prefix + "modified", Long.toString(Files.getLastModifiedTime(blob.path()).toMillis()));
    } catch (IOException e) {
      // Without a recorded time, the next build hashes the blob to check it.
    }
  }

  /**
   * Returns the blob a record names when the file is present with the recorded size and SHA-256,
   * since a damaged blob in the cache must not reach an image. A blob whose modification time
   * still equals the recorded one is not hashed again: blobs are written once under their digest
   * and never changed in place, so a changed file has a new modification time.
   */
  // NOTE: a change that keeps both the size and the modification time goes unnoticed here. The
  // registry and skopeo still check the digest of every blob they receive.
  private Optional<LayerBlob> blob(Properties properties, String prefix) {
    String digest = properties.getProperty(prefix + "digest", "");
    String diffId = properties.getProperty(prefix + "diffId", "");
    if (!digest.matches("sha256:[0-9a-f]{64}") || !diffId.matches("sha256:[0-9a-f]{64}")) {
      return Optional.empty();
    }
    Path blob = blobsDirectory.resolve(digest.substring("sha256:".length()));
    try {
      if (!Files.isRegularFile(blob)
          || Files.size(blob) != Long.parseLong(properties.getProperty(prefix + "size", "-1"))) {
        return Optional.empty();
      }
      String modified = Long.toString(Files.getLastModifiedTime(blob).toMillis());
      if (!modified.equals(properties.getProperty(prefix + "modified"))
          && !Sha256.hex(blob).equals(digest.substring("sha256:".length()))) {
        return Optional.empty();
      }
      return Optional.of(new LayerBlob(digest, diffId, Files.size(blob), blob));
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void write(Properties properties, String fileName) {
    try {
      Files.createDirectories(recordsDirectory);
      Path temporary = Files.createTempFile(recordsDirectory, "record-", ".part");
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        properties.store(writer, null);
      }
      DownloadCache.moveIntoPlace(temporary, recordsDirectory.resolve(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write the layer cache in " + recordsDirectory, e);
    }
  }
}
