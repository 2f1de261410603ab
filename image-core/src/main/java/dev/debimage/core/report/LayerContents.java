package dev.debimage.core.report;

import dev.debimage.core.ImageBuildException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * The paths of a gzip-compressed layer tar, with their types, modes and sizes, the text of every
 * {@code /usr/share/doc/NAME/copyright} file and the owners from the dpkg file lists. The reports read the packages layer this way because a
 * layer reused from the cache has no assembled file tree.
 */
public final class LayerContents {

  private static final Pattern COPYRIGHT_PATH = Pattern.compile("usr/share/doc/[^/]+/copyright");
  private static final Pattern DPKG_LIST_PATH = Pattern.compile("var/lib/dpkg/info/([^/]+)\\.list");
  // Copyright files of large packages reach a few hundred KiB; anything beyond this is not one.
  private static final int MAX_COPYRIGHT_BYTES = 8 << 20;
  private static final int MAX_LINK_HOPS = 40;

  /** The type of a layer path. */
  public enum Type { REGULAR, HARD_LINK, SYMLINK, DIRECTORY, OTHER }

  /**
   * One path of the layer.
   *
   * @param path the path relative to the root, without a leading {@code /} or {@code ./}
   * @param type the entry type
   * @param mode the permission bits, including setuid, setgid and sticky
   * @param size the size in bytes of a regular file's content, 0 for other types
   * @param linkTarget a symbolic link's target, or a hard link's path, empty for other types
   */
  public record Entry(String path, Type type, int mode, long size, String linkTarget) {}

  private final Map<String, Entry> entries;
  private final Map<String, byte[]> copyrightFiles;
  private final Map<String, List<String>> owners;

  private LayerContents(
      Map<String, Entry> entries, Map<String, byte[]> copyrightFiles, Map<String, List<String>> owners) {
    this.entries = Collections.unmodifiableMap(entries);
    this.copyrightFiles = copyrightFiles;
    this.owners = owners;
  }

