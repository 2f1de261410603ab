package dev.debimage.core.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A file in the cache that ends with the SHA-256 of its body, so that a damaged record is detected
 * on reading and written again instead of being trusted. Records are written to a temporary file
 * and moved into place, so readers never see half of one.
 */
public final class CacheRecord {

  private static final int CHECKSUM_LENGTH = 32;

  private CacheRecord() {}

  /** Returns the body of the record in {@code file}, or empty when it is missing, unreadable or damaged. */
  public static Optional<byte[]> read(Path file) {
    byte[] stored;
    try {
      stored = Files.readAllBytes(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (stored.length < CHECKSUM_LENGTH) {
      return Optional.empty();
    }
    int bodyLength = stored.length - CHECKSUM_LENGTH;
    MessageDigest digest = Sha256.newDigest();
    digest.update(stored, 0, bodyLength);
    if (!MessageDigest.isEqual(digest.digest(), Arrays.copyOfRange(stored, bodyLength, stored.length))) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOf(stored, bodyLength));
  }

  /** Writes {@code body} and its SHA-256 to {@code file}, replacing a previous record atomically. */
  public static void write(Path file, byte[] body) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, "record-", ".part");
      try {
        Files.write(temporary, encode(body));
        DownloadCache.moveIntoPlace(temporary, file);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write " + file + " in the cache", e);
    }
  }

  /** Returns {@code body} followed by its SHA-256, the bytes of a record. */
  public static byte[] encode(byte[] body) {
    byte[] checksum = Sha256.newDigest().digest(body);
    byte[] all = Arrays.copyOf(body, body.length + CHECKSUM_LENGTH);
    System.arraycopy(checksum, 0, all, body.length, CHECKSUM_LENGTH);
    return all;
  }
}
