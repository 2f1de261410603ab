package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.TarLayerWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes an image that runs busybox to Debian's docker-registry on 127.0.0.1 with htpasswd
 * authentication, with credentials that a credential helper returns, pulls it back with skopeo and
 * runs it with podman. Skipped when docker-registry, skopeo, podman or busybox-static is missing.
 */
class RegistryRoundTripTest {

  private static final String USER = "roundtrip";
  private static final String PASSWORD = "pa55-w0rd";
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Instant CREATED = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;

  private TestRegistry registry;

  @BeforeEach
  void startRegistry() throws Exception {
    assumeTrue(Files.isExecutable(TestRegistry.BINARY), "docker-registry is not installed");
    assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
    registry = TestRegistry.start(Files.createDirectories(work.resolve("registry")), USER, PASSWORD);
  }

  @AfterEach
  void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  /** Builds an image whose entrypoint is busybox's echo with {@code message} as argument. */
  private BuiltImage busyboxImage(String message) throws IOException {
    // Application layers make every file mode 644, so the executable goes into a tree layer.
    FileTree tree = new FileTree(CREATED);
    tree.addGeneratedDirectory("bin", 0755, 0, 0, CREATED);
    tree.addGeneratedFile("bin/busybox", Files.readAllBytes(BUSYBOX), 0755, 0, 0, CREATED);
    LayerBlob blob = TarLayerWriter.write(tree, work.resolve("cache/blobs"));
    Layer busybox = new Layer(
        blob.digest(), blob.diffId(), blob.size(), blob.path(), Layer.OCI_GZIP_MEDIA_TYPE, "busybox");
    ImageConfig config = new ImageConfig(
        "amd64", List.of("/bin/busybox", "echo"), List.of(message), new TreeMap<>(), "65532:65532", "/",
        CREATED);
    return new OciImageWriter().write(List.of(busybox), config);
  }

  /** Writes a Docker config whose credential helper returns the registry's user and password. */
  private Optional<RegistryCredentials> credentialsFromHelper() throws IOException {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path helper = bin.resolve("docker-credential-roundtrip");
    Files.writeString(helper, String.join("\n",
        "#!/bin/sh",
        "read -r server",
        "[ \"$1\" = get ] && [ \"$server\" = '" + registry.host() + "' ] || exit 1",
        "echo '{\"ServerURL\":\"" + registry.host() + "\",\"Username\":\"" + USER + "\",\"Secret\":\""
            + PASSWORD + "\"}'",
        ""));
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = Files.writeString(work.resolve("config.json"),
        "{\"credHelpers\":{\"" + registry.host() + "\":\"roundtrip\"}}");
    return DockerConfigCredentials.find(config, registry.host(), List.of(bin));
  }

  private List<String> podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of(
        "podman", "--runtime", "runc", "--cgroup-manager=cgroupfs", "--storage-driver", "vfs",
        "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  @Test
  void pushedImageComesBackAndRuns() throws Exception {
    BuiltImage image = busyboxImage("hello through the registry");
    Path layout = work.resolve("oci");
    OciLayoutWriter.write(image, layout, "roundtrip:1.0");
    ImageReference reference = ImageReference.parse(registry.host() + "/team/roundtrip:1.0");

    RegistryPusher pusher = new RegistryPusher(
        BuildListener.NONE, List.of(registry.host()), credentialsFromHelper());
    RegistryPusher.Result pushed = pusher.push(layout, reference);
    assertEquals(image.manifestDigest(), pushed.manifestDigest());

    Path pulled = work.resolve("pulled");
    TestImages.Result copy = TestImages.run(List.of(
        "skopeo", "copy", "--src-tls-verify=false", "--src-creds", USER + ":" + PASSWORD,
        "docker://" + reference, "oci:" + pulled + ":pulled"));
    assertEquals(0, copy.status(), copy.output());
    JsonNode index = new ObjectMapper().readTree(pulled.resolve("index.json").toFile());
    assertEquals(image.manifestDigest(), index.get("manifests").get(0).get("digest").asText());

    TestImages.Result pull = TestImages.run(podman("pull", "-q", "oci:" + pulled + ":pulled"));
    assertEquals(0, pull.status(), pull.output());
    String imageId = pull.output().strip().lines().reduce((first, last) -> last).orElseThrow();
    TestImages.Result run = TestImages.run(podman(
        "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
        imageId));
    assertEquals(0, run.status(), run.output());
    assertEquals("hello through the registry", run.output().strip());
  }

  @Test
  void sharedLayerIsNotUploadedAgain() throws Exception {
    Optional<RegistryCredentials> credentials = credentialsFromHelper();
    RegistryPusher pusher = new RegistryPusher(BuildListener.NONE, List.of(registry.host()), credentials);
    Path first = work.resolve("first");
    OciLayoutWriter.write(busyboxImage("first"), first, "roundtrip:first");
    pusher.push(first, ImageReference.parse(registry.host() + "/team/roundtrip:first"));
    long uploadsAfterFirst = registry.uploadsStarted();

    BuiltImage secondImage = busyboxImage("second");
    Path second = work.resolve("second");
    OciLayoutWriter.write(secondImage, second, "roundtrip:second");
    RegistryPusher.Result pushed = pusher.push(second, ImageReference.parse(registry.host() + "/team/roundtrip:second"));

    // Only the config differs: the busybox layer is the same blob, which a HEAD request finds.
    assertEquals(2, uploadsAfterFirst);
    assertEquals(uploadsAfterFirst + 1, registry.uploadsStarted());
    assertEquals(List.of(secondImage.configDigest()), pushed.uploaded());
    assertEquals(List.of(secondImage.layers().get(0).digest()), pushed.existing());
  }

  @Test
  void skopeoReadsEveryOutputFormat() throws Exception {
    BuiltImage image = busyboxImage("formats");
    Path output = work.resolve("out");
    OutputWriter.write(image, List.of(), output, "example.test/roundtrip:1.0");

    List<String> sources = List.of(
        "oci:" + output.resolve("oci") + ":1.0",
        "oci-archive:" + output.resolve("image.tar"),
        "docker-archive:" + output.resolve("image.tar"));
    for (String source : sources) {
      TestImages.Result inspect = TestImages.run(List.of("skopeo", "inspect", source));
      assertEquals(0, inspect.status(), source + ": " + inspect.output());
      JsonNode info = new ObjectMapper().readTree(inspect.output());
      assertEquals("amd64", info.get("Architecture").asText(), source);
      assertEquals(1, info.get("Layers").size(), source);
      if (!source.startsWith("docker-archive:")) {
        assertEquals(image.manifestDigest(), info.get("Digest").asText(), source);
      }
      // skopeo checks every blob's digest while it copies.
      Path copy = work.resolve("copy-" + source.substring(0, source.indexOf(':')));
      TestImages.Result copied = TestImages.run(List.of("skopeo", "copy", source, "dir:" + copy));
      assertEquals(0, copied.status(), source + ": " + copied.output());
      assertTrue(Files.readString(copy.resolve("manifest.json"), StandardCharsets.UTF_8)
          .contains(image.configDigest()), source);
    }
  }
}
