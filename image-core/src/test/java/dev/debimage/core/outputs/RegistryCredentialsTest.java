package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker config credentials, WWW-Authenticate challenges and registry names in references. */
class RegistryCredentialsTest {

  @TempDir Path work;

  private Path dockerConfig(String json) throws IOException {
    return Files.writeString(work.resolve("config.json"), json);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dockerConfigAuthIsDecoded() throws IOException {
    Path config =
        dockerConfig(
            "{\"auths\":{\"https://127.0.0.1:5000/v1/\":{\"auth\":\"" + base64("alice:pa:ss") + "\"},"
                + "\"localhost\":{\"auth\":\"" + base64("bob:pw") + "\"}}}");

    assertEquals(
        Optional.of(new RegistryCredentials("alice", "pa:ss")), DockerConfigCredentials.find(config, "127.0.0.1:5000"));
    assertEquals(Optional.of(new RegistryCredentials("bob", "pw")), DockerConfigCredentials.find(config, "localhost"));
    assertEquals(Optional.empty(), DockerConfigCredentials.find(config, "localhost:5000"));
  }

  @Test
  void dockerConfigUsernameAndPassword() throws IOException {
    Path config = dockerConfig("{\"auths\":{\"127.0.0.1:5000\":{\"username\":\"carol\",\"password\":\"x\"}}}");

    assertEquals(
        Optional.of(new RegistryCredentials("carol", "x")), DockerConfigCredentials.find(config, "127.0.0.1:5000"));
  }

  @Test
  void missingDockerConfigGivesNothing() {
    assertEquals(Optional.empty(), DockerConfigCredentials.find(work.resolve("absent.json"), "localhost"));
  }

  @Test
  void invalidDockerConfigEntryIsReported() throws IOException {
    Path config = dockerConfig("{\"auths\":{\"localhost\":{\"auth\":\"" + base64("no-colon") + "\"}}}");

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> DockerConfigCredentials.find(config, "localhost"));
    assertTrue(e.getMessage().contains("'localhost'"), e.getMessage());
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
  }

  @Test
  void malformedDockerConfigIsReported() throws IOException {
    Path config = dockerConfig("{\"auths\":");

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> DockerConfigCredentials.find(config, "localhost"));
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
  }

  @Test
  void credentialsHidePasswordInText() {
    RegistryCredentials credentials = new RegistryCredentials("alice", "hunter2");

    assertFalse(credentials.toString().contains("hunter2"), credentials.toString());
    assertEquals("Basic " + base64("alice:hunter2"), credentials.basicAuthorization());
  }

  @Test
  void bearerChallengeIsParsed() {
    AuthChallenge challenge =
        AuthChallenge.parse(
                "Bearer realm=\"https://127.0.0.1/token\",service=\"registry\",scope=\"repository:a/b:pull,push\"")
            .orElseThrow();

    assertEquals("bearer", challenge.scheme());
    assertEquals(
        Map.of("realm", "https://127.0.0.1/token", "service", "registry", "scope", "repository:a/b:pull,push"),
        challenge.parameters());
  }

  @Test
  void basicChallengeIsParsed() {
    AuthChallenge challenge = AuthChallenge.parse("Basic realm=\"debimage test\", charset=UTF-8").orElseThrow();

    assertEquals("basic", challenge.scheme());
    assertEquals(Map.of("realm", "debimage test", "charset", "UTF-8"), challenge.parameters());
    assertEquals(Optional.empty(), AuthChallenge.parse(" "));
  }

  @Test
  void registryIsFirstComponentWithHost() {
    String[][] cases = {
      {"hello:1", "", "hello"},
      {"team/hello", "", "team/hello"},
      {"localhost/hello", "localhost", "hello"},
      {"127.0.0.1:5000/team/hello:2", "127.0.0.1:5000", "team/hello"},
      {"registry.example/hello", "registry.example", "hello"},
    };
    for (String[] c : cases) {
      ImageReference reference = ImageReference.parse(c[0]);
      assertEquals(c[1], reference.registry().orElse(""), c[0]);
      assertEquals(c[2], reference.repository(), c[0]);
    }
  }

  @Test
  void insecureRegistryMatchesHostOrHostAndPort() {
    RegistryPusher pusher =
        new RegistryPusher(BuildListener.NONE, List.of("localhost", "10.0.0.1:5000"), Optional.empty());

    assertTrue(pusher.isInsecure("localhost"));
    assertTrue(pusher.isInsecure("localhost:5000"));
    assertTrue(pusher.isInsecure("10.0.0.1:5000"));
    assertFalse(pusher.isInsecure("10.0.0.1:5001"));
    assertFalse(pusher.isInsecure("registry.example"));
  }
}
