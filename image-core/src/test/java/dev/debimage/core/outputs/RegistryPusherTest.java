package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to a real registry, {@code docker-registry}, on 127.0.0.1; skipped when it is not installed. */
class RegistryPusherTest {

  private static final String USER = "pusher";
  private static final String PASSWORD = "s3cret-pass";

  @TempDir Path work;

  private TestRegistry registry;
  private BuiltImage image;
  private Path layout;

  @BeforeEach
  void startRegistry() throws Exception {
    assumeTrue(Files.isExecutable(TestRegistry.BINARY), "docker-registry is not installed");
    registry = TestRegistry.start(Files.createDirectories(work.resolve("registry")), USER, PASSWORD);
    image = TestImages.tinyImage(work.resolve("image"));
    layout = work.resolve("oci");
    OciLayoutWriter.write(image, layout, "tiny:1.0");
  }

  @AfterEach
  void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  private RegistryPusher pusher(String password) {
    return new RegistryPusher(
        BuildListener.NONE, RegistryPusher.DEFAULT_INSECURE_REGISTRIES, Optional.of(new RegistryCredentials(USER, password)));
  }

  private ImageReference reference() {
    return ImageReference.parse(registry.host() + "/team/tiny:1.0");
  }

  @Test
  void pushStoresBuiltDigest() throws Exception {
    RegistryPusher.Result result = pusher(PASSWORD).push(layout, reference());

    assertEquals(image.manifestDigest(), result.manifestDigest());
    assertEquals(3, result.uploaded().size(), "two layers and the config");
    assertEquals(List.of(), result.existing());

    assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    TestImages.Result inspect =
        TestImages.run(
            List.of("skopeo", "inspect", "--tls-verify=false", "--creds", USER + ":" + PASSWORD,
                "docker://" + reference()));
    assertEquals(0, inspect.status(), inspect.output());
    String digest = new ObjectMapper().readTree(inspect.output()).path("Digest").asText();
    assertEquals(image.manifestDigest(), digest);
  }

  @Test
  void secondPushUploadsNoBlob() throws Exception {
    pusher(PASSWORD).push(layout, reference());
    long uploadsAfterFirst = registry.uploadsStarted();

    RegistryPusher.Result second = pusher(PASSWORD).push(layout, reference());

    assertEquals(3, uploadsAfterFirst);
    assertEquals(uploadsAfterFirst, registry.uploadsStarted());
    assertEquals(List.of(), second.uploaded());
    assertEquals(3, second.existing().size());
    assertEquals(image.manifestDigest(), second.manifestDigest());
  }

  @Test
  void wrongPasswordIsRejected() {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> pusher("wrong").push(layout, reference()));

    assertTrue(e.getMessage().contains("rejected user 'pusher'"), e.getMessage());
    assertTrue(!e.getMessage().contains("wrong"), e.getMessage());
  }

  @Test
  void missingCredentialsAreReported() {
    RegistryPusher anonymous =
        new RegistryPusher(BuildListener.NONE, RegistryPusher.DEFAULT_INSECURE_REGISTRIES, Optional.empty());

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> anonymous.push(layout, reference()));

    assertTrue(e.getMessage().contains("requires credentials"), e.getMessage());
    assertTrue(e.getMessage().contains("<id>" + registry.host() + "</id>"), e.getMessage());
  }

  @Test
  void stoppedRegistryIsNamedInWords() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ImageReference nowhere = ImageReference.parse("127.0.0.1:" + port + "/debimage/hello:1.0");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> pusher(PASSWORD).push(layout, nowhere));

    assertTrue(e.getMessage().contains("failed to reach registry 127.0.0.1:" + port + ": connection refused"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("java.net."), e.getMessage());
  }

  @Test
  void networkFailuresAreDescribedInWords() {
    // The JDK's HTTP client reports an unresolved host as a ConnectException without a message.
    java.net.ConnectException unresolved = new java.net.ConnectException();
    unresolved.initCause(new java.nio.channels.UnresolvedAddressException());

    assertEquals("the host name does not resolve", RegistryPusher.describe(unresolved));
    assertEquals("connection refused", RegistryPusher.describe(new java.net.ConnectException()));
    assertEquals("timed out", RegistryPusher.describe(new java.net.http.HttpTimeoutException("request timed out")));
    assertEquals("Broken pipe", RegistryPusher.describe(new java.io.IOException("Broken pipe")));
  }

  @Test
  void plainHttpNeedsInsecureRegistry() {
    RegistryPusher strict =
        new RegistryPusher(BuildListener.NONE, List.of(), Optional.of(new RegistryCredentials(USER, PASSWORD)));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> strict.push(layout, reference()));

    assertTrue(e.getMessage().contains("allowInsecureRegistries"), e.getMessage());
  }
}
