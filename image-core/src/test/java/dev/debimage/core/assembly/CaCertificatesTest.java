package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificatesTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;

  /** Creates a self-signed certificate with openssl and returns its PEM text. */
  static String selfSigned(Path dir, String subject) throws IOException, InterruptedException {
    assumeTrue(OpenSsl.available(), "openssl is not installed");
    Path key = Files.createTempFile(dir, "key", ".pem");
    Path cert = Files.createTempFile(dir, "cert", ".pem");
    OpenSsl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-utf8", "-multivalue-rdn", "-subj", subject, "-days", "1",
        "-keyout", key.toString(), "-out", cert.toString());
    return Files.readString(cert);
  }

  static FileTree treeWith(Map<String, String> files) {
    FileTree tree = new FileTree(TIME);
    files.forEach((path, text) -> tree.addGeneratedFile(
        path, text.getBytes(StandardCharsets.UTF_8), 0644, 0, 0, TIME));
    return tree;
  }

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.resolve(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void nameHashMatchesOpenSsl() throws Exception {
    List<String> subjects = List.of(
        "/CN=Example Root CA/O=Example/C=DE",
        "/CN=  Mixed   CASE\tName  /O=ÜNÏCODE Straße",
        "/CN=a+OU=Multi Valued/O=x",
        "/emailAddress=Root@Example.ORG/CN=ROOT");
    for (String subject : subjects) {
      Path cert = work.resolve("subject.pem");
      Files.writeString(cert, selfSigned(work, subject));
      String expected = OpenSsl.run("x509", "-hash", "-noout", "-in", cert.toString()).strip();
      PemFile pem = PemFile.parse(Files.readAllBytes(cert), subject);

      String actual = OpenSslNameHash.hashHex(
          pem.certificates().get(0).getSubjectX500Principal().getEncoded());

      assertEquals(expected, actual, subject);
    }
  }

  @Test
  void defaultConfEnablesEveryCertificate() throws Exception {
    String first = selfSigned(work, "/CN=First");
    String second = selfSigned(work, "/CN=Second");
    FileTree tree = treeWith(Map.of(
        "usr/share/ca-certificates/mozilla/b_Second.crt", second,
        "usr/share/ca-certificates/mozilla/A_First.crt", first,
        "usr/share/ca-certificates/mozilla/README", "not a certificate"));

    List<CaCertificates.EnabledCertificate> enabled =
        CaCertificates.apply(tree, TIME, BuildListener.NONE);

    assertEquals(CaCertificates.CONF_HEADER + "mozilla/A_First.crt\nmozilla/b_Second.crt\n",
        text(tree, "etc/ca-certificates.conf"));
    assertEquals(first + second, text(tree, "etc/ssl/certs/ca-certificates.crt"));
    assertEquals(0644, tree.get("etc/ssl/certs/ca-certificates.crt").orElseThrow().mode());
    assertEquals("/usr/share/ca-certificates/mozilla/A_First.crt",
        tree.get("etc/ssl/certs/A_First.pem").orElseThrow().linkTarget());
    assertEquals(List.of("A_First.pem", "b_Second.pem"),
        enabled.stream().map(CaCertificates.EnabledCertificate::pemName).toList());
  }

  @Test
  void confDisablesAndWarnsAboutMissing() throws Exception {
    String first = selfSigned(work, "/CN=First");
    String second = selfSigned(work, "/CN=Second");
    FileTree tree = treeWith(Map.of(
        "usr/share/ca-certificates/mozilla/First.crt", first.strip(),
        "usr/share/ca-certificates/mozilla/Second.crt", second,
        "etc/ca-certificates.conf",
        "# comment\n\n!mozilla/Second.crt\nmozilla/Gone.crt\nmozilla/First.crt\n"));
    List<String> warnings = new ArrayList<>();

    CaCertificates.apply(tree, TIME, new RecordingListener(warnings));

    assertEquals(first, text(tree, "etc/ssl/certs/ca-certificates.crt"),
        "a missing final newline is added");
    assertFalse(tree.get("etc/ssl/certs/Second.pem").isPresent());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("/usr/share/ca-certificates/mozilla/Gone.crt"));
  }

  @Test
  void sameSubjectHashCountsUp() throws Exception {
    String one = selfSigned(work, "/CN=Same Subject");
    String two = selfSigned(work, "/CN=same   subject");
    FileTree tree = treeWith(Map.of(
        "usr/share/ca-certificates/local/One.crt", one,
        "usr/share/ca-certificates/local/Two.crt", two,
        "usr/local/share/ca-certificates/Copy of one.crt", one));

    CaCertificates.apply(tree, TIME, BuildListener.NONE);

    String hash = OpenSslNameHash.hashHex(PemFile.parse(one.getBytes(StandardCharsets.US_ASCII), "one")
        .certificates().get(0).getSubjectX500Principal().getEncoded());
    assertEquals("Copy_of_one.pem", tree.get("etc/ssl/certs/" + hash + ".0").orElseThrow().linkTarget());
    assertEquals("Two.pem", tree.get("etc/ssl/certs/" + hash + ".1").orElseThrow().linkTarget());
    assertFalse(tree.get("etc/ssl/certs/" + hash + ".2").isPresent(), "One.pem duplicates Copy_of_one.pem");
  }

  @Test
  void pemNameReplacesCharacters() {
    assertEquals("NetLock_Arany_=Class_Gold=_x.pem", CaCertificates.pemName("NetLock Arany (Class Gold) x.crt"));
    assertEquals("a_b.pem", CaCertificates.pemName("a,b.crt"));
    assertEquals("plain.cert.pem", CaCertificates.pemName("plain.cert"));
  }

  @Test
  void invalidCertificateRejected() {
    FileTree tree = treeWith(Map.of("usr/share/ca-certificates/bad/Bad.crt",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> CaCertificates.apply(tree, TIME, BuildListener.NONE));

    assertTrue(e.getMessage().contains("/usr/share/ca-certificates/bad/Bad.crt"), e.getMessage());
  }

  /** Rebuilds this machine's /etc/ssl/certs from its certificate files and compares the result. */
  @Test
  void matchesHostUpdateCaCertificates() throws IOException {
    Path hostCerts = Path.of("/etc/ssl/certs");
    Path hostBundle = hostCerts.resolve("ca-certificates.crt");
    Path hostConf = Path.of("/etc/ca-certificates.conf");
    assumeTrue(Files.isRegularFile(hostBundle) && Files.isRegularFile(hostConf),
        "ca-certificates is not installed on this machine");
    FileTree tree = new FileTree(TIME);
    for (String dir : List.of("usr/share/ca-certificates", "usr/local/share/ca-certificates")) {
      copyHostFiles(tree, Path.of("/" + dir), dir);
    }
    String defaultConf = CaCertificates.defaultConf(tree);
    copyHostFile(tree, hostConf, "etc/ca-certificates.conf");

    CaCertificates.apply(tree, TIME, BuildListener.NONE);

    assertArrayEquals(Files.readAllBytes(hostBundle),
        tree.get("etc/ssl/certs/ca-certificates.crt").orElseThrow().content().readAllBytes());
    Map<String, String> hostLinks = new TreeMap<>();
    try (Stream<Path> files = Files.list(hostCerts)) {
      for (Path file : files.toList()) {
        String target = Files.isSymbolicLink(file) ? Files.readSymbolicLink(file).toString() : null;
        boolean fromPackage = target != null && (target.startsWith("/usr/") || !target.contains("/"));
        if (fromPackage) {
          hostLinks.put(file.getFileName().toString(), target);
        }
      }
    }
    Map<String, String> links = new TreeMap<>();
    for (FileEntry entry : tree.entries()) {
      // A name that the host has as a regular file was put there by hand, which replaced the
      // link that update-ca-certificates had made.
      boolean replacedOnHost = Files.isRegularFile(hostCerts.resolve(PathNames.fileName(entry.path())))
          && !Files.isSymbolicLink(hostCerts.resolve(PathNames.fileName(entry.path())));
      if (entry.path().startsWith("etc/ssl/certs/") && entry.type() == EntryType.SYMLINK
          && !replacedOnHost) {
        links.put(PathNames.fileName(entry.path()), entry.linkTarget());
      }
    }
    Map<String, String> missing = new TreeMap<>(hostLinks);
    missing.entrySet().removeAll(links.entrySet());
    Map<String, String> unexpected = new TreeMap<>(links);
    unexpected.entrySet().removeAll(hostLinks.entrySet());
    assertEquals(Map.of(), missing, "links the host has and the tree lacks");
    assertEquals(Map.of(), unexpected, "links the tree has and the host lacks");
    // The postinst writes the default configuration on a fresh install; later edits disable
    // certificates with '!' lines.
    assumeTrue(!Files.readString(hostConf).contains("\n!"),
        "the host configuration disables certificates");
    assertEquals(Files.readString(hostConf), defaultConf);
  }

  static void copyHostFiles(FileTree tree, Path hostDir, String treeDir) throws IOException {
    if (!Files.isDirectory(hostDir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(hostDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        copyHostFile(tree, file, treeDir + "/" + hostDir.relativize(file));
      }
    }
  }

  static void copyHostFile(FileTree tree, Path file, String path) throws IOException {
    tree.addGeneratedFile(path, Files.readAllBytes(file), 0644, 0, 0, TIME);
  }

  /** A listener that keeps warnings. */
  record RecordingListener(List<String> warnings) implements BuildListener {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {
      warnings.add(message);
    }

    @Override
    public void debug(String message) {}
  }
}
