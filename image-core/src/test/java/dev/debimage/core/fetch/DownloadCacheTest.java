package dev.debimage.core.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadCacheTest {

  private static final byte[] CONTENT = "package bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path cacheRoot;

  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
      if (failuresBeforeSuccess.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      byte[] body = files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      String etag = "\"" + Sha256.hex(body) + "\"";
      if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        exchange.sendResponseHeaders(304, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("ETag", etag);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
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

  private DownloadCache cache(boolean offline) {
    return new DownloadCache(cacheRoot, new HttpDownloader(BuildListener.NONE), offline);
  }

  @Test
  void secondFetchComesFromCache() {
    files.put("/pool/a.deb", CONTENT);
    String sha = Sha256.hex(CONTENT);

    DownloadCache.CachedFile first = cache(false).fetch(uri("/pool/a.deb"), sha, CONTENT.length);
    DownloadCache.CachedFile second = cache(false).fetch(uri("/pool/a.deb"), sha, CONTENT.length);

    assertEquals(DownloadCache.Origin.DOWNLOADED, first.origin());
    assertEquals(DownloadCache.Origin.CACHED, second.origin());
    assertEquals(1, requests.get("/pool/a.deb").get());
  }

  @Test
  void wrongHashIsRejectedAndNotCached() {
    files.put("/pool/a.deb", CONTENT);
    String wrong = Sha256.hex("other".getBytes(StandardCharsets.UTF_8));

    ImageBuildException error =
        assertThrows(
            ImageBuildException.class, () -> cache(false).fetch(uri("/pool/a.deb"), wrong, CONTENT.length));

    assertTrue(error.getMessage().contains("SHA256 mismatch"), error.getMessage());
    assertFalse(Files.exists(cache(false).blobPath(wrong)));
  }

  @Test
  void truncatedFileIsRejected() {
    files.put("/pool/a.deb", CONTENT);

    ImageBuildException error =
        assertThrows(
            ImageBuildException.class,
            () -> cache(false).fetch(uri("/pool/a.deb"), Sha256.hex(CONTENT), CONTENT.length + 5));

    assertTrue(error.getMessage().contains("size mismatch"), error.getMessage());
  }

  @Test
  void corruptCachedFileIsFetchedAgain() throws IOException {
    files.put("/pool/a.deb", CONTENT);
    String sha = Sha256.hex(CONTENT);
    DownloadCache cache = cache(false);
    cache.fetch(uri("/pool/a.deb"), sha, CONTENT.length);
    Files.write(cache.blobPath(sha), "corrupted!!!!".getBytes(StandardCharsets.UTF_8));

    DownloadCache.CachedFile again = cache.fetch(uri("/pool/a.deb"), sha, CONTENT.length);

    assertEquals(DownloadCache.Origin.DOWNLOADED, again.origin());
    assertArrayEquals(CONTENT, Files.readAllBytes(again.path()));
  }

  @Test
  void offlineMissListsTheFile() {
    MissingFromCacheException error =
        assertThrows(
            MissingFromCacheException.class,
            () -> cache(true).fetch(uri("/pool/b.deb"), Sha256.hex(CONTENT), CONTENT.length));

    assertEquals(1, error.missing().size());
    assertTrue(error.getMessage().contains("/pool/b.deb"), error.getMessage());
  }

  @Test
  void serverErrorsAreRetried() {
    files.put("/pool/a.deb", CONTENT);
    failuresBeforeSuccess.set(2);

    DownloadCache.CachedFile file = cache(false).fetch(uri("/pool/a.deb"), Sha256.hex(CONTENT), CONTENT.length);

    assertEquals(DownloadCache.Origin.DOWNLOADED, file.origin());
    assertEquals(3, requests.get("/pool/a.deb").get());
  }

  @Test
  void releaseIsRefreshedConditionally() throws IOException {
    files.put("/dists/x/InRelease", CONTENT);
    DownloadCache cache = cache(false);

    Path first = cache.fetchRelease(uri("/dists/x/InRelease")).orElseThrow();
    Path second = cache.fetchRelease(uri("/dists/x/InRelease")).orElseThrow();

    assertEquals(first, second);
    assertArrayEquals(CONTENT, Files.readAllBytes(second));
    assertEquals(2, requests.get("/dists/x/InRelease").get());
    assertEquals(Optional.empty(), cache.fetchRelease(uri("/dists/x/Release")));
  }

  @Test
  void offlineReleaseUsesLastCopy() throws IOException {
    files.put("/dists/x/InRelease", CONTENT);
    cache(false).fetchRelease(uri("/dists/x/InRelease"));
    server.stop(0);

    Path offline = cache(true).fetchRelease(uri("/dists/x/InRelease")).orElseThrow();

    assertArrayEquals(CONTENT, Files.readAllBytes(offline));
  }

  @Test
  void unreachableServerNamesTheUri() {
    server.stop(0);
    URI unreachable = uri("/pool/a.deb");

    ImageBuildException error =
        assertThrows(
            ImageBuildException.class, () -> cache(false).fetch(unreachable, Sha256.hex(CONTENT), CONTENT.length));

    assertTrue(error.getMessage().contains(unreachable.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("<uris>"), error.getMessage());
  }
}
