package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks {@link ImageBuilder#packageSet} with and without a lockfile, against a signed archive on disk. */
class PackageSetTest {

  @TempDir static Path dir;

  private static TestArchive archive;

  @BeforeAll
  static void publishArchive() throws Exception {
    archive = TestArchive.create(dir);
    archive
        .add(new DebBuilder("libc6", "2.36-9", "amd64").field("Depends", "libgcc-s1")
            .dir("./lib/", 0755).file("./lib/libc.so.6", "libc", 0755))
        .add(new DebBuilder("libgcc-s1", "12.2.0-14", "amd64")
            .dir("./lib/", 0755).file("./lib/libgcc_s.so.1", "libgcc", 0644))
        .add(new DebBuilder("zlib1g", "1:1.2.13", "amd64").field("Depends", "libc6")
            .dir("./lib/", 0755).file("./lib/libz.so.1", "zlib", 0644));
    archive.publish();
  }

  @AfterAll
  static void stopAgent() throws Exception {
    archive.close();
  }

  private static ImageSpec.Builder spec(String cacheName, boolean offline, String... packages) {
    ImageSpec.Builder builder = ImageSpec.builder()
        .addSource(archive.source())
        .architecture("amd64")
        .entrypoint(List.of("/bin/true"))
        .outputDirectory(dir.resolve("out"))
        .cacheDirectory(dir.resolve(cacheName))
        .offline(offline);
    for (String name : packages) {
      builder.addPackage(name);
    }
    return builder;
  }

  private static List<String> lines(Lockfile lock) {
    return lock.packages().stream()
        .map(pkg -> pkg.name() + " " + pkg.version() + " " + pkg.architecture() + " " + pkg.reason())
        .toList();
  }

  @Test
  void packageSetResolvesWithoutLockfile() {
    Path missing = dir.resolve("no-such-" + Lockfile.FILE_NAME);
    Lockfile set = new ImageBuilder(BuildListener.NONE)
        .packageSet(spec("cache-resolve", false, "zlib1g").lockfile(missing).build());

    assertEquals(
        List.of(
            "libc6 2.36-9 amd64 needed by zlib1g",
            "libgcc-s1 12.2.0-14 amd64 needed by libc6",
            "zlib1g 1:1.2.13 amd64 requested"),
        lines(set));
    assertTrue(Files.notExists(missing), "packageSet wrote a lockfile");
    assertTrue(Files.notExists(dir.resolve("out")), "packageSet wrote outputs");
  }

  @Test
  void packageSetReadsLockfileOffline() throws IOException {
    Path lockPath = dir.resolve("offline-" + Lockfile.FILE_NAME);
    Lockfile lock = new ImageBuilder(BuildListener.NONE).lock(spec("cache-lock", false, "libc6").build());
    lock.write(lockPath);

    Path dists = archive.root().resolve("dists");
    Path hidden = archive.root().resolve("dists-hidden");
    Files.move(dists, hidden);
    try {
      // An empty cache, offline, with no index reachable: only the lockfile can supply the set.
      Lockfile set = new ImageBuilder(BuildListener.NONE)
          .packageSet(spec("cache-empty", true, "libc6").lockfile(lockPath).build());
      assertEquals(lines(lock), lines(set));
      assertEquals(
          List.of("libc6 2.36-9 amd64 requested", "libgcc-s1 12.2.0-14 amd64 needed by libc6"),
          lines(set));
    } finally {
      Files.move(hidden, dists);
    }
  }

  @Test
  void packageSetRejectsStaleLockfile() {
    Path lockPath = dir.resolve("stale-" + Lockfile.FILE_NAME);
    new ImageBuilder(BuildListener.NONE).lock(spec("cache-stale", false, "libc6").build()).write(lockPath);

    ImageBuildException error = assertThrows(
        ImageBuildException.class,
        () -> new ImageBuilder(BuildListener.NONE)
            .packageSet(spec("cache-stale", false, "zlib1g").lockfile(lockPath).build()));
    assertTrue(error.getMessage().contains("does not match the build's inputs"), error.getMessage());
    assertTrue(error.getMessage().contains("mvn image:lock"), error.getMessage());
    assertTrue(error.getMessage().contains("the lock lists no package named zlib1g"), error.getMessage());
  }
}
