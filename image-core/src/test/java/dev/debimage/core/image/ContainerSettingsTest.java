package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.spec.ImageSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Exposed ports, volumes, labels, stop signal, annotations and history in the written JSON. */
class ContainerSettingsTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Layer> layers() {
    return List.of(new Layer(A, B, 100, Path.of("/cache/a"), Layer.OCI_GZIP_MEDIA_TYPE, "debimage os layer"));
  }

  private static ImageConfig settings(
      Set<String> ports, Set<String> volumes, Map<String, String> labels, String stopSignal,
      Map<String, String> annotations) {
    return new ImageConfig(
        "amd64", List.of("/app/run"), List.of(), new TreeMap<>(), "nonroot", "/app", CREATED,
        new TreeSet<>(ports), new TreeSet<>(volumes), new TreeMap<>(labels), stopSignal,
        new TreeMap<>(annotations));
  }

  @Test
  void configHasSettingsInSpecificationOrder() {
    ImageConfig settings =
        settings(
            Set.of("8080", "53/udp"),
            Set.of("/var/lib/app", "/data"),
            Map.of("team", "platform", "org.opencontainers.image.title", "hello"),
            "SIGINT",
            Map.of());
    String config = new String(new OciImageWriter().write(layers(), settings).config(), StandardCharsets.UTF_8);

    String expected =
        "\"config\":{\"User\":\"nonroot\","
            + "\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},"
            + "\"Entrypoint\":[\"/app/run\"],"
            + "\"Volumes\":{\"/data\":{},\"/var/lib/app\":{}},"
            + "\"WorkingDir\":\"/app\","
            + "\"Labels\":{\"org.opencontainers.image.title\":\"hello\",\"team\":\"platform\"},"
            + "\"StopSignal\":\"SIGINT\"}";
    assertTrue(config.contains(expected), config);
  }

  @Test
  void manifestCarriesSortedAnnotations() throws IOException {
    Map<String, String> annotations = Map.of("org.opencontainers.image.version", "1.0", "com.example.b", "x");
    BuiltImage image = new OciImageWriter().write(layers(), settings(Set.of(), Set.of(), Map.of(), null, annotations));
    String manifest = new String(image.manifest(), StandardCharsets.UTF_8);

    assertTrue(
        manifest.endsWith(
            "\"annotations\":{\"com.example.b\":\"x\",\"org.opencontainers.image.version\":\"1.0\"}}"),
        manifest);
    assertEquals(Digests.sha256(image.manifest()), image.manifestDigest());
    assertEquals("1.0", JSON.readTree(image.manifest()).get("annotations").get("org.opencontainers.image.version").asText());
  }

  @Test
  void unsetSettingsAreLeftOut() throws IOException {
    BuiltImage image = new OciImageWriter().write(layers(), settings(Set.of(), Set.of(), Map.of(), null, Map.of()));
    JsonNode container = JSON.readTree(image.config()).get("config");
    JsonNode manifest = JSON.readTree(image.manifest());

    for (String field : List.of("ExposedPorts", "Volumes", "Labels", "StopSignal")) {
      assertTrue(container.get(field) == null, field + " in " + container);
    }
    assertTrue(manifest.get("annotations") == null, manifest.toString());
  }

  @Test
  void historyListsPackagesAndSuites() {
    String createdBy =
        PackageLayerHistory.describe(
            List.of(binary("libc6", "2.36-9", "bookworm"), binary("base-files", "12.4+deb12u5", "bookworm-updates")));

    assertEquals(
        "debimage: 2 Debian packages from bookworm, bookworm-updates: base-files=12.4+deb12u5 libc6=2.36-9",
        createdBy);
  }

  @Test
  void historyEntryPerLayerInConfig() throws IOException {
    Layer packages =
        new Layer(A, B, 1, Path.of("a"), Layer.OCI_GZIP_MEDIA_TYPE,
            PackageLayerHistory.describe(List.of(binary("libc6", "2.36-9", "bookworm"))));
    Layer classes =
        new Layer(B, A, 1, Path.of("b"), Layer.OCI_GZIP_MEDIA_TYPE, "debimage application layer classes: /app/classes");
    BuiltImage image =
        new OciImageWriter().write(List.of(packages, classes), settings(Set.of(), Set.of(), Map.of(), null, Map.of()));
    JsonNode history = JSON.readTree(image.config()).get("history");

    assertEquals(2, history.size());
    assertEquals("debimage: 1 Debian package from bookworm: libc6=2.36-9", history.get(0).get("created_by").asText());
    assertEquals("debimage application layer classes: /app/classes", history.get(1).get("created_by").asText());
    assertEquals("2024-05-01T12:00:00Z", history.get(1).get("created").asText());
  }

  @Test
  void metadataBecomesStandardAnnotations() {
    ImageMetadata metadata =
        new ImageMetadata("hello", "Says hello", "1.0", "Apache-2.0", null, "https://git.example/hello", " ");

    Map<String, String> annotations = metadata.annotations(CREATED);

    assertEquals(
        List.of(
            "org.opencontainers.image.created",
            "org.opencontainers.image.description",
            "org.opencontainers.image.licenses",
            "org.opencontainers.image.source",
            "org.opencontainers.image.title",
            "org.opencontainers.image.version"),
        List.copyOf(annotations.keySet()));
    assertEquals("2024-05-01T12:00:00Z", annotations.get("org.opencontainers.image.created"));
    assertEquals("https://git.example/hello", annotations.get("org.opencontainers.image.source"));
  }

  @Test
  void settingsComeFromSpec() {
    ImageSpec spec =
        ImageSpec.builder()
            .addPackage("hello")
            .exposePort("8080")
            .exposePort("9090/tcp")
            .addVolume("/data")
            .label("team", "platform")
            .stopSignal("SIGQUIT")
            .annotation("com.example.note", "n")
            .outputDirectory(Path.of("out"))
            .build();
    ImageConfig config = ImageConfig.from(spec);

    assertEquals(List.of("8080/tcp", "9090/tcp"), List.copyOf(config.exposedPorts()));
    assertEquals(List.of("/data"), List.copyOf(config.volumes()));
    assertEquals(Map.of("team", "platform"), config.labels());
    assertEquals("SIGQUIT", config.stopSignal());
    assertEquals(Map.of("com.example.note", "n"), config.annotations());
  }

  @Test
  void invalidPortIsRejectedBySpec() {
    for (String port : List.of("0", "65536", "http", "80/icmp", "")) {
      ImageSpec.Builder builder = ImageSpec.builder().addPackage("hello").outputDirectory(Path.of("out")).exposePort(port);
      ImageBuildException e = assertThrows(ImageBuildException.class, builder::build, port);
      assertTrue(e.getMessage().contains("'" + port + "'"), e.getMessage());
    }
  }

  @Test
  void relativeVolumeIsRejected() {
    ImageSpec.Builder builder = ImageSpec.builder().addPackage("hello").outputDirectory(Path.of("out")).addVolume("data");
    ImageBuildException e = assertThrows(ImageBuildException.class, builder::build);
    assertTrue(e.getMessage().contains("'data'"), e.getMessage());
  }

  @Test
  void invalidStopSignalIsRejected() {
    ImageSpec.Builder builder = ImageSpec.builder().addPackage("hello").outputDirectory(Path.of("out")).stopSignal("term");
    ImageBuildException e = assertThrows(ImageBuildException.class, builder::build);
    assertTrue(e.getMessage().contains("'term'"), e.getMessage());
  }

  @Test
  void labelWithoutValueIsRejected() {
    ImageSpec.Builder builder = ImageSpec.builder().addPackage("hello").outputDirectory(Path.of("out")).label("team", null);
    ImageBuildException e = assertThrows(ImageBuildException.class, builder::build);
    assertTrue(e.getMessage().contains("'team'"), e.getMessage());
  }

  private static BinaryPackage binary(String name, String version, String suite) {
    Stanza stanza = new Stanza(Map.of("Package", name, "Version", version, "Architecture", "amd64"));
    return new BinaryPackage(
        name, version, "amd64", stanza, "pool/" + name + ".deb", 1, "0".repeat(64),
        URI.create("http://127.0.0.1/debian"), suite, "main");
  }
}
