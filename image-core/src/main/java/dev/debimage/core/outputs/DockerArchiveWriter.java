package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Writes a built image as a tarball for {@code docker load} and {@code podman load}.
 *
 * <p>The tarball has the layout that {@code docker save} writes since Docker 25: an OCI image
 * layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/HEX}) plus the Docker
 * {@code manifest.json}, whose {@code Config} and {@code Layers} point into {@code blobs/sha256}.
 * The layers stay gzip-compressed, the same blobs as in the OCI manifest, so the tarball carries the
 * manifest with its digest unchanged. Loaders that read {@code manifest.json} alone (podman 4.3,
 * Docker before 25) decompress gzip layers themselves.
 */
public final class DockerArchiveWriter {

  private DockerArchiveWriter() {}

  /**
   * Writes the tarball to {@code tarFile}, tagged with {@code imageReference} ({@code :latest} when
   * it names no tag), replacing a previous file only once the new one is complete. Entries are
   * sorted by name and have modification time 0, owner 0:0 and no user or group names, so the same
   * image always gives the same bytes.
   *
   * @throws ImageBuildException if the reference is invalid, a layer blob is missing or the file
   *     cannot be written
   */
  public static void write(BuiltImage image, Path tarFile, String imageReference) {
    write(image, tarFile, ImageTags.of(imageReference));
  }

