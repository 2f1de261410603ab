package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.deb822.Stanza;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes an image index of an amd64 and an arm64 image that share their layers, reads it back
 * with skopeo where it is installed, and pushes it to {@code docker-registry} on 127.0.0.1.
 */
class ImageIndexOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  private ImageIndex index;
  private Path output;

  @BeforeEach
  void writeIndex() throws Exception {
    BuiltImage amd64 = TestImages.tinyImage(work.resolve("image"));
    ImageConfig arm64Config = new ImageConfig(
        "arm64", List.of("/bin/cat"), List.of("/hello.txt"), new TreeMap<>(Map.of("APP_HOME", "/app")),
        "65532:65532", "/app", TestImages.CREATED);
    BuiltImage arm64 = new OciImageWriter().write(amd64.layers(), arm64Config);
    index = ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("amd64", amd64), new ImageIndex.PlatformImage("arm64", arm64)),
        new TreeMap<>(Map.of("org.opencontainers.image.created", TestImages.CREATED.toString())));
    output = work.resolve("out");
    MultiPlatformOutputWriter.write(
        index,
        Map.of("amd64", List.of(binary("libc6", "amd64"), binary("tzdata", "all")),
            "arm64", List.of(binary("libc6", "arm64"), binary("tzdata", "all"))),
        output,
        "tiny:1.0",
        Map.of("amd64", Map.of("packages.json", "[\"amd64\"]".getBytes(StandardCharsets.UTF_8)),
            "arm64", Map.of("packages.json", "[\"arm64\"]".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void layoutIndexNamesImageIndex() throws Exception {
    JsonNode layoutIndex = JSON.readTree(output.resolve("oci/index.json").toFile());
    JsonNode descriptor = layoutIndex.path("manifests").get(0);

    assertEquals(1, layoutIndex.path("manifests").size());
    assertEquals(ImageIndex.MEDIA_TYPE, descriptor.path("mediaType").asText());
    assertEquals(index.digest(), descriptor.path("digest").asText());
    assertEquals("1.0", descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText());
    byte[] blob = Files.readAllBytes(output.resolve("oci/blobs/sha256").resolve(Digests.hex(index.digest())));
    assertArrayEquals(index.json(), blob);
    assertEquals(index.digest() + "\n", Files.readString(output.resolve("digest")));
  }

  @Test
  void imageIndexHasPlatforms() throws Exception {
    JsonNode manifests = JSON.readTree(index.json()).path("manifests");

    assertEquals(2, manifests.size());
    assertEquals("amd64", manifests.get(0).path("platform").path("architecture").asText());
    assertEquals("linux", manifests.get(0).path("platform").path("os").asText());
    assertTrue(manifests.get(0).path("platform").path("variant").isMissingNode());
    assertEquals("arm64", manifests.get(1).path("platform").path("architecture").asText());
    assertEquals("v8", manifests.get(1).path("platform").path("variant").asText());
    for (JsonNode manifest : manifests) {
      Path blob = output.resolve("oci/blobs/sha256").resolve(Digests.hex(manifest.path("digest").asText()));
      assertEquals(manifest.path("size").asLong(), Files.size(blob));
      JsonNode config = JSON.readTree(output.resolve("oci/blobs/sha256").resolve(
          Digests.hex(JSON.readTree(blob.toFile()).path("config").path("digest").asText())).toFile());
      assertEquals(manifest.path("platform").path("architecture").asText(), config.path("architecture").asText());
    }
  }

  @Test
  void archivesPerPlatform() throws Exception {
    byte[] first = Files.readAllBytes(output.resolve("image-amd64.tar"));

    assertArrayEquals(first, Files.readAllBytes(output.resolve("image.tar")));
    assertTrue(Files.isRegularFile(output.resolve("image-arm64.tar")));
    assertEquals("[\"amd64\"]", Files.readString(output.resolve("packages.json")));
    assertEquals("[\"arm64\"]", Files.readString(output.resolve("arm64/packages.json")));
    assertEquals(
        "libc6 1.0 amd64\nlibc6 1.0 arm64\ntzdata 1.0 all\n", Files.readString(output.resolve("packages.txt")));
    assertEquals("libc6 1.0 arm64\ntzdata 1.0 all\n", Files.readString(output.resolve("arm64/packages.txt")));
  }

  @Test
  void indexRejectsDuplicatePlatform() throws Exception {
    BuiltImage image = index.images().get(0).image();
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("amd64", image), new ImageIndex.PlatformImage("amd64", image)),
        new TreeMap<>()));

    assertTrue(e.getMessage().contains("amd64 appears twice"), e.getMessage());
  }

  @Test
  void skopeoReadsIndex() throws Exception {
    assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    TestImages.Result raw =
        TestImages.run(List.of("skopeo", "inspect", "--raw", "oci:" + output.resolve("oci") + ":1.0"));
    assertEquals(0, raw.status(), raw.output());
    assertEquals(new String(index.json(), StandardCharsets.UTF_8), raw.output().strip());

    TestImages.Result arm = TestImages.run(List.of(
        "skopeo", "--override-arch", "arm64", "--override-os", "linux", "inspect",
        "oci:" + output.resolve("oci") + ":1.0"));
    assertEquals(0, arm.status(), arm.output());
    JsonNode inspected = JSON.readTree(arm.output());
    assertEquals("arm64", inspected.path("Architecture").asText());
    // skopeo 1.9 reports the digest of the top-level manifest, here the index.
    assertEquals(index.digest(), inspected.path("Digest").asText());
  }

  @Test
  void pushUploadsIndexAndManifests() throws Exception {
    assumeTrue(Files.isExecutable(TestRegistry.BINARY), "docker-registry is not installed");
    try (TestRegistry registry =
        TestRegistry.start(Files.createDirectories(work.resolve("registry")), "pusher", "index-pass")) {
      RegistryPusher pusher = new RegistryPusher(
          BuildListener.NONE, RegistryPusher.DEFAULT_INSECURE_REGISTRIES,
          Optional.of(new RegistryCredentials("pusher", "index-pass")));
      ImageReference reference = ImageReference.parse(registry.host() + "/team/tiny:1.0");

      RegistryPusher.Result result = pusher.push(output.resolve("oci"), reference);

      assertEquals(index.digest(), result.manifestDigest());
      assertEquals(4, result.uploaded().size(), "two shared layers and two configs");

      assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
      String credentials = "pusher:index-pass";
      TestImages.Result raw = TestImages.run(List.of(
          "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", credentials, "docker://" + reference));
      assertEquals(0, raw.status(), raw.output());
      assertEquals(new String(index.json(), StandardCharsets.UTF_8), raw.output().strip());

      Path pulled = work.resolve("pulled");
      String byDigest = "docker://" + registry.host() + "/team/tiny@" + index.digest();
      TestImages.Result copy = TestImages.run(List.of(
          "skopeo", "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--src-creds", credentials,
          byDigest, "oci:" + pulled + ":pulled"));
      assertEquals(0, copy.status(), copy.output());
      JsonNode pulledIndex = JSON.readTree(pulled.resolve("index.json").toFile()).path("manifests").get(0);
      assertEquals(index.digest(), pulledIndex.path("digest").asText());
      for (ImageIndex.PlatformImage platformImage : index.images()) {
        assertTrue(Files.isRegularFile(pulled.resolve("blobs/sha256")
            .resolve(Digests.hex(platformImage.image().manifestDigest()))), platformImage.architecture());
      }
    }
  }

  private static BinaryPackage binary(String name, String architecture) {
    return new BinaryPackage(
        name, "1.0", architecture, new Stanza(Map.of("Package", name)), "pool/" + name + ".deb", 1,
        "0".repeat(64), URI.create("http://127.0.0.1/debian/"), "bookworm", "main");
  }
}
