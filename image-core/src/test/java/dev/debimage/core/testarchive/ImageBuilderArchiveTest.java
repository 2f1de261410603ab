package dev.debimage.core.testarchive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds an image from the signed test archive, through every stage of {@link ImageBuilder}. */
class ImageBuilderArchiveTest {

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;
  @TempDir Path outputDir;

  @Test
  void imageBuildsFromSignedArchive() throws Exception {
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(archiveDir);
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      ImageSpec spec = ImageSpec.builder()
          .addSource(archive.source(server.uri(), key))
          .addPackage("hello")
          .architecture(TestArchive.ARCHITECTURE)
          .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
          .imageReference("test/hello:1")
          .outputDirectory(outputDir)
          .cacheDirectory(cacheDir)
          .build();

      BuildResult result = new ImageBuilder(BuildListener.NONE).build(spec);

      assertEquals(3, result.packages().size());
      assertEquals(3, result.downloaded());
      String packagesTxt = Files.readString(outputDir.resolve("packages.txt"));
      assertTrue(packagesTxt.contains("hello 2.10-3 amd64"), packagesTxt);
      assertEquals(result.manifestDigest(), Files.readString(outputDir.resolve("digest")).strip());
    }
  }

  @Test
  void failedBuildKeepsPreviousOutput() throws Exception {
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(archiveDir);
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      ImageSpec spec = ImageSpec.builder()
          .addSource(archive.source(server.uri(), key))
          .addPackage("hello")
          .architecture(TestArchive.ARCHITECTURE)
          .imageReference("test/hello:1")
          .outputDirectory(outputDir)
          .cacheDirectory(cacheDir)
          .build();
      new ImageBuilder(BuildListener.NONE).build(spec);
      Map<Path, byte[]> before = contents(outputDir);
      String inRelease = Files.readString(archive.inRelease());
      Files.writeString(archive.inRelease(), inRelease.replace("Label: Test", "Label: Tesu"));

      ImageBuildException e =
          assertThrows(ImageBuildException.class, () -> new ImageBuilder(BuildListener.NONE).build(spec));

      assertTrue(e.getMessage().startsWith("bad signature"), e.getMessage());
      Map<Path, byte[]> after = contents(outputDir);
      assertEquals(before.keySet(), after.keySet());
      for (Path file : before.keySet()) {
        assertArrayEquals(before.get(file), after.get(file), file.toString());
      }
    }
  }

  private static Map<Path, byte[]> contents(Path directory) throws IOException {
    Map<Path, byte[]> contents = new TreeMap<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        contents.put(directory.relativize(file), Files.readAllBytes(file));
      }
    }
    assertFalse(contents.isEmpty(), "no output in " + directory);
    return contents;
  }
}
