package dev.debimage.core.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpProxyTest {

  private static TestKey archiveKey;

  @TempDir Path work;

  private TestArchive archive;
  private ArchiveServer archiveServer;
  private ForwardProxy proxy;

  @BeforeAll
  static void generateKey() throws Exception {
    archiveKey = TestKey.generate("Test Archive <archive@example.org>");
  }

  @BeforeEach
  void start() throws Exception {
    archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(work.resolve("archive"));
    archiveServer = ArchiveServer.start(archive.root());
  }

  @AfterEach
  void stop() {
    archiveServer.close();
    if (proxy != null) {
      proxy.close();
    }
  }

  private URI inReleaseUri() {
    return URI.create(archiveServer.uri() + "/dists/" + archive.suite() + "/InRelease");
  }

  @Test
  void downloadGoesThroughProxy() throws Exception {
    proxy = ForwardProxy.start(Optional.empty());
    HttpDownloader downloader = new HttpDownloader(BuildListener.NONE, proxy.settings(List.of()));
    Path target = work.resolve("InRelease");

    downloader.download(inReleaseUri(), target, Optional.empty(), Optional.empty());

    assertArrayEquals(Files.readAllBytes(archive.inRelease()), Files.readAllBytes(target));
    assertEquals(List.of(inReleaseUri().toString()), proxy.requests());
  }

  @Test
  void indexLoaderGoesThroughProxy() throws Exception {
    proxy = ForwardProxy.start(Optional.empty());
    DownloadCache cache = new DownloadCache(
        work.resolve("cache"), new HttpDownloader(BuildListener.NONE, proxy.settings(List.of())), false);

    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE)
        .load(List.of(archive.source(archiveServer.uri(), archiveKey)), TestArchive.ARCHITECTURE);

    assertFalse(universe.packages().isEmpty());
    assertTrue(proxy.requests().contains(inReleaseUri().toString()), proxy.requests().toString());
    assertEquals(proxy.requests().size(), archiveServer.requests().size());
  }

  @Test
  void noProxyHostBypassesProxy() throws Exception {
    proxy = ForwardProxy.start(Optional.empty());
    HttpDownloader downloader = new HttpDownloader(BuildListener.NONE, proxy.settings(List.of("127.0.0.1")));

    downloader.download(inReleaseUri(), work.resolve("InRelease"), Optional.empty(), Optional.empty());

    assertEquals(List.of(), proxy.requests());
    assertEquals(1, archiveServer.requests().size());
  }

  @Test
  void environmentVariablesChooseProxy() throws Exception {
    proxy = ForwardProxy.start(Optional.empty());
    String proxyUrl = "http://127.0.0.1:" + proxy.port();
    ProxySettings settings = ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", proxyUrl));
    new HttpDownloader(BuildListener.NONE, settings)
        .download(inReleaseUri(), work.resolve("a"), Optional.empty(), Optional.empty());
    assertEquals(1, proxy.requests().size());

    ProxySettings bypassed = ProxySettings.fromEnvironment(
        Map.of("http_proxy", proxyUrl, "no_proxy", "example.org, 127.0.0.1"));
    new HttpDownloader(BuildListener.NONE, bypassed)
        .download(inReleaseUri(), work.resolve("b"), Optional.empty(), Optional.empty());
    assertEquals(1, proxy.requests().size());
  }

  @Test
  void proxyCredentialsAnswerChallenge() throws Exception {
    proxy = ForwardProxy.start(Optional.of("builder:s3cret"));
    ProxySettings.Proxy withCredentials = new ProxySettings.Proxy(
        "127.0.0.1", proxy.port(), Optional.of("builder"), Optional.of("s3cret"));
    HttpDownloader downloader = new HttpDownloader(
        BuildListener.NONE, new ProxySettings(Optional.of(withCredentials), Optional.empty(), List.of()));
    Path target = work.resolve("InRelease");

    downloader.download(inReleaseUri(), target, Optional.empty(), Optional.empty());

    assertArrayEquals(Files.readAllBytes(archive.inRelease()), Files.readAllBytes(target));
    assertEquals(1, proxy.requests().size());
    assertEquals(1, proxy.rejected());
  }

  @Test
  void noProxyPatterns() {
    ProxySettings settings = new ProxySettings(
        Optional.of(new ProxySettings.Proxy("127.0.0.1", 3128, Optional.empty(), Optional.empty())),
        Optional.empty(),
        ProxySettings.splitPatterns("*.internal|.example.org,localhost", "|,"));
    assertTrue(settings.bypasses("build.internal"));
    assertTrue(settings.bypasses("deb.example.org"));
    assertTrue(settings.bypasses("example.org"));
    assertTrue(settings.bypasses("LOCALHOST"));
    assertFalse(settings.bypasses("notexample.org"));
    assertFalse(settings.bypasses("internal"));
    assertEquals(Optional.empty(), settings.proxyFor(URI.create("https://archive.test/debian")));
    assertTrue(settings.proxyFor(URI.create("http://archive.test/debian")).isPresent());
  }

  @Test
  void proxyUrlParsing() {
    ProxySettings.Proxy parsed = ProxySettings.parseUrl("http://user:pa%3Ass@proxy.test:8080/", "http_proxy");
    assertEquals("proxy.test", parsed.host());
    assertEquals(8080, parsed.port());
    assertEquals(Optional.of("user"), parsed.username());
    assertEquals(Optional.of("pa:ss"), parsed.password());
    assertEquals(80, ProxySettings.parseUrl("proxy.test", "http_proxy").port());
    ImageBuildException invalid = assertThrows(
        ImageBuildException.class, () -> ProxySettings.parseUrl("socks5://user:secret@proxy.test:1080", "all_proxy"));
    assertTrue(invalid.getMessage().contains("all_proxy"), invalid.getMessage());
    assertFalse(invalid.getMessage().contains("secret"), invalid.getMessage());
  }

  /**
   * A forward HTTP proxy on 127.0.0.1 that answers absolute-form requests by fetching the URI
   * itself, and records each request it forwards.
   */
  private static final class ForwardProxy implements AutoCloseable {
    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpClient upstream = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private volatile int rejected;

    private ForwardProxy(Optional<String> credentials) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        URI target = exchange.getRequestURI();
        if (credentials.isPresent()) {
          String expected = "Basic " + Base64.getEncoder().encodeToString(credentials.get().getBytes());
          if (!expected.equals(exchange.getRequestHeaders().getFirst("Proxy-Authorization"))) {
            rejected++;
            exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"test\"");
            exchange.sendResponseHeaders(407, -1);
            exchange.close();
            return;
          }
        }
        if (target.getScheme() == null) {
          // An origin-form request means the client did not treat this server as a proxy.
          exchange.sendResponseHeaders(400, -1);
          exchange.close();
          return;
        }
        requests.add(target.toString());
        try {
          HttpResponse<InputStream> response = upstream.send(
              HttpRequest.newBuilder(target).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
          byte[] body;
          try (InputStream in = response.body()) {
            body = in.readAllBytes();
          }
          exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          exchange.sendResponseHeaders(502, -1);
          exchange.close();
        }
      });
      server.start();
    }

    static ForwardProxy start(Optional<String> credentials) throws IOException {
      return new ForwardProxy(credentials);
    }

    int port() {
      return server.getAddress().getPort();
    }

    ProxySettings settings(List<String> noProxy) {
      return new ProxySettings(
          Optional.of(new ProxySettings.Proxy("127.0.0.1", port(), Optional.empty(), Optional.empty())),
          Optional.empty(),
          noProxy);
    }

    List<String> requests() {
      return List.copyOf(requests);
    }

    int rejected() {
      return rejected;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
