package dev.debimage.core.fetch;

import dev.debimage.core.ImageBuildException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HTTP proxies that downloads go through: one for {@code http} URIs, one for {@code https}
 * URIs, and the hosts that are reached directly.
 *
 * @param http the proxy for {@code http} URIs, if any
 * @param https the proxy for {@code https} URIs, if any
 * @param noProxy host patterns reached without a proxy: {@code *} matches every host, a pattern
 *     with {@code *} is a wildcard, and any other pattern matches the host and its subdomains
 */
public record ProxySettings(Optional<Proxy> http, Optional<Proxy> https, List<String> noProxy) {

  /** Settings that reach every host directly. */
  public static final ProxySettings NONE = new ProxySettings(Optional.empty(), Optional.empty(), List.of());

  /** One proxy server, with the credentials it requires, if any. */
  public record Proxy(String host, int port, Optional<String> username, Optional<String> password) {
    public Proxy {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (port < 1 || port > 65535) {
        throw new ImageBuildException(
            "invalid proxy port " + port + " for host " + host + ": use a port from 1 to 65535");
      }
    }

    @Override
    public String toString() {
      // Leaves out the password, which must not reach a log.
      return host + ":" + port + username.map(user -> " (user " + user + ")").orElse("");
    }
  }

  public ProxySettings {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(https, "https");
    noProxy = List.copyOf(noProxy);
  }

  /**
   * Reads the conventional proxy variables {@code http_proxy}, {@code https_proxy} and
   * {@code no_proxy}, each also in upper case. The lower-case name wins
   * when both are set. A value is a URL such as {@code http://user:password@proxy:3128}, and
   * {@code no_proxy} is a comma-separated list of host names, domain suffixes and {@code *}.
   *
   * @throws ImageBuildException when a proxy variable is not a valid proxy URL
   */
  public static ProxySettings fromEnvironment(Map<String, String> environment) {
    Optional<Proxy> http = variable(environment, "http_proxy").map(value -> parseUrl(value, "http_proxy"));
    Optional<Proxy> https = variable(environment, "https_proxy").map(value -> parseUrl(value, "https_proxy"));
    List<String> noProxy = new ArrayList<>();
    variable(environment, "no_proxy").ifPresent(value -> noProxy.addAll(splitPatterns(value, ",")));
    return new ProxySettings(http, https, noProxy);
  }

  /**
   * Splits a list of host patterns at any of the characters in {@code separators}, such as
   * {@code ","} or {@code "|,"}, and at whitespace, dropping blanks.
   */
  public static List<String> splitPatterns(String value, String separators) {
    List<String> patterns = new ArrayList<>();
    for (String part : value.split("[" + Pattern.quote(separators) + "\\s]+")) {
      if (!part.isBlank()) {
        patterns.add(part.trim());
      }
    }
    return patterns;
  }

  /** Returns the proxy for {@code uri}, or empty when its host is reached directly. */
  public Optional<Proxy> proxyFor(URI uri) {
    String host = uri.getHost();
    if (host == null || bypasses(host)) {
      return Optional.empty();
    }
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      return http;
    }
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      return https;
    }
    return Optional.empty();
  }

  /** Returns whether a {@link #noProxy()} pattern matches {@code host}. */
  public boolean bypasses(String host) {
    String name = stripBrackets(host).toLowerCase(Locale.ROOT);
    for (String rawPattern : noProxy) {
      String pattern = stripBrackets(rawPattern).toLowerCase(Locale.ROOT);
      if (pattern.equals("*")) {
        return true;
      }
      if (pattern.contains("*")) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        if (name.matches(regex)) {
          return true;
        }
        continue;
      }
      String domain = pattern.startsWith(".") ? pattern.substring(1) : pattern;
      if (name.equals(domain) || name.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether any proxy is configured. */
  public boolean isEmpty() {
    return http.isEmpty() && https.isEmpty();
  }

  private static String stripBrackets(String host) {
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }

  private static Optional<String> variable(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      value = environment.get(name.toUpperCase(Locale.ROOT));
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Parses a proxy URL; a value without a scheme, such as {@code proxy:3128}, is read as http. */
  static Proxy parseUrl(String value, String variableName) {
    String withScheme = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw invalidUrl(value, variableName, e.getMessage());
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw invalidUrl(value, variableName, "only http proxies are supported, not " + uri.getScheme());
    }
    if (uri.getHost() == null) {
      throw invalidUrl(value, variableName, "no host");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    Optional<String> username = Optional.empty();
    Optional<String> password = Optional.empty();
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      username = Optional.of(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? Optional.empty() : Optional.of(userInfo.substring(colon + 1));
    }
    return new Proxy(uri.getHost(), port, username, password);
  }

  private static ImageBuildException invalidUrl(String value, String variableName, String reason) {
    // The value may contain a password, so only its host part is quoted.
    String hostPart = value.contains("@") ? "..." + value.substring(value.lastIndexOf('@')) : value;
    return new ImageBuildException(
        "invalid proxy URL '" + hostPart + "' in " + variableName + ": " + reason
            + ". Use a URL such as http://proxy.example:3128");
  }
}
