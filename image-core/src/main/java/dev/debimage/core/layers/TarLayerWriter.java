package dev.debimage.core.layers;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileContent;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.fetch.DownloadCache;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a file tree as a compressed OCI layer whose bytes depend only on the tree. Paths
 * are sorted, owners are numeric with empty user and group names, and entries carry no access or
 * change times. PAX headers appear only for long or non-ASCII names and link targets.
 */
public final class TarLayerWriter {

  private static final int COPY_BUFFER_SIZE = 1 << 16;

  private TarLayerWriter() {}

  /**
   * Writes {@code tree} into a temporary file in {@code blobsDir}, hashing the tar (the diff ID)
   * and the gzip stream (the digest) as it goes, then renames the file to the hex digest.
   */
  public static LayerBlob write(FileTree tree, Path blobsDir) {
    return write(tree, blobsDir, LayerCompression.GZIP);
  }

  /** Writes {@code tree} like {@link #write(FileTree, Path)}, compressed with {@code compression}. */
  public static LayerBlob write(FileTree tree, Path blobsDir, LayerCompression compression) {
    return write(tree.entries(), blobsDir, compression);
  }

  /**
   * Writes {@code entries}, a part of a tree in its order with parents before their children, like
   * {@link #write(FileTree, Path)}, compressed with {@code compression}. The file that a hard link
   * names must be among the entries.
   */
  public static LayerBlob write(Collection<FileEntry> entries, Path blobsDir, LayerCompression compression) {
    try {
      Files.createDirectories(blobsDir);
      Path temp = Files.createTempFile(blobsDir, "layer", ".tmp");
      try {
        LayerBlob written = writeTo(entries, temp, compression);
        Path target = blobsDir.resolve(written.digest().substring("sha256:".length()));
        DownloadCache.moveIntoPlace(temp, target);
        return new LayerBlob(written.digest(), written.diffId(), written.size(), target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write a layer into " + blobsDir + ": " + e.getMessage(), e);
    }
  }

  private static LayerBlob writeTo(Collection<FileEntry> entries, Path file, LayerCompression compression)
      throws IOException {
    MessageDigest compressedDigest = sha256();
    MessageDigest tarDigest = sha256();
    long size;
    try (ContentReader reader = new ContentReader()) {
      OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), COPY_BUFFER_SIZE);
      DigestOutputStream compressed = new DigestOutputStream(fileOut, compressedDigest);
      OutputStream compressor = compression.compress(compressed);
      DigestOutputStream uncompressed = new DigestOutputStream(compressor, tarDigest);
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressed, "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        writeEntries(entries, tar, reader);
        tar.finish();
      }
    }
    size = Files.size(file);
    String digest = "sha256:" + HexFormat.of().formatHex(compressedDigest.digest());
    String diffId = "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
    return new LayerBlob(digest, diffId, size, file);
  }

  private static void writeEntries(
      Collection<FileEntry> entries, TarArchiveOutputStream tar, ContentReader reader)
      throws IOException {
    Map<String, FileEntry> byPath = new HashMap<>();
    entries.forEach(entry -> byPath.put(entry.path(), entry));
    // A hard link may sort before the file it links to, but an extractor can only link to a
    // path it has already written, so the first path of each group carries the content.
    Map<String, String> firstPathByTarget = new HashMap<>();
    for (FileEntry entry : entries) {
      if (entry.type() == EntryType.HARDLINK) {
        firstPathByTarget.merge(entry.linkTarget(), entry.path(),
            (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    for (FileEntry entry : entries) {
      String contentPath = null;
      if (entry.type() == EntryType.REGULAR || entry.type() == EntryType.HARDLINK) {
        String target = entry.type() == EntryType.HARDLINK ? entry.linkTarget() : entry.path();
        String first = firstPathByTarget.getOrDefault(target, target);
        if (first.compareTo(target) > 0) {
          first = target;
        }
        contentPath = first;
      }
      // A hard link written first carries the bytes its target has now in the tree.
      FileEntry source = entry.type() == EntryType.HARDLINK
          ? byPath.getOrDefault(entry.linkTarget(), entry)
          : entry;
      long contentSize = source.content() == null ? 0 : source.content().size();
      TarArchiveEntry header = header(entry, contentPath, contentSize);
      tar.putArchiveEntry(header);
      // TarArchiveEntry.isFile() is also true for links, so test the type flag itself.
      if (header.getLinkFlag() == TarConstants.LF_NORMAL) {
        reader.copy(source, tar);
      }
      tar.closeArchiveEntry();
    }
  }

  /**
   * Builds the header. {@code contentPath} is the path that carries a regular file's bytes, and
   * {@code contentSize} their length.
   */
  private static TarArchiveEntry header(FileEntry entry, String contentPath, long contentSize) {
    TarArchiveEntry header;
    switch (entry.type()) {
      case DIRECTORY:
        header = new TarArchiveEntry(entry.path() + "/", TarConstants.LF_DIR);
        break;
      case SYMLINK:
        header = new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK);
        header.setLinkName(entry.linkTarget());
        break;
      default:
        if (entry.path().equals(contentPath)) {
          header = new TarArchiveEntry(entry.path(), TarConstants.LF_NORMAL);
          header.setSize(contentSize);
        } else {
          header = new TarArchiveEntry(entry.path(), TarConstants.LF_LINK);
          header.setLinkName(contentPath);
        }
    }
    header.setMode(entry.mode() & 07777);
    header.setUserId(entry.uid());
    header.setGroupId(entry.gid());
    header.setUserName("");
    header.setGroupName("");
    header.setLastModifiedTime(FileTime.fromMillis(entry.mtime().getEpochSecond() * 1000));
    return header;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Copies file content, keeping one open channel per data tar instead of one per file. */
  private static final class ContentReader implements AutoCloseable {
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_SIZE);

    void copy(FileEntry entry, OutputStream out) throws IOException {
      FileContent content = entry.content();
      if (content instanceof FileContent.TarSlice) {
        FileContent.TarSlice slice = (FileContent.TarSlice) content;
        FileChannel channel = channels.get(slice.tar());
        if (channel == null) {
          channel = FileChannel.open(slice.tar(), StandardOpenOption.READ);
          channels.put(slice.tar(), channel);
        }
        long position = slice.offset();
        long remaining = slice.size();
        while (remaining > 0) {
          buffer.clear();
          buffer.limit((int) Math.min(buffer.capacity(), remaining));
          int read = channel.read(buffer, position);
          if (read < 0) {
            throw new ImageBuildException(
                "data tar " + slice.tar() + " ends inside /" + entry.path()
                    + "; delete the file so that it is extracted again");
          }
          out.write(buffer.array(), 0, read);
          position += read;
          remaining -= read;
        }
      } else {
        try (InputStream in = content.open()) {
          in.transferTo(out);
        }
      }
    }

    @Override
    public void close() throws IOException {
      IOException failure = null;
      for (FileChannel channel : channels.values()) {
        try {
          channel.close();
        } catch (IOException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
