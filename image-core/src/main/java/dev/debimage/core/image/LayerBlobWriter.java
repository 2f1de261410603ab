package dev.debimage.core.image;

import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.layers.LayerCompression;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/** Compresses a layer tar into a content-addressed blob, computing its diff ID and digest on the way. */
public final class LayerBlobWriter {

  /** Writes an uncompressed tar to the stream it is given. */
  @FunctionalInterface
  public interface TarSource {
    /** Writes the whole tar to {@code out} without closing it. */
    void writeTo(OutputStream out) throws IOException;
  }

  private LayerBlobWriter() {}

  /**
   * Gzips the tar into {@code blobsDirectory/HEX}, where HEX is the SHA-256 of the compressed
   * bytes, and returns the layer. The blob appears under its final name only when complete.
   */
  public static Layer write(TarSource tar, Path blobsDirectory, String createdBy) throws IOException {
    return write(tar, blobsDirectory, createdBy, LayerCompression.GZIP);
  }

  /**
   * Compresses the tar with {@code compression} into {@code blobsDirectory/HEX} like {@link
   * #write(TarSource, Path, String)}, giving the layer the matching media type.
   */
  public static Layer write(
      TarSource tar, Path blobsDirectory, String createdBy, LayerCompression compression)
      throws IOException {
    Files.createDirectories(blobsDirectory);
    Path temporary = createTemporaryFile(blobsDirectory, ".layer-");
    try {
      MessageDigest diffId = Digests.newSha256();
      MessageDigest digest = Digests.newSha256();
      try (OutputStream file = Files.newOutputStream(temporary);
          DigestOutputStream compressed = new DigestOutputStream(file, digest);
          OutputStream compressor = compression.compress(compressed);
          DigestOutputStream uncompressed = new DigestOutputStream(compressor, diffId)) {
        // Both compressions cut the stream at fixed offsets, so equal tars give equal blobs.
        tar.writeTo(uncompressed);
      }
      String blobDigest = Digests.format(digest.digest());
      Path blob = blobsDirectory.resolve(Digests.hex(blobDigest));
      long size = Files.size(temporary);
      DownloadCache.moveIntoPlace(temporary, blob);
      return new Layer(
          blobDigest, Digests.format(diffId.digest()), size, blob, compression.mediaType(), createdBy);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Computes the OCI digest of a file's content. */
  public static String sha256Of(Path file) throws IOException {
    try {
      return "sha256:" + Sha256.hex(file);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Creates an empty temporary file with mode 644 where the file system has POSIX modes, because
   * Java creates it readable by the owner alone and blobs are hard-linked into image layouts that
   * others read.
   */
  static Path createTemporaryFile(Path directory, String prefix) throws IOException {
    Path temporary = Files.createTempFile(directory, prefix, ".tmp");
    if (Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
    }
    return temporary;
  }

}
