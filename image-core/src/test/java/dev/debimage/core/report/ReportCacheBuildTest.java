package dev.debimage.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.policy.ImagePolicy;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images from the signed test archive with a shared cache. The report files must come from
 * the report cache when nothing they describe changed, and must always equal the files that a build
 * with an empty cache writes.
 */
class ReportCacheBuildTest {

  private static final List<String> REPORT_FILES =
      List.of(PackageReport.FILE_NAME, SpdxDocument.FILE_NAME, CycloneDxDocument.FILE_NAME);

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;
  @TempDir Path work;

  private TestKey key;
  private ArchiveServer server;
  private TestArchive archive;

  @BeforeEach
  void startArchive() throws Exception {
    key = TestKey.generate("Test Archive <archive@example.org>");
    archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
  }

  @AfterEach
  void stopArchive() throws IOException {
    server.close();
  }

  private ImageSpec.Builder spec(Path cache, String output) {
    return ImageSpec.builder()
        .addSource(archive.source(server.uri(), key))
        .architecture(TestArchive.ARCHITECTURE)
        .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
        .imageReference("test/hello:1")
        .outputDirectory(work.resolve(output))
        .cacheDirectory(cache)
        .addPackage("hello");
  }

  private Map<String, byte[]> build(ImageSpec spec) throws IOException {
    new ImageBuilder(BuildListener.NONE).build(spec);
    Map<String, byte[]> reports = new TreeMap<>();
    for (String name : REPORT_FILES) {
      reports.put(name, Files.readAllBytes(spec.outputDirectory().resolve(name)));
    }
    return reports;
  }

  private List<Path> cacheEntries() throws IOException {
    try (Stream<Path> files = Files.list(cacheDir.resolve("reports"))) {
      return files.filter(file -> file.toString().endsWith(".bin")).sorted().toList();
    }
  }

  private static String keyOf(Path entry) {
    String name = entry.getFileName().toString();
    return name.substring(0, name.length() - ".bin".length());
  }

  private static void assertSameReports(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
  }

  @Test
  void rebuildTakesTheReportsFromTheCache() throws IOException {
    build(spec(cacheDir, "first").build());
    Path entry = cacheEntries().get(0);
    // A valid entry with other content proves that the second build read the cache.
    Map<String, byte[]> planted = new TreeMap<>();
    REPORT_FILES.forEach(name -> planted.put(name, ("planted " + name).getBytes(StandardCharsets.UTF_8)));
    Files.write(entry, ReportCache.encode(keyOf(entry), planted));

    Map<String, byte[]> second = build(spec(cacheDir, "second").build());

    assertSameReports(planted, second);
  }

  @Test
  void entryOfAnotherKeyIsWrittenAgain() throws IOException {
    Map<String, byte[]> first = build(spec(cacheDir, "first").build());
    Path entry = cacheEntries().get(0);
    // A valid entry of another image, copied under this key's name, must not be taken for it.
    Map<String, byte[]> other = new TreeMap<>();
    REPORT_FILES.forEach(name -> other.put(name, ("other image " + name).getBytes(StandardCharsets.UTF_8)));
    Files.write(entry, ReportCache.encode("0".repeat(64), other));

    Map<String, byte[]> second = build(spec(cacheDir, "second").build());

    assertSameReports(first, second);
    assertTrue(ReportCache.decode(keyOf(entry), Files.readAllBytes(entry)).isPresent(),
        "the entry was not written again");
  }

  @Test
  void damagedSbomCopyIsWrittenAgain() throws IOException {
    ImageSpec first = spec(cacheDir, "first").build();
    build(first);
    Path copy;
    try (Stream<Path> files = Files.list(cacheDir.resolve("sbom"))) {
      copy = files.filter(file -> file.toString().endsWith(".spdx.json")).findFirst().orElseThrow();
    }
    Files.writeString(copy, "{\"damaged\": true}");

    ImageSpec second = spec(cacheDir, "second").build();
    build(second);

    // The SBOM layer, and with it the image, must be the one that the first build wrote.
    assertEquals(Files.readString(first.outputDirectory().resolve("digest")),
        Files.readString(second.outputDirectory().resolve("digest")));
  }

  @Test
  void damagedEntryIsWrittenAgain() throws IOException {
    Map<String, byte[]> first = build(spec(cacheDir, "first").build());
    Path entry = cacheEntries().get(0);
    byte[] stored = Files.readAllBytes(entry);
    stored[stored.length / 2] ^= 1;
    Files.write(entry, stored);

    Map<String, byte[]> second = build(spec(cacheDir, "second").build());

    assertSameReports(first, second);
    assertTrue(ReportCache.decode(keyOf(entry), Files.readAllBytes(entry)).isPresent(),
        "the entry was not written again");
  }

  @Test
  void changedInputsMatchAnEmptyCache() throws IOException {
    Map<String, UnaryOperator<ImageSpec.Builder>> changes = new TreeMap<>();
    changes.put("reference", spec -> spec.imageReference("test/hello:2"));
    changes.put("timestamp", spec -> spec.timestamp(Instant.parse("2025-02-01T00:00:00Z")));
    changes.put("added package", spec -> spec.addPackage("unrelated"));
    changes.put("Maven dependency", spec -> spec.addApplicationDependency("org.example:lib:1.0"));
    // The test packages have no copyright files, so a path filter changes the layers but not the reports.
    changes.put("path filter", spec -> spec.pathFilters(List.of("path-exclude=/usr/share/greet/*")));
    Map<String, byte[]> unchanged = build(spec(cacheDir, "base").build());

    for (Map.Entry<String, UnaryOperator<ImageSpec.Builder>> change : changes.entrySet()) {
      String name = change.getKey().replace(' ', '-');
      Map<String, byte[]> warm = build(change.getValue().apply(spec(cacheDir, "warm-" + name)).build());
      Path emptyCache = Files.createDirectories(work.resolve("cache-" + name));
      Map<String, byte[]> cold = build(change.getValue().apply(spec(emptyCache, "cold-" + name)).build());

      assertSameReports(cold, warm);
      if (change.getKey().equals("path filter")) {
        continue;
      }
      assertNotEquals(new String(unchanged.get(SpdxDocument.FILE_NAME), StandardCharsets.UTF_8),
          new String(warm.get(SpdxDocument.FILE_NAME), StandardCharsets.UTF_8), change.getKey());
    }
  }

  @Test
  void policyChecksPathsWithCachedReports() throws IOException {
    build(spec(cacheDir, "first").build());
    ImagePolicy policy = new ImagePolicy(List.of(), List.of("/usr/bin/hello"), false, OptionalLong.empty());

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> build(spec(cacheDir, "second").policy(policy).build()));

    assertTrue(e.getMessage().contains("forbidden path: /usr/bin/hello, from hello"), e.getMessage());
  }
}
