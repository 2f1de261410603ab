package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.CacheRecord;
import dev.debimage.core.report.Distribution;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads lockfiles through the cache of validated lockfiles. */
class LockfileCacheTest {

  private static final URI ROOT = URI.create("http://127.0.0.1:8080/debian");

  @TempDir Path dir;

  private static Lockfile lock(String architecture, String reason) {
    LockedPackage libc = new LockedPackage("libc6", "2.36-9", architecture, "a".repeat(64), 1_234_567, "glibc",
        "2.36-9", "bookworm", "main", ROOT, "pool/main/g/glibc/libc6_2.36-9_" + architecture + ".deb", reason);
    LockedPackage tzdata = new LockedPackage("tzdata", "2024a-0+deb12u1", "all", "b".repeat(64), 50, "tzdata",
        "2024a-0+deb12u1", "bookworm-updates", "main", ROOT, "pool/main/t/tzdata/tzdata_2024a-0+deb12u1_all.deb",
        "needed by libc6");
    return new Lockfile("sha256:" + "c".repeat(64), architecture,
        List.of(new LockedSuite(ROOT, "bookworm", Optional.of(Instant.parse("2024-06-29T09:00:00.5Z"))),
            new LockedSuite(ROOT, "bookworm-updates", Optional.empty())),
        List.of(libc, tzdata), new Distribution("debian", "debian-12"));
  }

  private List<Path> records() throws IOException {
    Path cache = dir.resolve("cache");
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(file -> file.toString().endsWith(".bin")).toList();
    }
  }

  @Test
  void encodedLocksDecodeEqual() {
    PlatformLockfiles single = new PlatformLockfiles(List.of(lock("amd64", "requested")));
    PlatformLockfiles several = new PlatformLockfiles(List.of(lock("amd64", "requested"), lock("arm64", "requested")));

    assertEquals(Optional.of(single), LockfileCache.decode(LockfileCache.encode(single)));
    assertEquals(Optional.of(several), LockfileCache.decode(LockfileCache.encode(several)));
  }

  @Test
  void secondReadComesFromTheCache() throws IOException {
    Path file = dir.resolve("image.lock.json");
    new PlatformLockfiles(List.of(lock("amd64", "requested"))).write(file);

    PlatformLockfiles first = LockfileCache.read(file, dir.resolve("cache"));
    // A valid record with other content proves that the second read used it.
    PlatformLockfiles planted = new PlatformLockfiles(List.of(lock("amd64", "planted")));
    Path record = records().get(0);
    String key = record.getFileName().toString().replace(".bin", "");
    CacheRecord.write(record, key, LockfileCache.encode(planted));
    PlatformLockfiles second = LockfileCache.read(file, dir.resolve("cache"));

    assertEquals(PlatformLockfiles.read(file), first);
    assertEquals(planted, second);
  }

  @Test
  void changedTextIsParsedAgain() throws IOException {
    Path file = dir.resolve("image.lock.json");
    new PlatformLockfiles(List.of(lock("amd64", "requested"))).write(file);
    LockfileCache.read(file, dir.resolve("cache"));
    new PlatformLockfiles(List.of(lock("amd64", "requested"), lock("arm64", "requested"))).write(file);

    PlatformLockfiles read = LockfileCache.read(file, dir.resolve("cache"));

    assertEquals(List.of("amd64", "arm64"), read.architectures());
    assertEquals(2, records().size());
  }

  @Test
  void damagedRecordIsWrittenAgain() throws IOException {
    Path file = dir.resolve("image.lock.json");
    new PlatformLockfiles(List.of(lock("amd64", "requested"))).write(file);
    LockfileCache.read(file, dir.resolve("cache"));
    Path record = records().get(0);
    byte[] stored = Files.readAllBytes(record);
    stored[stored.length / 3] ^= 1;
    Files.write(record, stored);

    PlatformLockfiles read = LockfileCache.read(file, dir.resolve("cache"));

    assertEquals(PlatformLockfiles.read(file), read);
    String key = record.getFileName().toString().replace(".bin", "");
    assertTrue(CacheRecord.read(record, key).isPresent(), "the record was not written again");
  }

  @Test
  void invalidLockfileIsNeverCached() throws IOException {
    Path file = Files.writeString(dir.resolve("image.lock.json"), "{\"lockfileVersion\": 1}");

    assertThrows(ImageBuildException.class, () -> LockfileCache.read(file, dir.resolve("cache")));
    ImageBuildException again =
        assertThrows(ImageBuildException.class, () -> LockfileCache.read(file, dir.resolve("cache")));

    assertTrue(again.getMessage().contains("missing field"), again.getMessage());
    assertEquals(List.of(), records());
  }
}
