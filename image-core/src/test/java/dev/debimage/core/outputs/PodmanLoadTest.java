package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads written images with the real podman and skopeo, when installed. podman runs against a
 * private storage directory under the test's temporary directory, so it touches no other images.
 */
class PodmanLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private List<String> podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of(
        "podman",
        "--runtime", "runc",
        "--cgroup-manager=cgroupfs",
        "--storage-driver", "vfs",
        "--root", temp.resolve("storage").toString(),
        "--runroot", temp.resolve("run").toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  @Test
  void podmanLoadsDockerArchive() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "example.test/debimage/hello:1.0");

    TestImages.Result load = TestImages.run(podman("load", "-i", tar.toString()));
    try {
      assertEquals(0, load.status(), load.output());
      assertTrue(load.output().contains("example.test/debimage/hello:1.0"), load.output());

      TestImages.Result inspect = TestImages.run(podman("image", "inspect", "example.test/debimage/hello:1.0"));
      assertEquals(0, inspect.status(), inspect.output());
      JsonNode info = JSON.readTree(inspect.output()).get(0);
      assertEquals(Digests.hex(image.configDigest()), info.get("Id").asText());
      // podman 4.3 reads the tarball as an OCI archive, so it keeps the manifest as written.
      assertEquals(image.manifestDigest(), info.get("Digest").asText());
      assertEquals("[\"/bin/cat\"]", info.get("Config").get("Entrypoint").toString());
      assertEquals("[\"/hello.txt\"]", info.get("Config").get("Cmd").toString());
      assertEquals(
          "[\"APP_HOME=/app\",\"GREETING=hello world\"]", info.get("Config").get("Env").toString());
      assertEquals("65532:65532", info.get("Config").get("User").asText());
      assertEquals("amd64", info.get("Architecture").asText());
      assertEquals(2, info.get("RootFS").get("Layers").size());
    } finally {
      TestImages.run(podman("rmi", "--force", "example.test/debimage/hello:1.0"));
    }
  }

  @Test
  void podmanLoadsManifestJsonAlone() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path tar = temp.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, "debimage/hello");
    // Without the OCI layout files podman falls back to manifest.json, as Docker before 25 reads it.
    Path dockerOnly = temp.resolve("docker-only.tar");
    copyTarWithout(tar, dockerOnly, Set.of("index.json", "oci-layout"));

    TestImages.Result load = TestImages.run(podman("load", "-i", dockerOnly.toString()));
    try {
      assertEquals(0, load.status(), load.output());
      TestImages.Result inspect = TestImages.run(podman("image", "inspect", "debimage/hello:latest"));
      assertEquals(0, inspect.status(), inspect.output());
      JsonNode info = JSON.readTree(inspect.output()).get(0);
      assertEquals(Digests.hex(image.configDigest()), info.get("Id").asText());
      assertEquals("[\"/bin/cat\"]", info.get("Config").get("Entrypoint").toString());
      assertEquals(
          "[\"APP_HOME=/app\",\"GREETING=hello world\"]", info.get("Config").get("Env").toString());
    } finally {
      TestImages.run(podman("rmi", "--force", "debimage/hello:latest"));
    }
  }

  @Test
  void skopeoReadsOciLayoutByTag() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(image, layout, "example.test/debimage/hello:1.0");

    TestImages.Result inspect = TestImages.run(List.of("skopeo", "inspect", "oci:" + layout + ":1.0"));
    assertEquals(0, inspect.status(), inspect.output());
    JsonNode info = JSON.readTree(inspect.output());
    assertEquals(image.manifestDigest(), info.get("Digest").asText());
    assertEquals("amd64", info.get("Architecture").asText());
    assertEquals("linux", info.get("Os").asText());
    assertEquals(2, info.get("Layers").size());
    assertEquals(image.layers().get(0).digest(), info.get("Layers").get(0).asText());

    TestImages.Result config = TestImages.run(List.of("skopeo", "inspect", "--config", "oci:" + layout + ":1.0"));
    assertEquals(0, config.status(), config.output());
    JsonNode settings = JSON.readTree(config.output()).get("config");
    assertEquals("[\"/bin/cat\"]", settings.get("Entrypoint").toString());
    assertEquals("/app", settings.get("WorkingDir").asText());
  }

  @Test
  void skopeoCopiesOciLayoutToDockerArchive() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path layout = temp.resolve("layout");
    OciLayoutWriter.write(image, layout, "debimage/hello:2");

    // skopeo verifies every blob's digest while copying, so this checks the whole layout.
    Path copy = temp.resolve("copy");
    TestImages.Result result =
        TestImages.run(List.of("skopeo", "copy", "oci:" + layout + ":2", "dir:" + copy));
    assertEquals(0, result.status(), result.output());
    assertEquals(
        new String(image.manifest(), StandardCharsets.UTF_8),
        Files.readString(copy.resolve("manifest.json")));
  }

  private static void copyTarWithout(Path source, Path target, Set<String> excluded) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(source));
        TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(target))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (excluded.contains(entry.getName())) {
          continue;
        }
        out.putArchiveEntry(entry);
        in.transferTo(out);
        out.closeArchiveEntry();
      }
    }
  }
}