  /**
   * Writes the tarball as {@link #write(BuiltImage, Path, String)} does, tagged with every one of
   * {@code tags}: {@code manifest.json} lists each as a {@code RepoTags} entry and {@code
   * index.json} has one descriptor per tag.
   */
  public static void write(BuiltImage image, Path tarFile, ImageTags tags) {
    Map<String, Object> members = members(image, tags);
    try {
      if (isUpToDate(tarFile, members)) {
        return;
      }
      AtomicOutput.writeFile(tarFile, temporary -> writeTar(members, temporary));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write image tarball '" + tarFile + "': " + e + ". Check that its directory is"
              + " writable and has free space",
          e);
    }
  }

  /** Returns every file of the tarball, sorted by name, as its bytes or the blob to copy. */
  private static Map<String, Object> members(BuiltImage image, ImageTags tags) {
    Map<String, Object> members = new TreeMap<>();
    List<String> layerPaths = new ArrayList<>();
    for (Layer layer : image.layers()) {
      String path = blobPath(layer.digest());
      members.put(path, layer);
      layerPaths.add(path);
    }
    members.put(blobPath(image.configDigest()), image.config());
    members.put(blobPath(image.manifestDigest()), image.manifest());
    members.put("oci-layout", OciIndex.OCI_LAYOUT);
    members.put("index.json", OciIndex.indexJson(image, tags));

    Map<String, Object> manifestEntry = new LinkedHashMap<>();
    manifestEntry.put("Config", blobPath(image.configDigest()));
    manifestEntry.put("RepoTags", tags.references().stream().map(ImageReference::toString).toList());
    manifestEntry.put("Layers", layerPaths);
    members.put("manifest.json", OciImageWriter.toJson(List.of(manifestEntry)));
    return members;
  }

  private static String blobPath(String digest) {
    return "blobs/sha256/" + Digests.hex(digest);
  }

  /**
   * Writes the tarball with the bytes that commons-compress's {@code TarArchiveOutputStream} writes
   * for these members (ustar headers, 512-byte records, two empty records at the end), but copies
   * each layer blob with {@link FileChannel#transferTo}, which lets the kernel copy the 100 MB of an
   * image's layers instead of moving them through the JVM's buffers. Headers come from {@link
   * TarArchiveEntry#writeEntryHeader}; the member names are short ASCII paths and a layer of 8 GiB
   * or more falls back to the stream, which can encode its size.
   */
  static void writeTar(Map<String, Object> members, Path file) throws IOException {
    if (needsExtendedHeaders(members)) {
      writeTarThroughStream(members, file);
      return;
    }
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeHeader(out, directoryEntry("blobs/"));
      writeHeader(out, directoryEntry("blobs/sha256/"));
      for (Map.Entry<String, Object> member : members.entrySet()) {
        if (member.getValue() instanceof byte[] bytes) {
          writeHeader(out, fileEntry(member.getKey(), bytes.length));
          writeFully(out, ByteBuffer.wrap(bytes));
          pad(out, bytes.length);
        } else {
          Layer layer = (Layer) member.getValue();
          checkBlob(layer);
          writeHeader(out, fileEntry(member.getKey(), layer.size()));
          copyBlob(layer, out);
          pad(out, layer.size());
        }
      }
      writeFully(out, ByteBuffer.allocate(2 * TarConstants.DEFAULT_RCDSIZE));
    }
  }

  /** Returns whether a member needs what ustar headers cannot hold: a long name or an 8 GiB size. */
  private static boolean needsExtendedHeaders(Map<String, Object> members) {
    for (Map.Entry<String, Object> member : members.entrySet()) {
      if (member.getKey().length() >= TarConstants.NAMELEN) {
        return true;
      }
      if (member.getValue() instanceof Layer layer && layer.size() > TarConstants.MAXSIZE) {
        return true;
      }
    }
    return false;
  }

  private static void writeHeader(FileChannel out, TarArchiveEntry entry) throws IOException {
    byte[] header = new byte[TarConstants.DEFAULT_RCDSIZE];
    entry.writeEntryHeader(header);
    writeFully(out, ByteBuffer.wrap(header));
  }

  private static void copyBlob(Layer layer, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(layer.blob(), StandardOpenOption.READ)) {
      long position = 0;
      while (position < layer.size()) {
        long copied = in.transferTo(position, layer.size() - position, out);
        if (copied <= 0) {
          throw new IOException("layer blob '" + layer.blob() + "' changed size while being copied");
        }
        position += copied;
      }
    }
  }

  /** Fills the last record of a member's content with zeros. */
  private static void pad(FileChannel out, long size) throws IOException {
    int remainder = (int) (size % TarConstants.DEFAULT_RCDSIZE);
    if (remainder != 0) {
      writeFully(out, ByteBuffer.allocate(TarConstants.DEFAULT_RCDSIZE - remainder));
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** Writes the tarball through commons-compress's stream, which the fast path must match byte for byte. */
  static void writeTarThroughStream(Map<String, Object> members, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.putArchiveEntry(directoryEntry("blobs/"));
      tar.closeArchiveEntry();
      tar.putArchiveEntry(directoryEntry("blobs/sha256/"));
      tar.closeArchiveEntry();
      for (Map.Entry<String, Object> member : members.entrySet()) {
        if (member.getValue() instanceof byte[] bytes) {
          tar.putArchiveEntry(fileEntry(member.getKey(), bytes.length));
          tar.write(bytes);
        } else {
          Layer layer = (Layer) member.getValue();
          checkBlob(layer);
          tar.putArchiveEntry(fileEntry(member.getKey(), layer.size()));
          try (InputStream in = Files.newInputStream(layer.blob())) {
            long copied = in.transferTo(tar);
            if (copied != layer.size()) {
              throw new IOException("layer blob '" + layer.blob() + "' changed size while being copied");
            }
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  /**
   * Returns whether {@code tarFile} already contains exactly {@code members}: the same names in the
   * same order, the same bytes for the metadata files, and blobs of the right size under their
   * digests. Since the tarball's bytes depend only on its members, rewriting it would give the same
   * file, and for an image of 100 MB that copy is most of the time of a build that changed nothing.
   */
  // NOTE: the blob content inside an existing tarball is not hashed again. A tarball damaged in
  // place with its sizes intact is therefore kept, until it is deleted.
  static boolean isUpToDate(Path tarFile, Map<String, Object> members) {
    if (!Files.isRegularFile(tarFile)) {
      return false;
    }
    List<String> expected = new ArrayList<>(List.of("blobs/", "blobs/sha256/"));
    expected.addAll(members.keySet());
    // TarFile reads the headers and seeks over the blobs instead of reading them.
    try (TarFile tar = new TarFile(tarFile)) {
      List<TarArchiveEntry> entries = tar.getEntries();
      if (entries.size() != expected.size()) {
        return false;
      }
      for (int i = 0; i < entries.size(); i++) {
        TarArchiveEntry entry = entries.get(i);
        if (!entry.getName().equals(expected.get(i))) {
          return false;
        }
        Object member = members.get(entry.getName());
        if (member instanceof byte[] bytes) {
          if (entry.getSize() != bytes.length) {
            return false;
          }
          try (InputStream in = tar.getInputStream(entry)) {
            if (!java.util.Arrays.equals(in.readNBytes(bytes.length), bytes)) {
              return false;
            }
          }
        } else if (member instanceof Layer layer && entry.getSize() != layer.size()) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void checkBlob(Layer layer) throws IOException {
    if (!Files.isRegularFile(layer.blob()) || Files.size(layer.blob()) != layer.size()) {
      throw new ImageBuildException(
          "layer blob '" + layer.blob() + "' of " + layer.digest() + " is missing or has changed size"
              + " since it was built: delete the cache directory and build again");
    }
  }

  private static TarArchiveEntry directoryEntry(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    normalize(entry, TarArchiveEntry.DEFAULT_DIR_MODE);
    return entry;
  }

  private static TarArchiveEntry fileEntry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    normalize(entry, TarArchiveEntry.DEFAULT_FILE_MODE);
    entry.setSize(size);
    return entry;
  }

  private static void normalize(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setModTime(0);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
  }
}
