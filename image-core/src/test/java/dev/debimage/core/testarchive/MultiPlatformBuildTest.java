package dev.debimage.core.testarchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.image.Digests;
import dev.debimage.core.lock.PlatformLockfiles;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds for amd64 and arm64 from two signed test archives, one per architecture, each source
 * limited to its architecture, and checks the image index, each platform's dpkg database and the
 * locked rebuild.
 */
class MultiPlatformBuildTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  /** Returns the sample packages for one architecture: hello, libgreet (Multi-Arch: same) and greet-data. */
  private static List<DebBuilder> packages(String architecture) {
    return List.of(
        new DebBuilder("hello", "2.10-3", architecture)
            .field("Depends", "libgreet (>= 1.0), greet-data")
            .dir("./usr/", 0755).dir("./usr/bin/", 0755)
            .file("./usr/bin/hello", "#!/bin/sh\necho hello from " + architecture + "\n", 0755),
        new DebBuilder("libgreet", "1.2-1", architecture).field("Multi-Arch", "same")
            .dir("./usr/", 0755).dir("./usr/lib/", 0755)
            .file("./usr/lib/libgreet.so.1", "library for " + architecture, 0644),
        new DebBuilder("greet-data", "1.2-1", "all")
            .dir("./usr/", 0755).dir("./usr/share/", 0755).dir("./usr/share/greet/", 0755)
            .file("./usr/share/greet/greeting", "hello\n", 0644));
  }

  @Test
  void indexAndLockedRebuild() throws Exception {
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive amd64 = TestArchive.builder(key).architecture("amd64").addAll(packages("amd64"))
        .write(work.resolve("archive-amd64"));
    TestArchive arm64 = TestArchive.builder(key).architecture("arm64").addAll(packages("arm64"))
        .write(work.resolve("archive-arm64"));
    try (ArchiveServer amd64Server = ArchiveServer.start(amd64.root());
        ArchiveServer arm64Server = ArchiveServer.start(arm64.root())) {
      List<SourceSpec> sources = List.of(
          limitedTo(amd64, amd64Server, key, "amd64"), limitedTo(arm64, arm64Server, key, "arm64"));
      Path lockfile = work.resolve("image.lock.json");

      BuildResult unlocked = new ImageBuilder(BuildListener.NONE).build(spec(sources, lockfile, work.resolve("unlocked")));
      PlatformLockfiles locks = new ImageBuilder(BuildListener.NONE).lockPlatforms(spec(sources, lockfile, work.resolve("x")));
      locks.write(lockfile);
      BuildResult locked = new ImageBuilder(BuildListener.NONE).build(spec(sources, lockfile, work.resolve("locked")));

      assertEquals(List.of("amd64", "arm64"), locks.architectures());
      assertEquals(unlocked.manifestDigest(), locked.manifestDigest(), "a locked build gives the same index");
      assertEquals(6, unlocked.packages().size(), "three packages per platform");

      Path output = work.resolve("locked");
      JsonNode index = JSON.readTree(blob(output, locked.manifestDigest()));
      assertEquals(2, index.path("manifests").size());
      Map<String, String> amd64Files = imageFiles(output, index.path("manifests").get(0));
      Map<String, String> arm64Files = imageFiles(output, index.path("manifests").get(1));

      assertEquals("#!/bin/sh\necho hello from amd64\n", amd64Files.get("usr/bin/hello"));
      assertEquals("#!/bin/sh\necho hello from arm64\n", arm64Files.get("usr/bin/hello"));
      // dpkg names the files of a Multi-Arch: same package after its architecture.
      assertTrue(arm64Files.containsKey("var/lib/dpkg/info/libgreet:arm64.list"), arm64Files.keySet().toString());
      assertTrue(amd64Files.containsKey("var/lib/dpkg/info/libgreet:amd64.list"), amd64Files.keySet().toString());
      assertTrue(arm64Files.containsKey("var/lib/dpkg/info/greet-data.list"), arm64Files.keySet().toString());
      String status = arm64Files.get("var/lib/dpkg/status");
      assertTrue(status.contains("Package: hello\n"), status);
      assertTrue(status.contains("Architecture: arm64\n"), status);
      assertTrue(!status.contains("Architecture: amd64\n"), status);
      assertNotEquals(amd64Files.get("var/lib/dpkg/status"), status);
    }
  }

  private static SourceSpec limitedTo(TestArchive archive, ArchiveServer server, TestKey key, String architecture) {
    return new SourceSpec(
        List.of(server.uri()), List.of(archive.suite()), List.of(TestArchive.COMPONENT), List.of(architecture),
        Optional.of(key.publicArmored()), "the " + architecture + " test archive");
  }

  private ImageSpec spec(List<SourceSpec> sources, Path lockfile, Path output) {
    ImageSpec.Builder builder = ImageSpec.builder();
    sources.forEach(builder::addSource);
    return builder
        .addPackage("hello")
        .platforms(List.of("linux/amd64", "linux/arm64"))
        .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
        .imageReference("test/hello:1")
        .lockfile(lockfile)
        .outputDirectory(output)
        .cacheDirectory(work.resolve("cache"))
        .build();
  }

  private static byte[] blob(Path output, String digest) throws IOException {
    return Files.readAllBytes(output.resolve("oci/blobs/sha256").resolve(Digests.hex(digest)));
  }

  /**
   * Returns the regular files of all a manifest's layers, by path, as UTF-8 text; the packages are
   * split over several layers.
   */
  private static Map<String, String> imageFiles(Path output, JsonNode descriptor) throws IOException {
    JsonNode manifest = JSON.readTree(blob(output, descriptor.path("digest").asText()));
    Map<String, String> files = new TreeMap<>();
    for (JsonNode layerDescriptor : manifest.path("layers")) {
      Path layer = output.resolve("oci/blobs/sha256").resolve(Digests.hex(layerDescriptor.path("digest").asText()));
      try (InputStream in = Files.newInputStream(layer);
          TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          if (entry.isFile()) {
            files.put(entry.getName().replaceFirst("^\\./", ""), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return files;
  }
}
