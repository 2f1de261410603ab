package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the bundled Ubuntu archive keys against noble's real InRelease file, kept as a test resource. */
class UbuntuInReleaseTest {

  private static final String NOBLE = "noble-InRelease";

  @TempDir Path dir;

  @Test
  void nobleVerifiesWithBundledUbuntuKeys() throws Exception {
    String text = SignatureVerifier.verifyClearsigned(resource(NOBLE), Keyring.bundledUbuntu(), NOBLE);

    ReleaseFile release = ReleaseFile.parse(text, NOBLE);
    assertEquals("Ubuntu", release.origin().orElseThrow());
    release.checkSuite("noble", NOBLE);
    assertEquals(Instant.parse("2024-04-25T15:10:33Z"), release.date().orElseThrow());
    assertTrue(release.components().contains("main"), release.components().toString());
    assertTrue(release.sha256("main/binary-amd64/Packages.xz").isPresent(), NOBLE);
  }

  @Test
  void nobleVerifiesWithDefaultBundledKeys() throws Exception {
    String text = SignatureVerifier.verifyClearsigned(resource(NOBLE), Keyring.bundled(), NOBLE);

    assertTrue(text.startsWith("Origin: Ubuntu\n"), text.substring(0, 40));
  }

  @Test
  void nobleIsRejectedByDebianKeys() throws Exception {
    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(resource(NOBLE), Keyring.bundledDebian(), NOBLE));

    assertTrue(e.getMessage().startsWith("unknown signing key"), e.getMessage());
    // The key ID of the Ubuntu Archive Automatic Signing Key (2018).
    assertTrue(e.getMessage().contains("871920D1991BC93C"), e.getMessage());
  }

  @Test
  void nobleWithOtherCodenameIsRejected() throws Exception {
    String text = SignatureVerifier.verifyClearsigned(resource(NOBLE), Keyring.bundledUbuntu(), NOBLE);
    ReleaseFile release = ReleaseFile.parse(text, NOBLE);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> release.checkSuite("jammy", NOBLE));

    assertTrue(e.getMessage().contains("jammy"), e.getMessage());
  }

  @Test
  void nobleWithChangedByteIsRejected() throws Exception {
    byte[] changed = resource(NOBLE);
    int codename = new String(changed, StandardCharsets.ISO_8859_1).indexOf("Codename: noble") + 10;
    changed[codename] = 'm';

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(changed, Keyring.bundledUbuntu(), NOBLE));

    assertTrue(e.getMessage().startsWith("bad signature"), e.getMessage());
  }

  @Test
  void signedTextMatchesGpgv() throws Exception {
    Path gpgv = Path.of("/usr/bin/gpgv");
    Assumptions.assumeTrue(Files.isExecutable(gpgv), "gpgv is not installed at " + gpgv);
    Path inRelease = Files.write(dir.resolve(NOBLE), resource(NOBLE));
    Path keyring = Files.write(dir.resolve("ubuntu-archive-keyring.gpg"), bundledResource("ubuntu-archive-keyring.gpg"));
    Path output = dir.resolve("Release");

    Process process = new ProcessBuilder(
            gpgv.toString(), "--keyring", keyring.toString(), "--output", output.toString(), inRelease.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gpgv timed out");
    assertEquals(0, process.exitValue(), "gpgv rejects " + NOBLE + " with the bundled Ubuntu keyring");

    String text = SignatureVerifier.verifyClearsigned(resource(NOBLE), Keyring.bundledUbuntu(), NOBLE);
    assertEquals(Files.readString(output, StandardCharsets.UTF_8), text);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = UbuntuInReleaseTest.class.getResourceAsStream(name)) {
      assertNotNull(in, "test resource " + name + " is missing");
      return in.readAllBytes();
    }
  }

  private static byte[] bundledResource(String name) throws IOException {
    try (InputStream in = Keyring.class.getResourceAsStream(name)) {
      assertNotNull(in, "resource " + name + " is missing beside Keyring");
      return in.readAllBytes();
    }
  }
}
