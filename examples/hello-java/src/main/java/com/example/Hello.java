package com.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Prints a greeting, the Java runtime it runs on, and how many CAs its default trust store holds. */
public final class Hello {

  private static final Path CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  private Hello() {}

  public static void main(String[] args) throws Exception {
    System.out.println("Hello from a Debian image, Java " + System.getProperty("java.version")
        + ", user " + System.getProperty("user.name"));
    System.out.println("trusted CAs: " + defaultTrustStoreSize() + " of " + bundleSize() + " in " + CA_BUNDLE);
  }

  /** Returns the number of CAs that TLS connections trust by default. */
  private static int defaultTrustStoreSize() throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers().length;
      }
    }
    return 0;
  }

  /** Returns the number of certificates in the system CA bundle, 0 when it is missing. */
  private static long bundleSize() throws Exception {
    if (!Files.isRegularFile(CA_BUNDLE)) {
      return 0;
    }
    return Files.readAllLines(CA_BUNDLE).stream().filter(line -> line.equals("-----BEGIN CERTIFICATE-----")).count();
  }
}
