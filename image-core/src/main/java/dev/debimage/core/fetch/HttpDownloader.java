package dev.debimage.core.fetch;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.ProxySettings.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Downloads files over {@code http}, {@code https} and {@code file} URIs, with timeouts and a
 * bounded number of retries for connection failures and 5xx responses. Integrity comes from the
 * archive's signatures and checksums, checked by the callers, not from the transport. Requests go
 * through the HTTP proxies of a {@link ProxySettings}; {@code https} requests tunnel through
 * their proxy with CONNECT.
 */
public final class HttpDownloader {

  /** The outcome of a request: the body was written to the target file, or the server had nothing newer. */
  public record Response(int status, Optional<String> etag, Optional<String> lastModified) {
    public boolean notModified() {
      return status == 304;
    }
  }

  private static final int MAX_ATTEMPTS = 4;
  /**
   * The limit after which the JDK's HttpClient returns a 3xx response instead of following it:
   * the {@code jdk.httpclient.redirects.retrylimit} system property, 5 unless set. With 5, JDK
   * 17 sends at most 5 requests for one download (HttpRedirectTest counts them).
   */
  private static final String REDIRECT_LIMIT = System.getProperty("jdk.httpclient.redirects.retrylimit", "5");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final HttpClient.Builder clientBuilder;
  private final BuildListener listener;
  private HttpClient client;

  /**
   * Creates a downloader that uses the proxies named by the {@code http_proxy}, {@code https_proxy}
   * and {@code no_proxy} environment variables (see {@link ProxySettings#fromEnvironment}).
   */
  public HttpDownloader(BuildListener listener) {
    this(listener, ProxySettings.fromEnvironment(System.getenv()));
  }

