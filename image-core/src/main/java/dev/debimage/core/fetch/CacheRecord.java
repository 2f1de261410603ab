package dev.debimage.core.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * A file in the cache that starts with the key it was stored under and ends with the SHA-256 of
 * what precedes it. A damaged record, or a valid record of another key copied under this key's
 * name, is detected on reading and written again instead of being trusted. Records are written to
 * a temporary file and moved into place, so readers never see half of one.
 */
public final class CacheRecord {

  private static final int CHECKSUM_LENGTH = 32;

  private CacheRecord() {}

  /**
   * Returns the body of the record of {@code key} in {@code file}, or empty when the file is
   * missing or unreadable, the record is damaged, or it was stored under another key.
   */
  public static Optional<byte[]> read(Path file, String key) {
    byte[] stored;
    try {
      stored = Files.readAllBytes(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    return decode(key, stored);
  }

  /** Returns the body of a record's bytes, or empty when they are damaged or name another key. */
  public static Optional<byte[]> decode(String key, byte[] stored) {
    byte[] prefix = prefix(key);
    if (stored.length < prefix.length + CHECKSUM_LENGTH) {
      return Optional.empty();
    }
    int checkedLength = stored.length - CHECKSUM_LENGTH;
    MessageDigest digest = Sha256.newDigest();
    digest.update(stored, 0, checkedLength);
    if (!MessageDigest.isEqual(digest.digest(), Arrays.copyOfRange(stored, checkedLength, stored.length))
        || !Arrays.equals(prefix, Arrays.copyOf(stored, prefix.length))) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(stored, prefix.length, checkedLength));
  }

  /** Writes the record of {@code body} under {@code key} to {@code file}, replacing a previous one atomically. */
  public static void write(Path file, String key, byte[] body) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, "record-", ".part");
      try {
        Files.write(temporary, encode(key, body));
        DownloadCache.moveIntoPlace(temporary, file);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write " + file + " in the cache", e);
    }
  }

  /** Returns the bytes of a record: the key's line, {@code body}, and the SHA-256 of both. */
  public static byte[] encode(String key, byte[] body) {
    byte[] prefix = prefix(key);
    byte[] checked = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, checked, prefix.length, body.length);
    byte[] checksum = Sha256.newDigest().digest(checked);
    byte[] all = Arrays.copyOf(checked, checked.length + CHECKSUM_LENGTH);
    System.arraycopy(checksum, 0, all, checked.length, CHECKSUM_LENGTH);
    return all;
  }

  private static byte[] prefix(String key) {
    return ("key " + key + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
