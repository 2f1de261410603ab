package dev.debimage.core.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that downloads follow redirects, as mirror networks send them, up to a limit. */
class HttpRedirectTest {

  private static final byte[] CONTENT = "index bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private HttpServer server;
  private final AtomicInteger loopRequests = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/moved", exchange -> {
      exchange.getResponseHeaders().add("Location", "/mirror/file");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/mirror/file", exchange -> {
      exchange.sendResponseHeaders(200, CONTENT.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(CONTENT);
      }
    });
    server.createContext("/loop", exchange -> {
      loopRequests.incrementAndGet();
      exchange.getResponseHeaders().add("Location", "/loop");
      exchange.sendResponseHeaders(301, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void redirectIsFollowed() throws Exception {
    Path target = dir.resolve("file");

    HttpDownloader.Response response =
        new HttpDownloader(BuildListener.NONE, ProxySettings.NONE).download(uri("/moved"), target, Optional.empty(), Optional.empty());

    assertEquals(200, response.status());
    assertArrayEquals(CONTENT, Files.readAllBytes(target));
  }

  @Test
  void redirectLoopFailsWithoutRetries() {
    HttpDownloader downloader = new HttpDownloader(BuildListener.NONE, ProxySettings.NONE);
    Path target = dir.resolve("loop");

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> downloader.download(uri("/loop"), target, Optional.empty(), Optional.empty()));

    assertTrue(e.getMessage().startsWith("failed to download " + uri("/loop") + ": the server still redirects (HTTP 301) at the redirect limit"), e.getMessage());
    // With its default redirect limit, JDK 17's HttpClient sends 5 requests, and none is retried.
    assertEquals(5, loopRequests.get());
  }
}