  /** Creates a downloader that uses {@code proxies} and ignores the proxy environment variables. */
  public HttpDownloader(BuildListener listener, ProxySettings proxies) {
    this.listener = listener;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .proxy(new SettingsProxySelector(proxies));
    if (proxies.http().flatMap(Proxy::username).isPresent()
        || proxies.https().flatMap(Proxy::username).isPresent()) {
      builder.authenticator(new ProxyAuthenticator(proxies));
    }
    // The client is built on the first request: building it loads the TLS setup and the JDK's CA
    // certificates, which builds that find every file in the cache, or run offline, never need.
    this.clientBuilder = builder;
    proxies.http().ifPresent(proxy -> listener.debug("using HTTP proxy " + proxy + " for http URIs"));
    proxies.https().ifPresent(proxy -> listener.debug("using HTTP proxy " + proxy + " for https URIs"));
    if (!proxies.isEmpty() && !proxies.noProxy().isEmpty()) {
      listener.debug("reaching these hosts without a proxy: " + String.join(", ", proxies.noProxy()));
    }
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = clientBuilder.build();
    }
    return client;
  }

  /**
   * Downloads {@code uri} into {@code target}, which the caller owns (normally a temporary file).
   *
   * @param etag sent as {@code If-None-Match} when present
   * @param lastModified sent as {@code If-Modified-Since} when present
   * @return the response; on 304 the target is left untouched
   * @throws NotFoundException when the server responds with 404 or 410, or a file URI does not exist
   * @throws ImageBuildException when the server cannot be reached after the retries
   */
  public Response download(URI uri, Path target, Optional<String> etag, Optional<String> lastModified) {
    if ("file".equals(uri.getScheme())) {
      return copyLocal(uri, target);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ImageBuildException(
          "unsupported URI scheme in '" + uri + "': use http, https or file");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
    etag.ifPresent(value -> request.header("If-None-Match", value));
    lastModified.ifPresent(value -> request.header("If-Modified-Since", value));

    IOException lastFailure = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        HttpResponse<InputStream> response =
            client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 200) {
          try (InputStream body = response.body();
              OutputStream out = Files.newOutputStream(target)) {
            body.transferTo(out);
          }
          return new Response(
              status,
              response.headers().firstValue("ETag"),
              response.headers().firstValue("Last-Modified"));
        }
        response.body().close();
        if (status == 304) {
          return new Response(status, etag, lastModified);
        }
        if (status == 404 || status == 410) {
          throw new NotFoundException(uri, status);
        }
        if (status >= 300 && status < 400) {
          // A redirect loop responds the same way every time, so it is not retried.
          throw new ImageBuildException(
              "failed to download " + uri + ": the server still redirects (HTTP " + status + ") at the"
                  + " redirect limit (jdk.httpclient.redirects.retrylimit=" + REDIRECT_LIMIT + "), so it"
                  + " redirects in a loop or through too many steps. Check the mirror URI");
        }
        if (status < 500) {
          throw new ImageBuildException(
              "failed to download " + uri + ": the server responded with HTTP " + status);
        }
        lastFailure = new IOException("HTTP " + status);
      } catch (UnknownHostException | ConnectException | HttpTimeoutException e) {
        lastFailure = e;
      } catch (IOException e) {
        lastFailure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageBuildException("interrupted while downloading " + uri, e);
      }
      if (attempt < MAX_ATTEMPTS) {
        long delayMillis = 500L << (attempt - 1);
        listener.debug("retrying " + uri + " in " + delayMillis + " ms after: " + describe(lastFailure));
        sleep(delayMillis);
      }
    }
    throw new ImageBuildException(
        "failed to download " + uri + " after " + MAX_ATTEMPTS + " attempts: "
            + describe(lastFailure)
            + ". Check that the mirror in <uris> is reachable from this machine, or build offline"
            + " (mvn -o) once the cache holds every file",
        lastFailure);
  }

  private static Response copyLocal(URI uri, Path target) {
    Path source = Path.of(uri);
    try {
      Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return new Response(200, Optional.empty(), Optional.empty());
    } catch (NoSuchFileException e) {
      throw new NotFoundException(uri, 404);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read " + uri + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Throwable failure) {
    if (failure == null) {
      return "unknown error";
    }
    if (failure instanceof UnknownHostException) {
      return "unknown host " + failure.getMessage();
    }
    if (failure instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (failure instanceof ConnectException) {
      return "connection refused";
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while waiting to retry a download", e);
    }
  }

  /** Chooses each request's proxy from the {@link ProxySettings}. */
  private static final class SettingsProxySelector extends ProxySelector {
    private final ProxySettings settings;

    SettingsProxySelector(ProxySettings settings) {
      this.settings = settings;
    }

    @Override
    public List<java.net.Proxy> select(URI uri) {
      return settings
          .proxyFor(uri)
          .map(proxy -> List.of(new java.net.Proxy(
              java.net.Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port()))))
          .orElse(List.of(java.net.Proxy.NO_PROXY));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
      // The download's retries report the failure.
    }
  }

  /** Responds to a proxy's 407 challenge with the credentials configured for that proxy. */
  private static final class ProxyAuthenticator extends Authenticator {
    private final ProxySettings settings;

    ProxyAuthenticator(ProxySettings settings) {
      this.settings = settings;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      for (Optional<Proxy> candidate : List.of(settings.http(), settings.https())) {
        if (candidate.isPresent()
            && candidate.get().host().equalsIgnoreCase(getRequestingHost())
            && candidate.get().port() == getRequestingPort()
            && candidate.get().username().isPresent()) {
          Proxy proxy = candidate.get();
          return new PasswordAuthentication(
              proxy.username().get(), proxy.password().orElse("").toCharArray());
        }
      }
      return null;
    }
  }

  /** The server has no file at the URI. */
  public static final class NotFoundException extends ImageBuildException {
    private static final long serialVersionUID = 1L;
    private final URI uri;

    public NotFoundException(URI uri, int status) {
      super("not found: " + uri + " (HTTP " + status + ")");
      this.uri = uri;
    }

    public URI uri() {
      return uri;
    }
  }
}
