package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCacertsTest {

  static final Instant TIME = CaCertificatesTest.TIME;

  @TempDir Path work;

  private FileTree treeWithCertificates() throws Exception {
    return CaCertificatesTest.treeWith(Map.of(
        "usr/share/ca-certificates/mozilla/First_CA.crt",
        CaCertificatesTest.selfSigned(work, "/CN=First CA"),
        "usr/share/ca-certificates/mozilla/Second CA.crt",
        CaCertificatesTest.selfSigned(work, "/CN=Second CA")));
  }

  private static byte[] build(FileTree tree, Instant time) throws Exception {
    List<CaCertificates.EnabledCertificate> enabled =
        CaCertificates.apply(tree, time, BuildListener.NONE);
    JavaCacerts.write(tree, enabled, time);
    return tree.get(JavaCacerts.KEYSTORE).orElseThrow().content().readAllBytes();
  }

  private static KeyStore load(byte[] bytes, String type, String password) throws Exception {
    KeyStore keyStore = KeyStore.getInstance(type);
    keyStore.load(new ByteArrayInputStream(bytes), password.toCharArray());
    return keyStore;
  }

  @Test
  void keystoreHasEveryBundleCertificate() throws Exception {
    FileTree tree = treeWithCertificates();

    KeyStore keyStore = load(build(tree, TIME), "JKS", "changeit");

    assertEquals(List.of("debian:first_ca.pem", "debian:second_ca.pem"),
        Collections.list(keyStore.aliases()).stream().sorted().toList());
    assertEquals(TIME, keyStore.getCreationDate("debian:first_ca.pem").toInstant());
    assertEquals(keyStore.size(), PemFile.parse(tree.get(CaCertificates.BUNDLE).orElseThrow()
        .content().readAllBytes(), "bundle").certificates().size());
    assertEquals(0644, tree.get(JavaCacerts.KEYSTORE).orElseThrow().mode());
  }

  @Test
  void sameInputsGiveSameBytes() throws Exception {
    FileTree tree = treeWithCertificates();
    FileTree copy = new FileTree(TIME);
    for (FileEntry entry : tree.entries()) {
      if (entry.content() != null) {
        copy.addGeneratedFile(entry.path(), entry.content().readAllBytes(), 0644, 0, 0, TIME);
      }
    }

    byte[] first = build(tree, TIME);
    byte[] second = build(copy, TIME);

    assertArrayEquals(first, second);
  }

  @Test
  void defaultTypeAndTrustManagerLoadIt() throws Exception {
    byte[] bytes = build(treeWithCertificates(), TIME);

    // OpenJDK 17's default keystore type is PKCS12, which also reads JKS files.
    KeyStore keyStore = load(bytes, KeyStore.getDefaultType(), "changeit");
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(keyStore);
    X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];

    assertEquals(2, trustManager.getAcceptedIssuers().length);
  }

  @Test
  void defaultsFileSetsPasswordOrDisables() throws Exception {
    FileTree tree = treeWithCertificates();
    tree.addGeneratedFile(JavaCacerts.DEFAULTS,
        "# comment\n#storepass=''\nstorepass='s3cret!'\n".getBytes(), 0600, 0, 0, TIME);

    KeyStore keyStore = load(build(tree, TIME), "JKS", "s3cret!");

    assertEquals(2, keyStore.size());

    FileTree disabled = treeWithCertificates();
    disabled.addGeneratedFile(JavaCacerts.DEFAULTS, "cacerts_updates=no\n".getBytes(), 0600, 0, 0,
        TIME);
    JavaCacerts.write(disabled, CaCertificates.apply(disabled, TIME, BuildListener.NONE), TIME);
    assertFalse(disabled.get(JavaCacerts.KEYSTORE).isPresent());
  }

  /** Compares with the keystore that ca-certificates-java wrote on this machine. */
  @Test
  void matchesHostCacerts() throws Exception {
    Path hostKeystore = Path.of("/etc/ssl/certs/java/cacerts");
    assumeTrue(Files.isRegularFile(hostKeystore) && Files.isRegularFile(Path.of("/etc/ca-certificates.conf")),
        "ca-certificates-java is not installed on this machine");
    FileTree tree = new FileTree(TIME);
    CaCertificatesTest.copyHostFiles(tree, Path.of("/usr/share/ca-certificates"), "usr/share/ca-certificates");
    CaCertificatesTest.copyHostFiles(tree, Path.of("/usr/local/share/ca-certificates"),
        "usr/local/share/ca-certificates");
    CaCertificatesTest.copyHostFile(tree, Path.of("/etc/ca-certificates.conf"), "etc/ca-certificates.conf");

    KeyStore built = load(build(tree, TIME), "JKS", "changeit");
    KeyStore host = load(Files.readAllBytes(hostKeystore), "JKS", "changeit");

    Map<String, Certificate> hostCertificates = certificatesByAlias(host);
    Map<String, Certificate> builtCertificates = certificatesByAlias(built);
    // Entries added by hand on the host have other aliases, and a .pem that was replaced by a
    // regular file is no longer a link that ca-certificates-java picks up.
    hostCertificates.keySet().removeIf(alias -> !alias.startsWith("debian:"));
    try (var names = Files.list(Path.of("/etc/ssl/certs"))) {
      for (Path file : names.toList()) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          builtCertificates.remove("debian:" + file.getFileName().toString().toLowerCase());
        }
      }
    }
    assertEquals(hostCertificates.keySet(), builtCertificates.keySet());
    for (String alias : hostCertificates.keySet()) {
      assertEquals(hostCertificates.get(alias), builtCertificates.get(alias), alias);
    }
  }

  private static Map<String, Certificate> certificatesByAlias(KeyStore keyStore) throws Exception {
    Map<String, Certificate> certificates = new TreeMap<>();
    for (String alias : Collections.list(keyStore.aliases())) {
      certificates.put(alias, keyStore.getCertificate(alias));
    }
    return certificates;
  }
}
