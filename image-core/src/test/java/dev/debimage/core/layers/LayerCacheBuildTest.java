package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images from the signed test archive several times with one cache and counts, through
 * {@link BuildListener#layerReady}, which layers each build compressed and which it reused.
 */
class LayerCacheBuildTest {

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;
  @TempDir Path work;

  private TestKey key;
  private ArchiveServer server;
  private TestArchive archive;
  private Path classes;
  private Path resources;

  /** Records each layer event: the layer name, and whether it was compressed. */
  private static final class LayerEvents implements BuildListener {
    final Map<String, Boolean> compressed = new TreeMap<>();
    final List<String> order = new ArrayList<>();

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}

    @Override
    public void layerReady(String name, String digest, boolean wasCompressed) {
      compressed.put(name, wasCompressed);
      order.add(name);
    }

    List<String> compressedLayers() {
      return compressed.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }
  }

  @BeforeEach
  void startArchive() throws Exception {
    key = TestKey.generate("Test Archive <archive@example.org>");
    archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    classes = Files.createDirectories(work.resolve("classes/com/example"));
    Files.writeString(classes.resolve("Main.class"), "main v1");
    Files.writeString(classes.resolve("Util.class"), "util v1");
    resources = Files.createDirectories(work.resolve("resources"));
    Files.writeString(resources.resolve("app.properties"), "greeting=hello\n");
  }

  @AfterEach
  void stopArchive() throws IOException {
    server.close();
  }

  private ImageSpec spec(List<String> packages, String output) {
    return spec(packages, output, false);
  }

  private ImageSpec spec(List<String> packages, String output, boolean offline) {
    ImageSpec.Builder builder = ImageSpec.builder()
        .offline(offline)
        .addSource(archive.source(server.uri(), key))
        .architecture(TestArchive.ARCHITECTURE)
        .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
        .imageReference("test/hello:1")
        .outputDirectory(work.resolve(output))
        .cacheDirectory(cacheDir)
        .addApplicationLayer(new ApplicationLayer("resources",
            List.of(new ApplicationLayer.Entry(resources, "/app/resources"))))
        .addApplicationLayer(new ApplicationLayer("classes",
            List.of(new ApplicationLayer.Entry(work.resolve("classes"), "/app/classes"))));
    packages.forEach(builder::addPackage);
    return builder.build();
  }

  private static BuildResult build(ImageSpec spec, LayerEvents events) {
    return new ImageBuilder(events).build(spec);
  }

  @Test
  void firstBuildCompressesEveryLayer() {
    LayerEvents events = new LayerEvents();

    build(spec(List.of("hello"), "out"), events);

    assertEquals(List.of("packages", "dpkg-database", "resources", "classes", "sbom"), events.order);
    assertEquals(events.order.stream().sorted().toList(), events.compressedLayers());
  }

  @Test
  void unchangedRebuildCompressesNothing() {
    BuildResult first = build(spec(List.of("hello"), "out"), new LayerEvents());
    LayerEvents events = new LayerEvents();

    BuildResult second = build(spec(List.of("hello"), "out"), events);

    assertEquals(List.of(), events.compressedLayers());
    assertEquals(5, events.order.size());
    assertEquals(first.manifestDigest(), second.manifestDigest());
  }

  @Test
  void unchangedRebuildReadsNoPackageFile() throws IOException {
    BuildResult first = build(spec(List.of("hello"), "out"), new LayerEvents());
    for (var pkg : first.packages()) {
      Files.delete(cacheDir.resolve("blobs/sha256").resolve(pkg.sha256()));
    }
    server.close();

    BuildResult second = build(spec(List.of("hello"), "out", true), new LayerEvents());

    assertEquals(first.manifestDigest(), second.manifestDigest());
    assertEquals(0, second.downloaded());
    assertEquals(3, second.cached());
  }

  @Test
  void changedClassRebuildsOnlyClassesLayer() throws IOException {
    BuildResult first = build(spec(List.of("hello"), "out"), new LayerEvents());
    Files.writeString(classes.resolve("Util.class"), "util v2");
    LayerEvents events = new LayerEvents();

    BuildResult second = build(spec(List.of("hello"), "out"), events);

    assertEquals(List.of("classes"), events.compressedLayers());
    assertNotEquals(first.manifestDigest(), second.manifestDigest());
    assertEquals(layerDigest(first, "packages"), layerDigest(second, "packages"));
    assertNotEquals(layerDigest(first, "classes"), layerDigest(second, "classes"));
  }

  @Test
  void addedPackageRecompressesItsLayers() {
    build(spec(List.of("hello"), "out"), new LayerEvents());
    LayerEvents events = new LayerEvents();

    BuildResult second = build(spec(List.of("hello", "unrelated"), "out"), events);

    // The reports list the new package, so the SBOM layer changes too; the application layers do not.
    assertEquals(List.of("dpkg-database", "packages", "sbom"), events.compressedLayers());
    assertEquals(4, second.packages().size());
  }

  @Test
  void packageLayeringSetsLargePackageLayers() {
    build(spec(List.of("hello"), "out"), new LayerEvents());
    ImageSpec split = ImageSpec.builder()
        .addSource(archive.source(server.uri(), key))
        .architecture(TestArchive.ARCHITECTURE)
        .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
        .imageReference("test/hello:1")
        .outputDirectory(work.resolve("split"))
        .cacheDirectory(cacheDir)
        .addPackage("hello")
        // hello's one file has 21 bytes, the files of libgreet and greet-data fewer than 10.
        .packageLayering(10, 4)
        .build();
    LayerEvents events = new LayerEvents();

    BuildResult result = build(split, events);

    assertEquals(List.of("hello", "packages", "dpkg-database", "sbom"), events.order);
    // The database layer has the same paths as with the default split, so its blob is reused.
    assertEquals(List.of("hello", "packages"), events.compressedLayers());
    assertEquals(List.of("hello", "packages", "dpkg-database", "sbom"),
        result.layers().stream().map(BuildResult.LayerSummary::name).toList());
  }

  @Test
  void removedLayerBlobIsWrittenAgain() throws IOException {
    BuildResult first = build(spec(List.of("hello"), "out"), new LayerEvents());
    String packagesDigest = layerDigest(first, "packages");
    Files.delete(cacheDir.resolve("blobs/sha256").resolve(packagesDigest.substring("sha256:".length())));
    LayerEvents events = new LayerEvents();

    BuildResult second = build(spec(List.of("hello"), "out"), events);

    assertEquals(List.of("packages"), events.compressedLayers());
    assertEquals(first.manifestDigest(), second.manifestDigest());
  }

  @Test
  void historyNamesPackagesOfEachLayer() throws IOException {
    build(spec(List.of("hello"), "out"), new LayerEvents());

    Path blobs = work.resolve("out/oci/blobs/sha256");
    String config = null;
    try (var files = Files.list(blobs)) {
      for (Path blob : files.toList()) {
        String text = new String(Files.readAllBytes(blob), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.startsWith("{") && text.contains("\"history\"")) {
          config = text;
        }
      }
    }
    assertTrue(config != null, "no image config in " + blobs);
    assertTrue(config.contains("debimage: layer packages, 3 Debian packages from"), config);
    assertTrue(config.contains("greet-data=1.2-1 hello=2.10-3 libgreet=1.2-1"), config);
    assertTrue(config.contains("debimage: layer dpkg-database, the dpkg database and the generated files"), config);
  }

  private static String layerDigest(BuildResult result, String name) {
    return result.layers().stream()
        .filter(layer -> layer.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no layer " + name + " in " + result.layers()))
        .digest();
  }
}
