package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Pushes the image of an OCI image layout to a registry through the OCI distribution API. Blobs the
 * registry lacks are uploaded, each with a POST and then one PUT of the whole blob. The manifest is
 * uploaded with its bytes unchanged, so the registry stores the digest the build computed. When a
 * registry returns 401, the pusher sends Basic credentials or a Bearer token from the named realm.
 */
public final class RegistryPusher {

  /** The registries that may be reached over plain HTTP unless the caller names others. */
  public static final Set<String> DEFAULT_INSECURE_REGISTRIES = Set.of("localhost", "127.0.0.1");

  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The outcome of a push.
   *
   * @param manifestDigest the digest of the manifest, or of the image index, that the tag names
   * @param uploaded the digests of the blobs that were uploaded
   * @param existing the digests of the blobs the registry already had
   */
  public record Result(String manifestDigest, List<String> uploaded, List<String> existing) {}

  private final BuildListener listener;
  private final Set<String> insecureRegistries;
  private final Optional<RegistryCredentials> credentials;
  private final HttpClient client;
  private final HttpClient probeClient;

  /**
   * Creates a pusher.
   *
   * @param insecureRegistries registries, as {@code HOST} or {@code HOST:PORT}, that may be reached
   *     over plain HTTP when they do not accept HTTPS; a bare host matches every port
   * @param credentials the user name and password for the registry, if any
   */
  public RegistryPusher(
      BuildListener listener, Collection<String> insecureRegistries, Optional<RegistryCredentials> credentials) {
    this.listener = listener;
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    this.credentials = credentials;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.probeClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_TIMEOUT)
            .build();
  }

  /** Returns whether {@code registry} may be reached over plain HTTP. */
  public boolean isInsecure(String registry) {
    String host = registry.startsWith("[") || registry.indexOf(':') < 0
        ? registry
        : registry.substring(0, registry.indexOf(':'));
    return insecureRegistries.contains(registry) || insecureRegistries.contains(host);
  }

  /**
   * Pushes the image or image index of {@code ociLayout} as {@code reference}, whose name must
   * start with a registry host. For an image index, every platform's manifest is pushed by digest
   * before the index is pushed under the tag.
   *
   * @throws ImageBuildException if the layout is invalid, the registry cannot be reached, rejects
   *     the credentials or the upload, or stores another digest than the manifest's
   */
  public Result push(Path ociLayout, ImageReference reference) {
    return push(ociLayout, new ImageTags(List.of(reference)));
  }

  /**
   * Pushes the image or image index of {@code ociLayout} as {@link #push(Path, ImageReference)}
   * does, uploading the blobs and the platforms' manifests once and then the tagged manifest or
   * index under every one of {@code tags}.
   *
   * @throws ImageBuildException if the layout is invalid, the registry cannot be reached, rejects
   *     the credentials or an upload, or stores another digest than the manifest's
   */
  public Result push(Path ociLayout, ImageTags tags) {
    ImageReference reference = tags.primary();
    String registry =
        reference.registry()
            .orElseThrow(() -> new ImageBuildException(
                "image reference '" + reference + "' names no registry: start it with a registry"
                    + " host, such as localhost:5000/" + reference));
    // For an image index, each platform's manifest goes first by digest, and the index last by tag.
    List<LayoutImage> plan = LayoutPushPlan.read(ociLayout);
    Session session = new Session(registry, reference.repository());
    session.open();

    List<String> uploaded = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      LayoutImage image = plan.get(i);
      for (LayoutImage.Blob blob : image.blobs()) {
        if (existing.contains(blob.digest()) || uploaded.contains(blob.digest())) {
          continue;
        }
        if (session.hasBlob(blob)) {
          listener.debug("Registry " + registry + " already has blob " + blob.digest());
          existing.add(blob.digest());
        } else {
          session.upload(blob);
          listener.info("Uploaded blob " + blob.digest() + " (" + blob.size() + " bytes) to " + registry);
          uploaded.add(blob.digest());
        }
      }
      if (i < plan.size() - 1) {
        session.putManifest(image, image.manifestDigest());
      }
    }
    LayoutImage tagged = plan.get(plan.size() - 1);
    for (ImageReference tag : tags.references()) {
      session.putManifest(tagged, tag.tag());
      listener.info("Pushed " + tag + " " + tagged.manifestDigest());
    }
    return new Result(tagged.manifestDigest(), List.copyOf(uploaded), List.copyOf(existing));
  }

  /** The state of one push: the registry's base URL and the current {@code Authorization} value. */
  private final class Session {
    private final String registry;
    private final String repository;
    private URI base;
    private String authorization;

    Session(String registry, String repository) {
      this.registry = registry;
      this.repository = repository;
    }

    /** Finds the registry's URL scheme and authenticates when the API base returns 401. */
    void open() {
      base = URI.create("https://" + registry + "/");
      HttpResponse<byte[]> response;
      if (isInsecure(registry)) {
        Optional<HttpResponse<byte[]>> https = probeHttps();
        if (https.isPresent()) {
          response = https.get();
        } else {
          listener.warn("Registry " + registry + " does not accept HTTPS; using plain HTTP as allowInsecureRegistries permits");
          base = URI.create("http://" + registry + "/");
          response = sendOnce(request(base.resolve("v2/")).GET(), "reach the registry");
        }
      } else {
        try {
          response = sendOnce(request(base.resolve("v2/")).GET(), "reach the registry");
        } catch (SslFailure e) {
          throw new ImageBuildException(
              "failed to reach registry " + registry + " over HTTPS: " + e.getCause().getMessage()
                  + ". Fix the registry's certificate, or, for a registry without TLS that you"
                  + " trust, add " + registry + " to allowInsecureRegistries",
              e.getCause());
        }
      }
      if (response.statusCode() == 401) {
        authenticate(response);
        response = sendOnce(request(base.resolve("v2/")).GET(), "reach the registry");
      }
      if (response.statusCode() != 200) {
        throw failure(response, "reach the registry's API at " + base.resolve("v2/"));
      }
    }

    /**
     * Tries the registry's API base over HTTPS, and returns empty when the TLS handshake fails or
     * does not finish within {@link #PROBE_TIMEOUT}, which some plain HTTP servers cause by waiting
     * for more bytes.
     */
    private Optional<HttpResponse<byte[]>> probeHttps() {
      HttpRequest request = request(base.resolve("v2/")).GET().build();
      try {
        return Optional.of(probeClient.send(request, HttpResponse.BodyHandlers.ofByteArray()));
      } catch (SSLException | HttpConnectTimeoutException e) {
        listener.debug("HTTPS to " + registry + " failed: " + e);
        return Optional.empty();
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to reach registry " + registry + ": " + describe(e) + ". Check that the registry is running and reachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageBuildException("interrupted while trying to reach registry " + registry, e);
      }
    }

    boolean hasBlob(LayoutImage.Blob blob) {
      URI uri = base.resolve("v2/" + repository + "/blobs/" + blob.digest());
      HttpResponse<byte[]> response =
          send(() -> request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()), "check blob " + blob.digest());
      if (response.statusCode() == 200) {
        return true;
      }
      if (response.statusCode() == 404) {
        return false;
      }
      throw failure(response, "check blob " + blob.digest());
    }

    void upload(LayoutImage.Blob blob) {
      URI start = base.resolve("v2/" + repository + "/blobs/uploads/");
      HttpResponse<byte[]> started =
          send(() -> request(start).POST(HttpRequest.BodyPublishers.noBody()), "start the upload of " + blob.digest());
      String location = started.headers().firstValue("Location").orElse(null);
      if (started.statusCode() != 202 || location == null) {
        throw failure(started, "start the upload of blob " + blob.digest());
      }
      URI session = start.resolve(location);
      String separator = session.getRawQuery() == null ? "?" : "&";
      URI target = URI.create(session + separator + "digest=" + URLEncoder.encode(blob.digest(), StandardCharsets.UTF_8));
      HttpResponse<byte[]> finished =
          send(
              () -> {
                try {
                  // No timeout: a large layer on a slow link takes as long as it takes.
                  return HttpRequest.newBuilder(target)
                      .header("Content-Type", "application/octet-stream")
                      .PUT(HttpRequest.BodyPublishers.ofFile(blob.file()));
                } catch (IOException e) {
                  throw new ImageBuildException(
                      "failed to read blob " + blob.file() + ": " + e.getMessage() + ". Build the image again", e);
                }
              },
              "upload blob " + blob.digest());
      if (finished.statusCode() != 201) {
        throw failure(finished, "upload blob " + blob.digest());
      }
    }

    void putManifest(LayoutImage image, String tag) {
      URI uri = base.resolve("v2/" + repository + "/manifests/" + tag);
      HttpResponse<byte[]> response =
          send(
              () -> request(uri)
                  .header("Content-Type", image.mediaType())
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())),
              "upload the manifest");
      if (response.statusCode() != 201) {
        throw failure(response, "upload the manifest " + image.manifestDigest() + " as tag " + tag);
      }
      Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
      if (stored.isPresent() && !stored.get().equals(image.manifestDigest())) {
        throw new ImageBuildException(
            "registry " + registry + " stored the manifest as " + stored.get() + ", but its digest is "
                + image.manifestDigest() + ": the registry changed the manifest; push to a registry that"
                + " stores manifests unchanged");
      }
    }

    /** Sends a request, and on a 401 response authenticates and sends it once more. */
    private HttpResponse<byte[]> send(Supplier<HttpRequest.Builder> request, String action) {
      try {
        HttpResponse<byte[]> response = sendOnce(request.get(), action);
        if (response.statusCode() == 401) {
          // A Bearer token is scoped, so a registry may ask again for a token for this repository.
          authenticate(response);
          response = sendOnce(request.get(), action);
        }
        return response;
      } catch (SslFailure e) {
        throw new ImageBuildException(
            "failed to " + action + " at registry " + registry + ": TLS failed: " + e.getCause().getMessage()
                + ". Check the registry's certificate", e.getCause());
      }
    }

    private HttpResponse<byte[]> sendOnce(HttpRequest.Builder request, String action) {
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (SSLException e) {
        throw new SslFailure(e);
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to " + action + " at registry " + registry + ": " + describe(e)
                + ". Check that the registry is running and reachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageBuildException("interrupted while trying to " + action + " at registry " + registry, e);
      }
    }

    private HttpRequest.Builder request(URI uri) {
      return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    }

    /** Sets {@link #authorization} from the challenge of a 401 response. */
    private void authenticate(HttpResponse<byte[]> response) {
      String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
      AuthChallenge challenge =
          AuthChallenge.parse(header)
              .orElseThrow(() -> failure(response, "authenticate (the 401 response has no WWW-Authenticate header)"));
      if (challenge.scheme().equals("basic")) {
        if (authorization != null && authorization.startsWith("Basic ")) {
          throw rejected();
        }
        authorization = requireCredentials().basicAuthorization();
      } else if (challenge.scheme().equals("bearer")) {
        authorization = "Bearer " + fetchToken(challenge);
      } else {
        throw new ImageBuildException(
            "registry " + registry + " requires authentication scheme '" + challenge.scheme()
                + "', which is not supported: use a registry that accepts Basic or Bearer token authentication");
      }
    }

    /** Gets a Bearer token for pull and push access to the repository from the challenge's realm. */
    private String fetchToken(AuthChallenge challenge) {
      String realm = challenge.parameters().get("realm");
      if (realm == null || realm.isBlank()) {
        throw new ImageBuildException(
            "registry " + registry + " requires a Bearer token but names no realm in its challenge:"
                + " check the registry's token configuration");
      }
      URI realmUri = URI.create(realm);
      if (!"https".equalsIgnoreCase(realmUri.getScheme()) && !isInsecure(registry)) {
        throw new ImageBuildException(
            "registry " + registry + " names the token realm " + realm + ", which is not HTTPS:"
                + " credentials are not sent over plain HTTP unless " + registry + " is in allowInsecureRegistries");
      }
      StringBuilder query = new StringBuilder();
      String service = challenge.parameters().get("service");
      if (service != null) {
        query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
      }
      query.append("scope=").append(URLEncoder.encode("repository:" + repository + ":pull,push", StandardCharsets.UTF_8));
      URI uri = URI.create(realm + (realmUri.getRawQuery() == null ? "?" : "&") + query);

      HttpRequest.Builder request = request(uri).GET();
      credentials.ifPresent(value -> request.header("Authorization", value.basicAuthorization()));
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to get a token for registry " + registry + " from " + realmUri.getHost() + ": " + describe(e)
                + ". Check that the token service is reachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageBuildException("interrupted while getting a token for registry " + registry, e);
      }
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw rejected();
      }
      if (response.statusCode() != 200) {
        throw failure(response, "get a token from " + realmUri.getHost());
      }
      try {
        JsonNode body = new ObjectMapper().readTree(response.body());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
          throw new ImageBuildException(
              "the token service of registry " + registry + " returned no token: check its configuration");
        }
        return token;
      } catch (IOException e) {
        throw new ImageBuildException(
            "the token service of registry " + registry + " returned invalid JSON: " + e.getMessage(), e);
      }
    }

    private RegistryCredentials requireCredentials() {
      return credentials.orElseThrow(() -> new ImageBuildException(
          "registry " + registry + " requires credentials: add a <server> with <id>" + registry
              + "</id>, <username> and <password> to Maven's settings.xml, or log in with docker login "
              + registry));
    }

    private ImageBuildException rejected() {
      String who = credentials.map(value -> "user '" + value.username() + "'").orElse("anonymous access");
      return new ImageBuildException(
          "registry " + registry + " rejected " + who + " for repository " + repository
              + ": check the <server> with <id>" + registry + "</id> in settings.xml or the docker"
              + " login for " + registry + ", and that the user may push to " + repository);
    }

    private ImageBuildException failure(HttpResponse<byte[]> response, String action) {
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        return rejected();
      }
      String body = new String(response.body(), StandardCharsets.UTF_8).strip();
      if (body.length() > 300) {
        body = body.substring(0, 300) + "...";
      }
      return new ImageBuildException(
          "failed to " + action + " at registry " + registry + ": " + response.request().method() + " "
              + response.uri() + " returned HTTP " + response.statusCode()
              + (body.isEmpty() ? "" : " " + body) + ". Check the registry's log and that "
              + repository + " may be pushed to");
    }
  }

  /** A failed TLS handshake. */
  private static final class SslFailure extends RuntimeException {
    SslFailure(SSLException cause) {
      super(cause);
    }
  }

  /**
   * Describes a network failure in words. The JDK's HTTP client often throws a ConnectException
   * without a message, both for a refused connection and for a host name that does not resolve, so
   * the exception's class name alone is no description.
   */
  static String describe(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.nio.channels.UnresolvedAddressException
          || cause instanceof java.net.UnknownHostException) {
        return "the host name does not resolve";
      }
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
  }

}
