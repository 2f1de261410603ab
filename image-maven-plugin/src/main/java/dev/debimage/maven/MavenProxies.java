package dev.debimage.maven;

import dev.debimage.core.fetch.ProxySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Settings;

/** Maps the active proxies of Maven's {@code settings.xml} onto the library's proxy settings. */
final class MavenProxies {

  private MavenProxies() {}

  /**
   * Returns the proxy settings of the active {@code <proxy>} entries, or empty when there is none,
   * so that the library falls back to the proxy environment variables. A proxy with protocol
   * {@code http} also serves {@code https} URIs unless an active proxy with protocol
   * {@code https} is configured, as Maven's own downloads use a single http proxy for both.
   *
   * @throws MojoFailureException when an active proxy has no host, an invalid port or a protocol
   *     other than http and https
   */
  static Optional<ProxySettings> from(Settings settings) throws MojoFailureException {
    if (settings == null) {
      return Optional.empty();
    }
    Optional<ProxySettings.Proxy> http = Optional.empty();
    Optional<ProxySettings.Proxy> https = Optional.empty();
    List<String> noProxy = new ArrayList<>();
    for (Proxy proxy : settings.getProxies()) {
      if (!proxy.isActive()) {
        continue;
      }
      String protocol = proxy.getProtocol() == null ? "http" : proxy.getProtocol().toLowerCase(Locale.ROOT);
      ProxySettings.Proxy mapped = map(proxy);
      if (protocol.equals("http") && http.isEmpty()) {
        http = Optional.of(mapped);
      } else if (protocol.equals("https") && https.isEmpty()) {
        https = Optional.of(mapped);
      } else if (!protocol.equals("http") && !protocol.equals("https")) {
        throw new MojoFailureException(
            "unsupported protocol '" + proxy.getProtocol() + "' of the active proxy '" + proxy.getId()
                + "' in settings.xml: use http or https, or deactivate the proxy");
      }
      if (proxy.getNonProxyHosts() != null) {
        noProxy.addAll(ProxySettings.splitPatterns(proxy.getNonProxyHosts(), "|,"));
      }
    }
    if (http.isEmpty() && https.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProxySettings(http, https.isPresent() ? https : http, noProxy));
  }

  private static ProxySettings.Proxy map(Proxy proxy) throws MojoFailureException {
    if (proxy.getHost() == null || proxy.getHost().isBlank()) {
      throw new MojoFailureException(
          "missing <host> in the active proxy '" + proxy.getId() + "' of settings.xml: set the proxy's host name");
    }
    if (proxy.getPort() < 1 || proxy.getPort() > 65535) {
      throw new MojoFailureException(
          "invalid <port> " + proxy.getPort() + " in the active proxy '" + proxy.getId()
              + "' of settings.xml: use a port from 1 to 65535");
    }
    // NOTE: a password encrypted with settings-security.xml is passed as Maven stores it.
    return new ProxySettings.Proxy(
        proxy.getHost().strip(),
        proxy.getPort(),
        Optional.ofNullable(proxy.getUsername()).filter(user -> !user.isBlank()),
        Optional.ofNullable(proxy.getPassword()));
  }
}
