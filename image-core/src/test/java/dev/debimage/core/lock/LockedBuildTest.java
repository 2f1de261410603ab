package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images from a signed archive on disk with and without a lockfile, and checks that the
 * locked build gives the same image without reading any index.
 */
class LockedBuildTest {

  private static final Instant TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir static Path dir;

  private static TestArchive archive;
  private static BuildResult unlocked;
  private static Path unlockedCache;
  private static Path lockPath;

  @BeforeAll
  static void buildWithoutLock() throws Exception {
    archive = TestArchive.create(dir);
    archive
        .add(new DebBuilder("libc6", "2.36-9", "amd64").field("Multi-Arch", "same")
            .field("Source", "glibc").field("Priority", "required")
            .dir("./lib/", 0755).file("./lib/libc.so.6", "libc", 0755))
        .add(new DebBuilder("base-files", "12.4", "amd64").controlFile("conffiles", "/etc/issue\n")
            .dir("./etc/", 0755).file("./etc/issue", "Debian\n", 0644).dir("./tmp/", 01777))
        .add(new DebBuilder("dash", "0.5.12-2", "amd64").field("Depends", "libc6 (>= 2.34)")
            .dir("./bin/", 0755).file("./bin/dash", "dash", 0755).symlink("./bin/sh", "dash"))
        .add(new DebBuilder("libfoo1", "1.0-1", "amd64").field("Source", "foo")
            .dir("./lib/", 0755).file("./lib/libfoo.so.1", "foo 1", 0644))
        .add(new DebBuilder("libfoo1", "2.0-1", "amd64").field("Source", "foo")
            .field("Depends", "libc6")
            .dir("./lib/", 0755).file("./lib/libfoo.so.1", "foo 2", 0644))
        .add(new DebBuilder("app", "1.0+b1", "amd64").field("Source", "app (1.0)")
            .field("Depends", "libfoo1 (>= 1.0), dash")
            .dir("./usr/", 0755).dir("./usr/bin/", 0755).file("./usr/bin/app", "app", 0755))
        .add(new DebBuilder("unused", "1.0", "all").dir("./usr/", 0755));
    archive.publish();

    unlockedCache = dir.resolve("cache-unlocked");
    ImageSpec spec = spec(unlockedCache, dir.resolve("out-unlocked"), false).build();
    unlocked = new ImageBuilder(BuildListener.NONE).build(spec);
    Lockfile lock = new ImageBuilder(BuildListener.NONE).lock(spec);
    lockPath = dir.resolve(Lockfile.FILE_NAME);
    lock.write(lockPath);
  }

  @AfterAll
  static void stopAgent() throws Exception {
    archive.close();
  }

  private static ImageSpec.Builder spec(Path cache, Path output, boolean offline) {
    return ImageSpec.builder()
        .addSource(archive.source())
        .addPackage("app")
        .addPackage("base-files")
        .architecture("amd64")
        .entrypoint(List.of("/usr/bin/app"))
        .timestamp(TIMESTAMP)
        .imageReference("test/locked:1")
        .outputDirectory(output)
        .cacheDirectory(cache)
        .offline(offline);
  }

  @Test
  void lockRecordsTheResolutionWithReasonsAndSources() {
    Lockfile lock = Lockfile.read(lockPath);
    Map<String, LockedPackage> byName =
        lock.packages().stream().collect(Collectors.toMap(LockedPackage::name, pkg -> pkg, (a, b) -> a, TreeMap::new));
    assertEquals(List.of("app", "base-files", "dash", "libc6", "libfoo1"), List.copyOf(byName.keySet()));
    assertEquals("2.0-1", byName.get("libfoo1").version());
    assertEquals("requested", byName.get("app").reason());
    assertEquals("needed by app", byName.get("dash").reason());
    assertEquals("app", byName.get("app").source());
    assertEquals("1.0", byName.get("app").sourceVersion());
    assertEquals("glibc", byName.get("libc6").source());
    assertEquals("2.36-9", byName.get("libc6").sourceVersion());
    assertEquals("dash", byName.get("dash").source());
    assertEquals(1, lock.suites().size());
    assertTrue(lock.suites().get(0).date().isPresent());
    assertEquals(
        unlocked.packages().stream().map(Object::toString).toList(),
        lock.binaryPackages().stream().map(Object::toString).toList());
  }

