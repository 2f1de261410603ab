package dev.debimage.core.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.common.collect.ImmutableList;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.layers.LayerCompression;
import dev.debimage.core.spec.ApplicationLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds an {@link ApplicationLayer} into a gzip-compressed, reproducible layer blob with jib-core,
 * reusing a blob built earlier from the same files, paths and timestamp.
 */
public final class ApplicationLayerBuilder {

  /**
   * Names the layout of the tar and of the cache key. Change it whenever either changes, so that
   * blobs built by an older version are not reused.
   */
  private static final String CACHE_KEY_VERSION = "debimage-application-layer-1 jib-core-0.27.3";

  private final Path blobsDirectory;
  private final Path indexDirectory;
  private final LayerCompression compression;
  private final BuildListener listener;

  /**
   * Creates a builder that writes blobs to {@code blobsDirectory/HEX} and remembers which inputs
   * produced which blob in {@code indexDirectory}. Both directories are created when missing.
   */
  public ApplicationLayerBuilder(Path blobsDirectory, Path indexDirectory) {
    this(blobsDirectory, indexDirectory, LayerCompression.GZIP);
  }

  /** Creates a builder like {@link #ApplicationLayerBuilder(Path, Path)} that compresses with {@code compression}. */
  public ApplicationLayerBuilder(Path blobsDirectory, Path indexDirectory, LayerCompression compression) {
    this(blobsDirectory, indexDirectory, compression, BuildListener.NONE);
  }

  /**
   * Creates a builder like {@link #ApplicationLayerBuilder(Path, Path, LayerCompression)} that
   * reports each layer to {@code listener}, saying whether it was compressed or reused.
   */
  public ApplicationLayerBuilder(
      Path blobsDirectory, Path indexDirectory, LayerCompression compression, BuildListener listener) {
    this.blobsDirectory = blobsDirectory;
    this.indexDirectory = indexDirectory;
    this.compression = compression;
    this.listener = listener;
  }