  /**
   * Reads the layer blob at {@code blob}.
   *
   * @throws ImageBuildException if the blob cannot be read or is not a gzip-compressed tar
   */
  public static LayerContents read(Path blob) {
    try (InputStream in = Files.newInputStream(blob)) {
      return read(in);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the layer " + blob + ": " + e.getMessage()
              + ". Delete it from the cache so that the next build writes it again", e);
    }
  }

  /**
   * Reads the layer blobs {@code blobs}, lowest first, as one file system: a path of a higher
   * layer replaces the same path of a lower one. The layers must not need whiteouts.
   *
   * @throws ImageBuildException if a blob cannot be read or is not a compressed tar
   */
  public static LayerContents read(List<Path> blobs) {
    Map<String, Entry> entries = new TreeMap<>();
    Map<String, byte[]> copyrightFiles = new HashMap<>();
    Map<String, List<String>> owners = new HashMap<>();
    for (Path blob : blobs) {
      try (InputStream in = Files.newInputStream(blob)) {
        readInto(in, entries, copyrightFiles, owners);
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to read the layer " + blob + ": " + e.getMessage()
                + ". Delete it from the cache so that the next build writes it again", e);
      }
    }
    return new LayerContents(entries, copyrightFiles, owners);
  }

  /** Opens a gzip or, when the blob starts with the Zstandard frame magic, a zstd decompressor. */
  private static InputStream decompress(BufferedInputStream blob) throws IOException {
    blob.mark(4);
    byte[] magic = blob.readNBytes(4);
    blob.reset();
    boolean zstd = magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd;
    return zstd ? new ZstdCompressorInputStream(blob) : new GZIPInputStream(blob, 1 << 16);
  }

  private static LayerContents read(InputStream blob) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    Map<String, byte[]> copyrightFiles = new HashMap<>();
    Map<String, List<String>> owners = new HashMap<>();
    readInto(blob, entries, copyrightFiles, owners);
    return new LayerContents(entries, copyrightFiles, owners);
  }

  private static void readInto(
      InputStream blob, Map<String, Entry> entries, Map<String, byte[]> copyrightFiles,
      Map<String, List<String>> owners) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(decompress(new BufferedInputStream(blob, 1 << 16)), "UTF-8")) {
      TarArchiveEntry header;
      while ((header = tar.getNextEntry()) != null) {
        String path = normalize(header.getName());
        if (path.isEmpty()) {
          continue;
        }
        Type type = typeOf(header);
        String linkTarget = header.isSymbolicLink() ? header.getLinkName()
            : header.isLink() ? normalize(header.getLinkName()) : "";
        long size = type == Type.REGULAR ? header.getSize() : 0;
        entries.put(path, new Entry(path, type, header.getMode() & 07777, size, linkTarget));
        if (type == Type.REGULAR && COPYRIGHT_PATH.matcher(path).matches() && size <= MAX_COPYRIGHT_BYTES) {
          copyrightFiles.put(path, tar.readAllBytes());
        }
        Matcher list = DPKG_LIST_PATH.matcher(path);
        if (type == Type.REGULAR && list.matches()) {
          addOwner(owners, packageName(list.group(1)), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** Returns the package name of a dpkg info file name, which is {@code name} or {@code name:arch}. */
  private static String packageName(String infoName) {
    int colon = infoName.indexOf(':');
    return colon < 0 ? infoName : infoName.substring(0, colon);
  }

  private static void addOwner(Map<String, List<String>> owners, String packageName, String list) {
    for (String line : list.split("\n")) {
      String path = normalize(line.strip());
      if (!path.isEmpty()) {
        owners.computeIfAbsent(path, key -> new ArrayList<>()).add(packageName);
      }
    }
  }

  private static Type typeOf(TarArchiveEntry header) {
    if (header.isDirectory()) {
      return Type.DIRECTORY;
    }
    if (header.isSymbolicLink()) {
      return Type.SYMLINK;
    }
    if (header.isLink()) {
      return Type.HARD_LINK;
    }
    return header.isFile() ? Type.REGULAR : Type.OTHER;
  }

  private static String normalize(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.startsWith("./") ? path.substring(2) : path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.equals(".") ? "" : path;
  }

  /** The first bytes of a snapshot, which name its format version. */
  private static final String SNAPSHOT_MAGIC = "debimage-layer-contents-1";

  /**
   * Returns every entry, copyright file and file list owner in a compact gzip-compressed form that
   * {@link #fromSnapshot} reads back, so that a build which reuses cached layers need not
   * decompress them to write its reports.
   */
  public byte[] toSnapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeUTF(SNAPSHOT_MAGIC);
      out.writeInt(entries.size());
      for (Entry entry : entries.values()) {
        writeString(out, entry.path());
        out.writeByte(entry.type().ordinal());
        out.writeInt(entry.mode());
        out.writeLong(entry.size());
        writeString(out, entry.linkTarget());
      }
      out.writeInt(copyrightFiles.size());
      for (Map.Entry<String, byte[]> file : new TreeMap<>(copyrightFiles).entrySet()) {
        writeString(out, file.getKey());
        out.writeInt(file.getValue().length);
        out.write(file.getValue());
      }
      out.writeInt(owners.size());
      for (Map.Entry<String, List<String>> owner : new TreeMap<>(owners).entrySet()) {
        writeString(out, owner.getKey());
        out.writeInt(owner.getValue().size());
        for (String name : owner.getValue()) {
          writeString(out, name);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("failed to write a layer contents snapshot in memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a snapshot that {@link #toSnapshot} wrote.
   *
   * @throws IOException if the snapshot is damaged or of another format version
   */
  public static LayerContents fromSnapshot(byte[] snapshot) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(new java.io.ByteArrayInputStream(snapshot)))) {
      if (!in.readUTF().equals(SNAPSHOT_MAGIC)) {
        throw new IOException("not a layer contents snapshot of this version");
      }
      Map<String, Entry> entries = new TreeMap<>();
      Type[] types = Type.values();
      int entryCount = in.readInt();
      for (int i = 0; i < entryCount; i++) {
        String path = readString(in);
        int type = in.readUnsignedByte();
        if (type >= types.length) {
          throw new IOException("invalid entry type " + type + " in a layer contents snapshot");
        }
        entries.put(path, new Entry(path, types[type], in.readInt(), in.readLong(), readString(in)));
      }
      Map<String, byte[]> copyrightFiles = new HashMap<>();
      int copyrightCount = in.readInt();
      for (int i = 0; i < copyrightCount; i++) {
        String path = readString(in);
        copyrightFiles.put(path, in.readNBytes(in.readInt()));
      }
      Map<String, List<String>> owners = new HashMap<>();
      int ownerCount = in.readInt();
      for (int i = 0; i < ownerCount; i++) {
        String path = readString(in);
        int names = in.readInt();
        List<String> list = new ArrayList<>(names);
        for (int j = 0; j < names; j++) {
          list.add(readString(in));
        }
        owners.put(path, list);
      }
      if (in.read() != -1) {
        throw new IOException("trailing bytes after a layer contents snapshot");
      }
      return new LayerContents(entries, copyrightFiles, owners);
    } catch (RuntimeException e) {
      throw new IOException("damaged layer contents snapshot: " + e, e);
    }
  }

  // writeUTF is limited to 65535 bytes, which a long path or link target may exceed.
  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (1 << 20)) {
      throw new IOException("invalid string length " + length + " in a layer contents snapshot");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new java.io.EOFException("layer contents snapshot ends inside a string");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Returns every path of the layer, sorted by path. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** Returns the sum of the sizes of the regular files, counting each hard-linked file once. */
  public long fileBytes() {
    return entries.values().stream().mapToLong(Entry::size).sum();
  }

  /**
   * Returns the entry at an absolute or root-relative {@code path}, following symbolic links in its
   * directories but not in its last component, like {@code lstat}.
   */
  public Optional<Entry> find(String path) {
    return resolve(normalize(path), false, 0);
  }

  /**
   * Returns the packages whose dpkg file list ({@code /var/lib/dpkg/info/NAME.list}) names {@code
   * path}, sorted. A path below {@code /usr} is also looked up without the {@code /usr} prefix,
   * because the packages list {@code /bin/sh} and the merged-/usr layer stores {@code /usr/bin/sh}.
   */
  public List<String> owners(String path) {
    String normalized = normalize(path);
    TreeSet<String> names = new TreeSet<>(owners.getOrDefault(normalized, List.of()));
    if (normalized.startsWith("usr/")) {
      names.addAll(owners.getOrDefault(normalized.substring("usr/".length()), List.of()));
    }
    return List.copyOf(names);
  }

  /** Returns the text of {@code /usr/share/doc/PACKAGE/copyright}, following symbolic and hard links. */
  public Optional<byte[]> copyright(String packageName) {
    Optional<Entry> entry = resolve("usr/share/doc/" + packageName + "/copyright", true, 0);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    String path = entry.get().type() == Type.HARD_LINK ? entry.get().linkTarget() : entry.get().path();
    return Optional.ofNullable(copyrightFiles.get(path));
  }

  private Optional<Entry> resolve(String path, boolean followLast, int hops) {
    if (hops > MAX_LINK_HOPS) {
      return Optional.empty();
    }
    List<String> components = List.of(path.split("/"));
    Deque<String> resolved = new ArrayDeque<>();
    for (int i = 0; i < components.size(); i++) {
      String component = components.get(i);
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        resolved.pollLast();
        continue;
      }
      resolved.addLast(component);
      String current = String.join("/", resolved);
      Entry entry = entries.get(current);
      boolean last = i == components.size() - 1;
      if (entry == null) {
        return Optional.empty();
      }
      if (entry.type() == Type.SYMLINK && (!last || followLast)) {
        resolved.pollLast();
        String target = entry.linkTarget();
        String base = target.startsWith("/") ? "" : String.join("/", resolved);
        String rest = String.join("/", components.subList(i + 1, components.size()));
        String next = join(join(base, normalizeTarget(target)), rest);
        return resolve(next, followLast, hops + 1);
      }
      if (last) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  private static String normalizeTarget(String target) {
    String path = target;
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : a + "/" + b;
  }
}
