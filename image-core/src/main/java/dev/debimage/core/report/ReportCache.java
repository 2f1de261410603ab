package dev.debimage.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.PackageURL;
import dev.debimage.core.fetch.CacheRecord;
import dev.debimage.core.fetch.CodeFingerprint;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.spec.ImageSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cyclonedx.model.Bom;

/**
 * Keeps the report files of earlier builds, keyed by everything they are made of, because writing
 * the two SBOMs and reading the copyright files of every package is most of a rebuild in which the
 * packages did not change.
 *
 * <p>Each entry is a {@link CacheRecord}, so a damaged entry, or a valid entry of another key under
 * this key's name, is detected, ignored and written again.
 */
public final class ReportCache {

  private static final String MAGIC = "debimage reports 2";

  private final Path directory;

  /** Uses {@code directory}, which is created when the first entry is stored. */
  public ReportCache(Path directory) {
    this.directory = directory;
  }

  /**
   * Returns the key of the reports of an image, a SHA-256 over everything they are made of. That is
   * the library's code and the versions of the libraries that write the documents, the image
   * reference and timestamp, and the distribution. It is also each package's stanza, reason and
   * download URL, the diff IDs of the package layers (which fix the copyright files read from
   * them), and the application's Maven dependencies. Empty when the code's fingerprint is unknown,
   * so that nothing is cached.
   */
  static Optional<String> key(
      Resolution resolution, Distribution distribution, List<String> packageLayerDiffIds, ImageSpec spec) {
    if (CodeFingerprint.get().isEmpty()) {
      return Optional.empty();
    }
    MessageDigest digest = Sha256.newDigest();
    StringBuilder text = new StringBuilder(MAGIC).append('\n');
    text.append(CodeFingerprint.get().get()).append('\n');
    for (Class<?> library : List.of(Bom.class, ObjectMapper.class, PackageURL.class)) {
      text.append(location(library)).append('\n');
    }
    text.append(spec.imageReference()).append('\n');
    text.append(spec.timestamp()).append('\n');
    text.append(distribution.namespace()).append(' ').append(distribution.distro()).append('\n');
    packageLayerDiffIds.forEach(diffId -> text.append(diffId).append('\n'));
    spec.applicationDependencies().forEach(coordinates -> text.append(coordinates).append('\n'));
    update(digest, text);
    for (BinaryPackage pkg : resolution.packages()) {
      text.setLength(0);
      text.append("\npackage ").append(pkg.name()).append('\n')
          .append(resolution.reasons().get(pkg.name())).append('\n')
          .append(pkg.debUri()).append('\n')
          .append(pkg.stanza().format()).append('\n');
      update(digest, text);
    }
    return Optional.of(java.util.HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * Returns the report files stored under {@code key}, or empty when none are, they are damaged,
   * or the entry in the key's file was stored under another key.
   */
  Optional<Map<String, byte[]>> find(Optional<String> key) {
    return key.flatMap(present -> CacheRecord.read(file(present), present)).flatMap(ReportCache::decodeBody);
  }

  /** Stores {@code files} under {@code key}, replacing an entry atomically. */
  void store(Optional<String> key, Map<String, byte[]> files) {
    key.ifPresent(present -> CacheRecord.write(file(present), present, body(files)));
  }

  private Path file(String key) {
    return directory.resolve(key + ".bin");
  }

  /** Returns the bytes of the entry that stores {@code files} under {@code key}. */
  static byte[] encode(String key, Map<String, byte[]> files) {
    return CacheRecord.encode(key, body(files));
  }

  private static byte[] body(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(MAGIC);
      out.writeInt(files.size());
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        out.writeUTF(file.getKey());
        out.writeInt(file.getValue().length);
        out.write(file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Returns the report files of an entry read from the file of {@code key}, or empty when the entry
   * is damaged or was stored under another key.
   */
  static Optional<Map<String, byte[]>> decode(String key, byte[] stored) {
    return CacheRecord.decode(key, stored).flatMap(ReportCache::decodeBody);
  }

  private static Optional<Map<String, byte[]>> decodeBody(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (!MAGIC.equals(in.readUTF())) {
        return Optional.empty();
      }
      int count = in.readInt();
      Map<String, byte[]> files = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        byte[] content = new byte[in.readInt()];
        in.readFully(content);
        files.put(name, content);
      }
      return in.available() == 0 ? Optional.of(files) : Optional.empty();
    } catch (IOException | NegativeArraySizeException e) {
      return Optional.empty();
    }
  }

  /** Returns the file name of the jar that contains {@code type}, which names the library's version. */
  private static String location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return type.getName();
    }
    String path = source.getLocation().getPath();
    return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
  }

  private static void update(MessageDigest digest, CharSequence text) {
    digest.update(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
