package dev.debimage.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.fetch.ProxySettings;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;

class MavenProxiesTest {

  private static Proxy proxy(String id, String protocol, boolean active) {
    Proxy proxy = new Proxy();
    proxy.setId(id);
    proxy.setProtocol(protocol);
    proxy.setHost("proxy.test");
    proxy.setPort(3128);
    proxy.setActive(active);
    return proxy;
  }

  @Test
  void noActiveProxyMeansEnvironment() throws Exception {
    Settings settings = new Settings();
    settings.addProxy(proxy("off", "http", false));
    assertEquals(Optional.empty(), MavenProxies.from(settings));
  }

  @Test
  void httpProxyServesHttpsAndCredentials() throws Exception {
    Proxy http = proxy("corporate", "http", true);
    http.setUsername("builder");
    http.setPassword("s3cret");
    http.setNonProxyHosts("localhost|*.internal");
    Settings settings = new Settings();
    settings.addProxy(http);

    ProxySettings mapped = MavenProxies.from(settings).orElseThrow();

    ProxySettings.Proxy expected =
        new ProxySettings.Proxy("proxy.test", 3128, Optional.of("builder"), Optional.of("s3cret"));
    assertEquals(Optional.of(expected), mapped.http());
    assertEquals(Optional.of(expected), mapped.https());
    assertEquals(List.of("localhost", "*.internal"), mapped.noProxy());
    assertTrue(mapped.proxyFor(URI.create("http://repo.internal/debian")).isEmpty());
  }

  @Test
  void unsupportedProtocolIsRejected() {
    Settings settings = new Settings();
    settings.addProxy(proxy("socks", "socks5", true));
    MojoFailureException error = assertThrows(MojoFailureException.class, () -> MavenProxies.from(settings));
    assertTrue(error.getMessage().contains("socks5"), error.getMessage());
  }
}
