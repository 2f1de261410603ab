package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads credentials through Docker credential helpers: small shell scripts that the tests write,
 * which follow the helper protocol and log the command and the server address they received.
 */
class CredentialHelperTest {

  @TempDir Path work;

  /**
   * Writes {@code docker-credential-NAME}, which logs its argument and input to {@code NAME.log}.
   * For {@code get} of {@code server} it prints {@code user} and {@code secret}. For any other
   * server it reports that it has no credentials, as the real helpers do.
   */
  private Path helper(String name, String server, String user, String secret) throws IOException {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path log = work.resolve(name + ".log");
    String script = String.join("\n",
        "#!/bin/sh",
        "read -r server",
        "echo \"$1 $server\" >> '" + log + "'",
        "if [ \"$server\" = '" + server + "' ]; then",
        "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user + "\",\"Secret\":\"" + secret + "\"}\\n' \"$server\"",
        "  exit 0",
        "fi",
        "echo 'credentials not found in native keychain'",
        "exit 1",
        "");
    return executable(bin.resolve("docker-credential-" + name), script);
  }

  private static Path executable(Path file, String script) throws IOException {
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private Path config(String json) throws IOException {
    return Files.writeString(work.resolve("config.json"), json);
  }

  private Optional<RegistryCredentials> find(Path config, String registry) {
    return DockerConfigCredentials.find(config, registry, List.of(work.resolve("missing"), work.resolve("bin")));
  }

  private String log(String name) throws IOException {
    return Files.readString(work.resolve(name + ".log"));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void credHelperForRegistryIsRun() throws IOException {
    helper("vault", "registry.example.test:5000", "ci-bot", "t0ken");
    Path config = config("{\"credHelpers\":{\"registry.example.test:5000\":\"vault\"}}");

    Optional<RegistryCredentials> credentials = find(config, "registry.example.test:5000");

    assertEquals(Optional.of(new RegistryCredentials("ci-bot", "t0ken")), credentials);
    assertEquals("get registry.example.test:5000\n", log("vault"));
  }

  @Test
  void credHelperWinsOverAuthsAndStore() throws IOException {
    helper("vault", "127.0.0.1:5000", "from-helper", "a");
    helper("store", "127.0.0.1:5000", "from-store", "b");
    Path config = config("{\"credsStore\":\"store\",\"credHelpers\":{\"127.0.0.1:5000\":\"vault\"},"
        + "\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + base64("from-auths:c") + "\"}}}");

    assertEquals("from-helper", find(config, "127.0.0.1:5000").orElseThrow().username());
    assertFalse(Files.exists(work.resolve("store.log")));
  }

  @Test
  void credsStoreServesEveryRegistry() throws IOException {
    helper("store", "127.0.0.1:5000", "stored", "pw");
    Path config = config("{\"credsStore\":\"store\",\"auths\":{\"127.0.0.1:5000\":{}}}");

    assertEquals(Optional.of(new RegistryCredentials("stored", "pw")), find(config, "127.0.0.1:5000"));
  }

  @Test
  void storeWithoutEntryFallsBackToAuths() throws IOException {
    helper("store", "other.example.test", "stored", "pw");
    Path config = config("{\"credsStore\":\"store\","
        + "\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + base64("alice:secret") + "\"}}}");

    assertEquals(Optional.of(new RegistryCredentials("alice", "secret")), find(config, "127.0.0.1:5000"));
    assertEquals("get 127.0.0.1:5000\n", log("store"));
  }

  @Test
  void dockerHubUsesIndexAddress() throws IOException {
    helper("store", "https://index.docker.io/v1/", "hubuser", "hubtoken");
    Path config = config("{\"credsStore\":\"store\"}");

    assertEquals("hubuser", find(config, "docker.io").orElseThrow().username());
    assertEquals("get https://index.docker.io/v1/\n", log("store"));
  }

  @Test
  void missingHelperIsReported() throws IOException {
    Path config = config("{\"credHelpers\":{\"127.0.0.1:5000\":\"absent\"}}");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> find(config, "127.0.0.1:5000"));

    assertTrue(e.getMessage().contains("docker-credential-absent not found"), e.getMessage());
  }

  @Test
  void failingHelperIsReported() throws IOException {
    executable(Files.createDirectories(work.resolve("bin")).resolve("docker-credential-broken"),
        "#!/bin/sh\necho 'keyring is locked' >&2\nexit 3\n");
    Path config = config("{\"credHelpers\":{\"127.0.0.1:5000\":\"broken\"}}");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> find(config, "127.0.0.1:5000"));

    assertTrue(e.getMessage().contains("exit status 3"), e.getMessage());
    assertTrue(e.getMessage().contains("keyring is locked"), e.getMessage());
  }

  @Test
  void invalidHelperOutputIsReported() throws IOException {
    executable(Files.createDirectories(work.resolve("bin")).resolve("docker-credential-odd"),
        "#!/bin/sh\necho 'not json'\n");
    Path config = config("{\"credHelpers\":{\"127.0.0.1:5000\":\"odd\"}}");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> find(config, "127.0.0.1:5000"));

    assertTrue(e.getMessage().contains("invalid output of credential helper docker-credential-odd"), e.getMessage());
  }

  @Test
  void identityTokenIsRejected() throws IOException {
    helper("store", "127.0.0.1:5000", "<token>", "refresh");
    Path config = config("{\"credsStore\":\"store\"}");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> find(config, "127.0.0.1:5000"));

    assertTrue(e.getMessage().contains("identity token"), e.getMessage());
    assertFalse(e.getMessage().contains("refresh"), e.getMessage());
  }

  @Test
  void helperNameWithSlashIsRejected() throws IOException {
    Path config = config("{\"credsStore\":\"../evil\"}");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> find(config, "127.0.0.1:5000"));

    assertTrue(e.getMessage().contains("invalid credential helper name '../evil'"), e.getMessage());
  }
}