  /**
   * Builds the layer, or returns the blob built earlier from identical inputs. Every file gets mode
   * 644 and every directory mode 755, owner 0:0 and {@code timestamp} as modification time.
   * Directories given as entries are copied with everything below them.
   *
   * @throws ImageBuildException if an entry is invalid or a file cannot be read or written
   */
  public Layer build(ApplicationLayer layer, Instant timestamp) {
    if (layer.name() == null || layer.name().isBlank()) {
      throw new ImageBuildException("missing application layer name: name each layer, for example 'classes'");
    }
    String createdBy = describe(layer);
    try {
      Map<String, PlannedEntry> plan = plan(layer);
      // gzip keeps the keys it had before there was a choice, so existing records stay valid.
      String cacheKey = compression == LayerCompression.GZIP
          ? cacheKey(plan, timestamp)
          : compression.configName() + "-" + cacheKey(plan, timestamp);
      Layer cached = readIndex(cacheKey, createdBy);
      if (cached != null) {
        listener.layerReady(layer.name(), cached.digest(), false);
        return cached;
      }
      Layer built = write(plan, timestamp, createdBy);
      writeIndex(cacheKey, built);
      listener.layerReady(layer.name(), built.digest(), true);
      return built;
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to build application layer '" + layer.name() + "': " + e.getMessage()
              + ". Check that the files exist and are readable and that " + blobsDirectory
              + " is writable",
          e);
    }
  }

  /** Returns the {@code created_by} text of the layer's history entry: its name and the paths it writes. */
  private static String describe(ApplicationLayer layer) {
    StringBuilder text = new StringBuilder("debimage application layer ").append(layer.name()).append(':');
    layer.entries().stream()
        .map(ApplicationLayer.Entry::target)
        .sorted()
        .forEach(target -> text.append(' ').append(target));
    return text.toString();
  }

  /** A file or directory of the layer: its source on the build host, or null for a synthetic parent directory. */
  private record PlannedEntry(Path source, boolean directory) {}

  /** Expands the entries into one planned entry per path in the image, keyed and sorted by path. */
  private Map<String, PlannedEntry> plan(ApplicationLayer layer) throws IOException {
    if (layer.entries().isEmpty()) {
      throw new ImageBuildException(
          "application layer '" + layer.name() + "' has no entries: add files or remove the layer");
    }
    Map<String, PlannedEntry> plan = new TreeMap<>();
    for (ApplicationLayer.Entry entry : layer.entries()) {
      String target = checkTarget(layer.name(), entry.target());
      Path source = entry.source();
      if (source == null || !Files.exists(source)) {
        throw new ImageBuildException(
            "source '" + source + "' of application layer '" + layer.name() + "' not found:"
                + " build the project first or fix the path");
      }
      addParents(plan, target);
      if (Files.isDirectory(source)) {
        addDirectory(plan, layer.name(), source, target, new HashSet<>());
      } else if (Files.isRegularFile(source)) {
        addFile(plan, layer.name(), source, target);
      } else {
        throw new ImageBuildException(
            "source '" + source + "' of application layer '" + layer.name() + "' is neither a"
                + " regular file nor a directory: copy only files and directories");
      }
    }
    return plan;
  }

  private static String checkTarget(String layerName, String target) {
    if (target == null
        || !target.startsWith("/")
        || target.contains("//")
        || target.contains("\\")
        || target.contains("\0")
        || (target.length() > 1 && target.endsWith("/"))) {
      throw new ImageBuildException(
          "invalid target '" + target + "' in application layer '" + layerName + "': use an"
              + " absolute path without a trailing slash, such as /app/classes");
    }
    for (String segment : target.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new ImageBuildException(
            "invalid target '" + target + "' in application layer '" + layerName + "': '.' and"
                + " '..' are not allowed, write the normalized path");
      }
    }
    return target;
  }

  /** Adds every ancestor of {@code target} below the root, so they too get the build timestamp. */
  private static void addParents(Map<String, PlannedEntry> plan, String target) {
    int slash = target.indexOf('/', 1);
    while (slash > 0) {
      plan.putIfAbsent(target.substring(0, slash), new PlannedEntry(null, true));
      slash = target.indexOf('/', slash + 1);
    }
  }

  private static void addFile(Map<String, PlannedEntry> plan, String layerName, Path source, String target) {
    if (target.equals("/")) {
      throw new ImageBuildException(
          "invalid target '/' for file '" + source + "' in application layer '" + layerName
              + "': name the file's path in the image, such as /app/app.jar");
    }
    PlannedEntry previous = plan.put(target, new PlannedEntry(source, false));
    if (previous != null) {
      throw new ImageBuildException(
          "application layer '" + layerName + "' writes '" + target + "' twice (from '" + source
              + "' and " + (previous.source() == null ? "as a parent directory" : "'" + previous.source() + "'")
              + "): give each file its own target");
    }
  }

  /** Adds a directory and everything below it in name order, following symbolic links. */
  private static void addDirectory(
      Map<String, PlannedEntry> plan, String layerName, Path source, String target, Set<Path> ancestors)
      throws IOException {
    Path real = source.toRealPath();
    if (!ancestors.add(real)) {
      throw new ImageBuildException(
          "directory '" + source + "' of application layer '" + layerName + "' contains itself"
              + " through a symbolic link: remove the link loop");
    }
    if (!target.equals("/")) {
      PlannedEntry previous = plan.get(target);
      if (previous != null && !previous.directory()) {
        throw new ImageBuildException(
            "application layer '" + layerName + "' writes '" + target + "' as both a file and a"
                + " directory: give each its own target");
      }
      plan.put(target, new PlannedEntry(source, true));
    }
    List<Path> children = new ArrayList<>();
    try (var listing = Files.list(source)) {
      listing.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    String prefix = target.equals("/") ? "/" : target + "/";
    for (Path child : children) {
      String childTarget = prefix + child.getFileName();
      if (Files.isDirectory(child)) {
        addDirectory(plan, layerName, child, childTarget, ancestors);
      } else if (Files.isRegularFile(child)) {
        addFile(plan, layerName, child, childTarget);
      } else {
        throw new ImageBuildException(
            "'" + child + "' in application layer '" + layerName + "' is neither a regular file"
                + " nor a directory (a socket, device or broken link): remove it from the source");
      }
    }
    ancestors.remove(real);
  }

  /**
   * Hashes everything the tar depends on: the path, kind and content of every entry, and the
   * timestamp. Hashing whole file contents costs a read of every file but cannot miss a change
   * that keeps the size and modification time.
   */
  // NOTE: a file that changes between this hash and the tar being written is recorded under the
  // key of its earlier content, until the next change to any input.
  private static String cacheKey(Map<String, PlannedEntry> plan, Instant timestamp) throws IOException {
    MessageDigest key = Digests.newSha256();
    key.update((CACHE_KEY_VERSION + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8));
    byte[] buffer = new byte[64 * 1024];
    for (Map.Entry<String, PlannedEntry> entry : plan.entrySet()) {
      PlannedEntry planned = entry.getValue();
      String line;
      if (planned.directory()) {
        line = "d " + lengthPrefixed(entry.getKey()) + "\n";
      } else {
        MessageDigest content = Digests.newSha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(planned.source())) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            content.update(buffer, 0, n);
            size += n;
          }
        }
        line = "f " + lengthPrefixed(entry.getKey()) + " " + size + " " + Digests.format(content.digest()) + "\n";
      }
      key.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return Digests.hex(Digests.format(key.digest()));
  }

  /** Prefixes a path with its length, because Linux file names may contain spaces and newlines. */
  private static String lengthPrefixed(String path) {
    return path.length() + ":" + path;
  }

  private Layer write(Map<String, PlannedEntry> plan, Instant timestamp, String createdBy)
      throws IOException {
    List<FileEntry> entries = new ArrayList<>();
    for (Map.Entry<String, PlannedEntry> entry : plan.entrySet()) {
      PlannedEntry planned = entry.getValue();
      // jib reads the source's file type from disk, so a synthetic parent directory takes the
      // blobs directory as its source. jib uses only its type, because mode, owner and time are set here.
      Path source = planned.source() != null ? planned.source() : blobsDirectory;
      FilePermissions permissions =
          planned.directory()
              ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
              : FilePermissions.DEFAULT_FILE_PERMISSIONS;
      entries.add(new FileEntry(source, AbsoluteUnixPath.get(entry.getKey()), permissions, timestamp));
    }
    Files.createDirectories(blobsDirectory);
    Blob tar = new ReproducibleLayerBuilder(ImmutableList.copyOf(entries)).build();
    return LayerBlobWriter.write(tar::writeTo, blobsDirectory, createdBy, compression);
  }

  /**
   * Returns the layer recorded under the cache key if the record names that key and its blob is
   * still intact, otherwise null. A record copied under another key's name is therefore ignored.
   */
  private Layer readIndex(String cacheKey, String createdBy) throws IOException {
    Path record = indexDirectory.resolve(cacheKey);
    if (!Files.isRegularFile(record)) {
      return null;
    }
    String[] fields = Files.readString(record, StandardCharsets.UTF_8).trim().split(" ");
    if (fields.length != 4 || !fields[3].equals(cacheKey)) {
      return null;
    }
    Layer layer;
    try {
      String digest = fields[0];
      layer =
          new Layer(
              digest,
              fields[1],
              Long.parseLong(fields[2]),
              blobsDirectory.resolve(Digests.hex(digest)),
              compression.mediaType(),
              createdBy);
    } catch (IllegalArgumentException e) {
      return null; // a damaged record: rebuild the layer
    }
    if (!Files.isRegularFile(layer.blob())
        || Files.size(layer.blob()) != layer.size()
        || !LayerBlobWriter.sha256Of(layer.blob()).equals(layer.digest())) {
      return null;
    }
    return layer;
  }

  private void writeIndex(String cacheKey, Layer layer) throws IOException {
    Files.createDirectories(indexDirectory);
    Path temporary = LayerBlobWriter.createTemporaryFile(indexDirectory, ".record-");
    try {
      Files.writeString(
          temporary,
          layer.digest() + " " + layer.diffId() + " " + layer.size() + " " + cacheKey + "\n",
          StandardCharsets.UTF_8);
      DownloadCache.moveIntoPlace(temporary, indexDirectory.resolve(cacheKey));
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
