package dev.debimage.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds images with a customize hook through {@link ImageBuilder} from the signed test archive. */
class CustomizeHookBuildTest {

  private static final Instant TIME = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir Path dir;

  private Path hook(String body) throws Exception {
    Path hook = dir.resolve("customize.sh");
    Files.writeString(hook, "#!/bin/sh\nset -e\n" + body);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    return hook;
  }

  private ImageSpec spec(TestArchive archive, ArchiveServer server, TestKey key, Path hook, String output) {
    return ImageSpec.builder()
        .addSource(archive.source(server.uri(), key))
        .addPackage("hello")
        .architecture(TestArchive.ARCHITECTURE)
        .timestamp(TIME)
        .imageReference("test/hello:1")
        .outputDirectory(dir.resolve(output))
        .cacheDirectory(dir.resolve("cache"))
        .user("root")
        .addCustomizeHook(hook)
        .build();
  }

  /** Returns the entries of all the image's layers by path. */
  private Map<String, TarArchiveEntry> layerEntries(BuildResult result, Map<String, String> contents)
      throws Exception {
    // The packages are split over several layers, so every layer is read, later ones winning.
    Map<String, TarArchiveEntry> entries = new TreeMap<>();
    for (BuildResult.LayerSummary layer : result.layers()) {
      String digest = layer.digest();
      Path blob = dir.resolve("cache/blobs/sha256").resolve(digest.substring("sha256:".length()));
      try (InputStream in = Files.newInputStream(blob);
          TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
          entries.put(name, entry);
          if (entry.isFile()) {
            contents.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return entries;
  }

  @Test
  void hookChangesReachLayer() throws Exception {
    Path hook = hook("echo built > \"$1/etc/build-info\"\nrm \"$1/usr/share/greet/greeting\"\n"
        + "chown 1234:1234 \"$1/etc/build-info\" 2>/dev/null || true\n");
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(dir.resolve("archive"));
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      BuildResult first = new ImageBuilder(BuildListener.NONE).build(spec(archive, server, key, hook, "one"));
      BuildResult second = new ImageBuilder(BuildListener.NONE).build(spec(archive, server, key, hook, "two"));

      Map<String, String> contents = new TreeMap<>();
      Map<String, TarArchiveEntry> entries = layerEntries(first, contents);
      TarArchiveEntry info = entries.get("etc/build-info");
      assertTrue(info != null, "the hook's file is not in the layer: " + entries.keySet());
      assertEquals("built\n", contents.get("etc/build-info"));
      assertEquals(0, info.getLongUserId());
      assertEquals(0, info.getLongGroupId());
      assertEquals(TIME, info.getLastModifiedTime().toInstant());
      assertFalse(entries.containsKey("usr/share/greet/greeting"), "a deleted file is in the layer");
      assertEquals("#!/bin/sh\necho hello\n", contents.get("usr/bin/hello"));

      assertEquals(first.manifestDigest(), second.manifestDigest());
      try (var left = Files.list(dir.resolve("cache/customize"))) {
        assertEquals(0, left.count(), "temporary files were left in the cache");
      }
    }
  }

  @Test
  void failingHookFailsBuild() throws Exception {
    Path hook = hook("echo 'no space left' >&2\nexit 7\n");
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(dir.resolve("archive"));
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      ImageBuildException e = assertThrows(ImageBuildException.class,
          () -> new ImageBuilder(BuildListener.NONE).build(spec(archive, server, key, hook, "one")));

      assertTrue(e.getMessage().contains("customize hook customize.sh failed with exit code 7"), e.getMessage());
      assertTrue(e.getMessage().contains("no space left"), e.getMessage());
    }
  }

  @Test
  void notExecutableHookRejected() throws Exception {
    Path hook = dir.resolve("plain.sh");
    Files.writeString(hook, "#!/bin/sh\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> ImageSpec.builder()
        .addPackage("hello").outputDirectory(dir).addCustomizeHook(hook).build());

    assertTrue(e.getMessage().contains("plain.sh is not an executable file"), e.getMessage());
  }
}
