package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.OciImageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes and pushes images under several tags, and reads each tag back with skopeo and podman, and
 * from {@code docker-registry} on 127.0.0.1, where they are installed.
 */
class MultiTagOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "pusher";
  private static final String PASSWORD = "tags-pass";

  @TempDir Path work;

  private List<String> podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of(
        "podman", "--runtime", "runc", "--cgroup-manager=cgroupfs", "--storage-driver", "vfs",
        "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  private static ImageTags tags(String reference) {
    return ImageTags.parse(reference, List.of("latest", "stable"));
  }

  @Test
  void layoutIndexHasDescriptorPerTag() throws Exception {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path layout = work.resolve("oci");

    OciLayoutWriter.write(image, layout, tags("example.test/app:1.0"));

    JsonNode manifests = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests");
    assertEquals(3, manifests.size());
    List<String> expected = List.of("1.0", "latest", "stable");
    for (int i = 0; i < expected.size(); i++) {
      JsonNode descriptor = manifests.get(i);
      assertEquals(image.manifestDigest(), descriptor.path("digest").asText());
      assertEquals(image.manifest().length, descriptor.path("size").asLong());
      assertEquals(expected.get(i), descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText());
      assertEquals("example.test/app:" + expected.get(i),
          descriptor.path("annotations").path("io.containerd.image.name").asText());
    }
  }

  @Test
  void skopeoInspectsEveryTag() throws Exception {
    assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path layout = work.resolve("oci");
    OciLayoutWriter.write(image, layout, tags("example.test/app:1.0"));

    for (String tag : List.of("1.0", "latest", "stable")) {
      TestImages.Result inspect = TestImages.run(List.of("skopeo", "inspect", "oci:" + layout + ":" + tag));
      assertEquals(0, inspect.status(), tag + ": " + inspect.output());
      assertEquals(image.manifestDigest(), JSON.readTree(inspect.output()).path("Digest").asText(), tag);
    }
  }

  @Test
  void dockerArchiveListsEveryTag() throws Exception {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = work.resolve("image.tar");

    DockerArchiveWriter.write(image, tar, tags("example.test/app:1.0"));

    JsonNode manifest = JSON.readTree(member(tar, "manifest.json"));
    assertEquals(1, manifest.size());
    assertEquals("[\"example.test/app:1.0\",\"example.test/app:latest\",\"example.test/app:stable\"]",
        manifest.get(0).path("RepoTags").toString());
    assertEquals(3, JSON.readTree(member(tar, "index.json")).path("manifests").size());
  }

  @Test
  void changedTagsRewriteArchive() throws Exception {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = work.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, ImageTags.of("example.test/app:1.0"));

    DockerArchiveWriter.write(image, tar, tags("example.test/app:1.0"));

    assertEquals(3, JSON.readTree(member(tar, "manifest.json")).get(0).path("RepoTags").size());
  }

  @Test
  void podmanLoadsArchiveWithMainName() throws Exception {
    assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path output = work.resolve("out");
    OutputWriter.write(image, List.of(), output, tags("example.test/debimage/tagged:1.0"), Map.of());

    TestImages.Result load = TestImages.run(podman("load", "-i", output.resolve("image.tar").toString()));
    assertEquals(0, load.status(), load.output());
    assertTrue(load.output().contains("example.test/debimage/tagged:1.0"), load.output());
    for (String tag : List.of("1.0", "latest", "stable")) {
      TestImages.Result inspect = TestImages.run(podman("image", "inspect", "example.test/debimage/tagged:" + tag));
      assertEquals(0, inspect.status(), tag + ": " + inspect.output());
      assertEquals(Digests.hex(image.configDigest()), JSON.readTree(inspect.output()).get(0).path("Id").asText(), tag);
    }
  }

  @Test
  void podmanPullsOciArchiveByTag() throws Exception {
    assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path output = work.resolve("out");
    OutputWriter.write(image, List.of(), output, tags("example.test/debimage/ociarchive:1.0"), Map.of());

    TestImages.Result pull = TestImages.run(podman(
        "pull", "-q", "oci-archive:" + output.resolve("image.tar") + ":stable"));

    assertEquals(0, pull.status(), pull.output());
    String id = pull.output().strip().lines().reduce((first, last) -> last).orElseThrow();
    assertEquals(Digests.hex(image.configDigest()), id);
  }

  @Test
  void pushPutsManifestUnderEveryTag() throws Exception {
    assumeTrue(Files.isExecutable(TestRegistry.BINARY), "docker-registry is not installed");
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path layout = work.resolve("oci");
    try (TestRegistry registry = TestRegistry.start(Files.createDirectories(work.resolve("registry")), USER, PASSWORD)) {
      ImageTags tags = tags(registry.host() + "/team/tagged:1.0");
      OciLayoutWriter.write(image, layout, tags);

      RegistryPusher.Result result = pusher().push(layout, tags);

      assertEquals(image.manifestDigest(), result.manifestDigest());
      assertEquals(3, result.uploaded().size(), "two layers and the config, each uploaded once");
      assertEquals(List.of(), result.existing());
      assertEveryTagHasDigest(registry, "team/tagged", image.manifestDigest());
    }
  }

  @Test
  void pushPutsIndexUnderEveryTag() throws Exception {
    assumeTrue(Files.isExecutable(TestRegistry.BINARY), "docker-registry is not installed");
    BuiltImage amd64 = TestImages.tinyImage(work.resolve("image"));
    ImageConfig arm64Config = new ImageConfig(
        "arm64", List.of("/bin/cat"), List.of("/hello.txt"), new TreeMap<>(Map.of("APP_HOME", "/app")),
        "65532:65532", "/app", TestImages.CREATED);
    BuiltImage arm64 = new OciImageWriter().write(amd64.layers(), arm64Config);
    ImageIndex index = ImageIndex.of(
        List.of(new ImageIndex.PlatformImage("amd64", amd64), new ImageIndex.PlatformImage("arm64", arm64)),
        new TreeMap<>());
    Path output = work.resolve("out");
    try (TestRegistry registry = TestRegistry.start(Files.createDirectories(work.resolve("registry")), USER, PASSWORD)) {
      ImageTags tags = tags(registry.host() + "/team/multi:1.0");
      MultiPlatformOutputWriter.write(index, Map.of("amd64", List.of(), "arm64", List.of()), output, tags, Map.of());
      assertEquals(3, JSON.readTree(output.resolve("oci/index.json").toFile()).path("manifests").size());
      assertEquals(3, JSON.readTree(member(output.resolve("image-arm64.tar"), "manifest.json"))
          .get(0).path("RepoTags").size());

      RegistryPusher.Result result = pusher().push(output.resolve("oci"), tags);

      assertEquals(index.digest(), result.manifestDigest());
      assertEquals(4, result.uploaded().size(), "two shared layers and two configs");
      assertEveryTagHasDigest(registry, "team/multi", index.digest());
    }
  }

  private RegistryPusher pusher() {
    return new RegistryPusher(
        BuildListener.NONE, RegistryPusher.DEFAULT_INSECURE_REGISTRIES, Optional.of(new RegistryCredentials(USER, PASSWORD)));
  }

  /** Pulls each tag back with skopeo, or else reads its manifest digest over HTTP. */
  private void assertEveryTagHasDigest(TestRegistry registry, String repository, String digest) throws Exception {
    assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    for (String tag : List.of("1.0", "latest", "stable")) {
      String source = "docker://" + registry.host() + "/" + repository + ":" + tag;
      TestImages.Result raw = TestImages.run(List.of(
          "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, source));
      assertEquals(0, raw.status(), tag + ": " + raw.output());
      assertEquals(digest, Digests.sha256(raw.output().strip().getBytes(StandardCharsets.UTF_8)), tag);

      Path pulled = work.resolve("pulled-" + tag);
      TestImages.Result copy = TestImages.run(List.of(
          "skopeo", "copy", "--all", "--preserve-digests", "--src-tls-verify=false",
          "--src-creds", USER + ":" + PASSWORD, source, "oci:" + pulled + ":" + tag));
      assertEquals(0, copy.status(), tag + ": " + copy.output());
      JsonNode descriptor = JSON.readTree(pulled.resolve("index.json").toFile()).path("manifests").get(0);
      assertEquals(digest, descriptor.path("digest").asText(), tag);
    }
  }

  private static byte[] member(Path tar, String name) throws IOException {
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        if (entry.getName().equals(name)) {
          return entries.readAllBytes();
        }
      }
    }
    throw new AssertionError(name + " is not in " + tar);
  }
}
