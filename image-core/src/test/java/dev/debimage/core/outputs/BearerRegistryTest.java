package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes to a minimal in-process registry on 127.0.0.1 that demands a Bearer token from its own
 * token endpoint, as in the token authentication of the Distribution registry.
 */
class BearerRegistryTest {

  private static final String TOKEN = "token-for-team/tiny";

  @TempDir Path work;

  private HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final List<String> tokenQueries = new ArrayList<>();
  private volatile String acceptedBasic;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::registry);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void token(HttpExchange exchange) throws IOException {
    synchronized (tokenQueries) {
      tokenQueries.add(URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (acceptedBasic != null && !acceptedBasic.equals(authorization)) {
      respond(exchange, 401, new byte[0]);
      return;
    }
    respond(exchange, 200, ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private void registry(HttpExchange exchange) throws IOException {
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add(
          "WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\",service=\"fake\"");
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (path.equals("/v2/")) {
      respond(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
    } else if (method.equals("HEAD") && path.startsWith("/v2/team/tiny/blobs/")) {
      String digest = path.substring("/v2/team/tiny/blobs/".length());
      exchange.sendResponseHeaders(blobs.containsKey(digest) ? 200 : 404, -1);
      exchange.close();
    } else if (method.equals("POST") && path.equals("/v2/team/tiny/blobs/uploads/")) {
      // A relative Location with a query of its own, which the pusher must keep.
      exchange.getResponseHeaders().add("Location", "/v2/team/tiny/blobs/uploads/session-1?_state=abc");
      respond(exchange, 202, new byte[0]);
    } else if (method.equals("PUT") && path.equals("/v2/team/tiny/blobs/uploads/session-1")) {
      String query = exchange.getRequestURI().getQuery();
      String digest = query.substring(query.indexOf("digest=") + "digest=".length());
      if (!query.startsWith("_state=abc&") || !Digests.sha256(body).equals(digest)) {
        respond(exchange, 400, ("bad upload " + query).getBytes(StandardCharsets.UTF_8));
        return;
      }
      blobs.put(digest, body);
      respond(exchange, 201, new byte[0]);
    } else if (method.equals("PUT") && path.equals("/v2/team/tiny/manifests/1.0")) {
      manifests.put("1.0", body);
      exchange.getResponseHeaders().add("Docker-Content-Digest", Digests.sha256(body));
      respond(exchange, 201, new byte[0]);
    } else {
      respond(exchange, 404, new byte[0]);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Test
  void bearerTokenPushStoresManifestBytes() throws IOException {
    acceptedBasic = "Basic " + Base64.getEncoder().encodeToString("ci:t0ken".getBytes(StandardCharsets.UTF_8));
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path layout = work.resolve("oci");
    OciLayoutWriter.write(image, layout, "tiny:1.0");
    RegistryPusher pusher =
        new RegistryPusher(BuildListener.NONE, List.of("127.0.0.1"), Optional.of(new RegistryCredentials("ci", "t0ken")));

    RegistryPusher.Result result = pusher.push(layout, ImageReference.parse(host() + "/team/tiny:1.0"));

    assertEquals(image.manifestDigest(), result.manifestDigest());
    assertEquals(3, blobs.size());
    assertEquals(image.manifestDigest(), Digests.sha256(manifests.get("1.0")));
    assertTrue(tokenQueries.contains("service=fake&scope=repository:team/tiny:pull,push"), tokenQueries.toString());
  }

  @Test
  void rejectedTokenRequestNamesUser() throws IOException {
    acceptedBasic = "Basic something-else";
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path layout = work.resolve("oci");
    OciLayoutWriter.write(image, layout, "tiny:1.0");
    RegistryPusher pusher =
        new RegistryPusher(BuildListener.NONE, List.of("127.0.0.1"), Optional.of(new RegistryCredentials("ci", "bad")));

    ImageBuildException e =
        assertThrows(
            ImageBuildException.class, () -> pusher.push(layout, ImageReference.parse(host() + "/team/tiny:1.0")));

    assertTrue(e.getMessage().contains("rejected user 'ci'"), e.getMessage());
    assertTrue(blobs.isEmpty());
  }
}