  @Test
  void offlineLockedBuildMatchesUnlocked() throws IOException {
    Path dists = archive.root().resolve("dists");
    Path hidden = archive.root().resolve("dists-hidden");
    Files.move(dists, hidden);
    try {
      // A new cache holding only the .deb files: no Release file or index is cached or reachable.
      Path cache = dir.resolve("cache-debs-only");
      Files.createDirectories(cache.resolve("blobs/sha256"));
      for (LockedPackage pkg : Lockfile.read(lockPath).packages()) {
        Files.copy(unlockedCache.resolve("blobs/sha256/" + pkg.sha256()), cache.resolve("blobs/sha256/" + pkg.sha256()));
      }
      Path output = dir.resolve("out-locked-offline");
      BuildResult locked =
          new ImageBuilder(BuildListener.NONE).build(spec(cache, output, true).lockfile(lockPath).build());
      assertEquals(unlocked.manifestDigest(), locked.manifestDigest());
      assertEquals(
          Files.readString(unlocked.outputDirectory().resolve("packages.txt")),
          Files.readString(output.resolve("packages.txt")));
      assertEquals(0, locked.downloaded());
    } finally {
      Files.move(hidden, dists);
    }
  }

  @Test
  void lockedBuildChecksDownloads() throws IOException {
    Path dists = archive.root().resolve("dists");
    Path hidden = archive.root().resolve("dists-hidden");
    Files.move(dists, hidden);
    Path deb = archive.root().resolve("pool/main/dash_0.5.12-2_amd64.deb");
    byte[] original = Files.readAllBytes(deb);
    try {
      BuildResult locked =
          new ImageBuilder(BuildListener.NONE)
              .build(spec(dir.resolve("cache-fresh"), dir.resolve("out-fresh"), false).lockfile(lockPath).build());
      assertEquals(unlocked.manifestDigest(), locked.manifestDigest());
      assertEquals(5, locked.downloaded());

      byte[] tampered = original.clone();
      tampered[tampered.length - 1] ^= 1;
      Files.write(deb, tampered);
      ImageBuildException error =
          assertThrows(
              ImageBuildException.class,
              () -> new ImageBuilder(BuildListener.NONE)
                  .build(spec(dir.resolve("cache-tampered"), dir.resolve("out-tampered"), false)
                      .lockfile(lockPath).build()));
      assertTrue(error.getMessage().contains("SHA256 mismatch"), error.getMessage());
    } finally {
      Files.write(deb, original);
      Files.move(hidden, dists);
    }
  }

  @Test
  void changedPackagesFailWithTheFix() {
    ImageSpec spec =
        spec(unlockedCache, dir.resolve("out-changed"), true).addPackage("unused").lockfile(lockPath).build();
    ImageBuildException error =
        assertThrows(ImageBuildException.class, () -> new ImageBuilder(BuildListener.NONE).build(spec));
    assertTrue(error.getMessage().contains("the pom changed since the lock was written"), error.getMessage());
    assertTrue(error.getMessage().contains("mvn image:lock"), error.getMessage());
    assertTrue(error.getMessage().contains(lockPath.toString()), error.getMessage());
  }

  @Test
  void reorderedPackagesStillMatchTheLock() {
    ImageSpec spec =
        ImageSpec.builder()
            .addSource(archive.source())
            .addPackage("base-files")
            .addPackage("app")
            .addPackage("base-files")
            .entrypoint(List.of("/usr/bin/app"))
            .timestamp(TIMESTAMP)
            .imageReference("test/locked:1")
            .outputDirectory(dir.resolve("out-reordered"))
            .cacheDirectory(unlockedCache)
            .offline(true)
            .lockfile(lockPath)
            .build();
    assertEquals(unlocked.manifestDigest(), new ImageBuilder(BuildListener.NONE).build(spec).manifestDigest());
  }

  @Test
  void missingLockfileResolvesFromTheIndexes() {
    Path absent = dir.resolve("no-such.lock.json");
    ImageSpec spec = spec(unlockedCache, dir.resolve("out-absent"), true).lockfile(absent).build();
    assertEquals(unlocked.manifestDigest(), new ImageBuilder(BuildListener.NONE).build(spec).manifestDigest());
    assertFalse(Files.exists(absent));
  }
}
