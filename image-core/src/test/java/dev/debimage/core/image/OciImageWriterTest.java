package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OciImageWriterTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);
  private static final String D = "sha256:" + "d".repeat(64);
  private static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

  private static List<Layer> layers() {
    return List.of(
        new Layer(A, B, 100, Path.of("/cache/a"), Layer.OCI_GZIP_MEDIA_TYPE, "debimage os layer"),
        new Layer(C, D, 20, Path.of("/cache/c"), Layer.OCI_GZIP_MEDIA_TYPE, "debimage application layer classes"));
  }

  private static ImageConfig settings(String architecture) {
    TreeMap<String, String> environment = new TreeMap<>();
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64");
    return new ImageConfig(
        architecture, List.of("java", "-jar"), List.of("app.jar"), environment, "nonroot", "/app", CREATED);
  }

  @Test
  void configJsonHasFixedContent() {
    BuiltImage image = new OciImageWriter().write(layers(), settings("amd64"));

    String expected =
        "{\"created\":\"2024-05-01T12:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{\"User\":\"nonroot\","
            + "\"Env\":[\"JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\",\"PATH=/usr/bin:/bin\"],"
            + "\"Entrypoint\":[\"java\",\"-jar\"],\"Cmd\":[\"app.jar\"],\"WorkingDir\":\"/app\"},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + B + "\",\"" + D + "\"]},"
            + "\"history\":["
            + "{\"created\":\"2024-05-01T12:00:00Z\",\"created_by\":\"debimage os layer\"},"
            + "{\"created\":\"2024-05-01T12:00:00Z\",\"created_by\":\"debimage application layer classes\"}]}";
    assertEquals(expected, new String(image.config(), StandardCharsets.UTF_8));
    assertEquals(Digests.sha256(image.config()), image.configDigest());
  }

  @Test
  void manifestJsonNamesConfigAndLayers() {
    BuiltImage image = new OciImageWriter().write(layers(), settings("amd64"));

    String expected =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + image.configDigest() + "\",\"size\":" + image.config().length + "},"
            + "\"layers\":["
            + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + A + "\",\"size\":100},"
            + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + C + "\",\"size\":20}]}";
    assertEquals(expected, new String(image.manifest(), StandardCharsets.UTF_8));
    assertEquals(Digests.sha256(image.manifest()), image.manifestDigest());
    assertEquals(layers(), image.layers());
  }

  @Test
  void sameInputsGiveSameBytes() {
    BuiltImage first = new OciImageWriter().write(layers(), settings("amd64"));
    BuiltImage second = new OciImageWriter().write(layers(), settings("amd64"));

    assertArrayEquals(first.config(), second.config());
    assertArrayEquals(first.manifest(), second.manifest());
    assertEquals(first.manifestDigest(), second.manifestDigest());
  }

  @Test
  void armhfGetsArmVariant() {
    String config = new String(new OciImageWriter().write(layers(), settings("armhf")).config(), StandardCharsets.UTF_8);

    assertTrue(config.contains("\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\","), config);
  }

  @Test
  void emptyListsAreLeftOut() {
    ImageConfig bare = new ImageConfig("arm64", List.of(), List.of(), new TreeMap<>(), "0", "/", CREATED);
    String config = new String(new OciImageWriter().write(layers(), bare).config(), StandardCharsets.UTF_8);

    assertFalse(config.contains("Entrypoint"), config);
    assertFalse(config.contains("Cmd"), config);
    assertFalse(config.contains("Env"), config);
    assertTrue(config.contains("\"config\":{\"User\":\"0\",\"WorkingDir\":\"/\"}"), config);
  }

  @Test
  void nonAsciiIsWrittenAsUtf8() {
    TreeMap<String, String> environment = new TreeMap<>();
    environment.put("GREETING", "grüß dich");
    ImageConfig config = new ImageConfig("amd64", List.of(), List.of(), environment, "nonroot", "/", CREATED);
    BuiltImage image = new OciImageWriter().write(layers(), config);

    assertTrue(new String(image.config(), StandardCharsets.UTF_8).contains("\"GREETING=grüß dich\""));
  }

  @Test
  void settingsComeFromSpec() {
    ImageSpec spec =
        ImageSpec.builder()
            .addPackage("hello")
            .architecture("arm64")
            .entrypoint(List.of("/usr/bin/hello"))
            .environment("Z", "1")
            .environment("A", "2")
            .workingDirectory("/work")
            .timestamp(CREATED)
            .outputDirectory(Path.of("out"))
            .build();
    ImageConfig config = ImageConfig.from(spec);

    assertEquals("arm64", config.architecture());
    assertEquals(List.of("/usr/bin/hello"), config.entrypoint());
    assertEquals(List.of("A", "PATH", "Z"), List.copyOf(config.environment().keySet()));
    assertEquals(ImageSpec.DEFAULT_PATH, config.environment().get("PATH"));
    assertEquals(ImageSpec.DEFAULT_USER, config.user());
    assertEquals("/work", config.workingDirectory());
    assertEquals(CREATED, config.created());
  }

  @Test
  void noLayersIsRejected() {
    assertThrows(ImageBuildException.class, () -> new OciImageWriter().write(List.of(), settings("amd64")));
  }

  @Test
  void unknownArchitectureIsRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> settings("vax"));
    assertTrue(e.getMessage().contains("'vax'"), e.getMessage());
  }

  @Test
  void invalidEnvironmentNameIsRejected() {
    TreeMap<String, String> environment = new TreeMap<>();
    environment.put("A=B", "x");
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> new ImageConfig("amd64", List.of(), List.of(), environment, "nonroot", "/", CREATED));
    assertTrue(e.getMessage().contains("'A=B'"), e.getMessage());
  }

  @Test
  void invalidDigestIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Layer("sha256:ABC", B, 1, Path.of("x"), Layer.OCI_GZIP_MEDIA_TYPE, "x"));
  }
}
