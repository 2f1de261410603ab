package dev.debimage.core.outputs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A Distribution registry ({@code docker-registry}, Debian's build of distribution/distribution)
 * on 127.0.0.1 with filesystem storage and htpasswd authentication, for push tests.
 */
final class TestRegistry implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final Path log;
  private final int port;

  private TestRegistry(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a registry storing under {@code directory} that accepts {@code user} with {@code password}. */
  static TestRegistry start(Path directory, String user, String password)
      throws IOException, InterruptedException {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    // The registry accepts only bcrypt entries in its htpasswd file.
    String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
    Path htpasswd = directory.resolve("htpasswd");
    Files.writeString(htpasswd, user + ":" + hash + "\n");

    int port = freePort();
    Path config = directory.resolve("config.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "version: 0.1",
            "log:",
            "  level: info",
            "storage:",
            "  filesystem:",
            "    rootdirectory: " + directory.resolve("storage"),
            "http:",
            "  addr: 127.0.0.1:" + port,
            "  secret: test-secret",
            "auth:",
            "  htpasswd:",
            "    realm: debimage-test",
            "    path: " + htpasswd,
            ""));
    Path log = directory.resolve("registry.log");
    Process process =
        new ProcessBuilder(List.of(BINARY.toString(), "serve", config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TestRegistry registry = new TestRegistry(process, log, port);
    registry.awaitReady();
    return registry;
  }

  /** Returns {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + port;
  }

  /** Returns the number of upload sessions the registry has started so far, from its request log. */
  long uploadsStarted() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains("response completed"))
        .filter(line -> line.contains("http.request.method=POST"))
        .filter(line -> line.contains("/blobs/uploads/"))
        .count();
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).GET().build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(log));
      }
      try {
        int status = client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 401 || status == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IOException("docker-registry did not respond on " + host() + " within 20 s: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
