package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that signatures made by GnuPG, an independent OpenPGP implementation, verify. */
class GpgInteropTest {

  private static final Path GPG = Path.of("/usr/bin/gpg");
  private static final String TEXT =
      "Origin: Gpg\nSuite: testing\n-dashed line\ntrailing blanks  \t\nDescription: signed by gpg\n";

  @TempDir static Path home;

  private static String primaryFingerprint;

  @BeforeAll
  static void generateKeys() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(GPG), "gpg is not installed");
    gpg("--quick-gen-key", "Gpg Test <gpg@example.org>", "ed25519", "cert", "never");
    primaryFingerprint = firstFingerprint();
    gpg("--quick-add-key", primaryFingerprint, "rsa2048", "sign", "never");
  }

  @AfterAll
  static void stopAgent() throws Exception {
    if (home != null && Files.isExecutable(Path.of("/usr/bin/gpgconf"))) {
      new ProcessBuilder("/usr/bin/gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void gpgClearsignedMessageVerifies() throws Exception {
    Path input = Files.writeString(home.resolve("Release"), TEXT);
    Path signed = home.resolve("InRelease");
    gpg("--digest-algo", "SHA512", "--clearsign", "--output", signed.toString(), input.toString());

    String text = SignatureVerifier.verifyClearsigned(
        Files.readAllBytes(signed), exportedKeyring(), signed.toString());

    assertEquals(TEXT.replace("blanks  \t\n", "blanks\n"), text);
  }

  @Test
  void gpgDetachedSignatureVerifies() throws Exception {
    Path input = Files.writeString(home.resolve("Release-detached"), TEXT);
    Path signature = home.resolve("Release-detached.gpg");
    gpg("--detach-sign", "--output", signature.toString(), input.toString());
    Path armored = home.resolve("Release-detached.asc");
    gpg("--armor", "--detach-sign", "--output", armored.toString(), input.toString());
    Keyring keyring = exportedKeyring();

    SignatureVerifier.verifyDetached(Files.readAllBytes(input), Files.readAllBytes(signature), keyring, "Release");
    SignatureVerifier.verifyDetached(Files.readAllBytes(input), Files.readAllBytes(armored), keyring, "Release");
    byte[] changed = (TEXT + "X: y\n").getBytes(StandardCharsets.UTF_8);
    assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyDetached(changed, Files.readAllBytes(signature), keyring, "Release"));
  }

  @Test
  void gpgArmoredExportLoads() throws Exception {
    Path armored = home.resolve("export.asc");
    gpg("--armor", "--export", "--output", armored.toString());

    assertEquals(List.of(primaryFingerprint), Keyring.load(armored).fingerprints());
  }

  private static Keyring exportedKeyring() throws Exception {
    Path exported = home.resolve("export.gpg");
    Files.deleteIfExists(exported);
    gpg("--export", "--output", exported.toString());
    Keyring keyring = Keyring.load(exported);
    assertEquals(List.of(primaryFingerprint), keyring.fingerprints());
    return keyring;
  }

  private static String firstFingerprint() throws Exception {
    String listing = gpg("--with-colons", "--list-keys");
    for (String line : listing.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new AssertionError("no fingerprint in gpg output:\n" + listing);
  }

  /** Runs gpg in the test's home directory without a passphrase and returns its standard output. */
  private static String gpg(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        GPG.toString(), "--homedir", home.toString(), "--batch", "--yes",
        "--pinentry-mode", "loopback", "--passphrase", ""));
    command.addAll(List.of(arguments));
    Path errors = home.resolve("gpg-errors.txt");
    Process process = new ProcessBuilder(command)
        .redirectError(errors.toFile())
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "gpg timed out: " + command);
    assertEquals(0, process.exitValue(), "gpg failed: " + command + "\n" + Files.readString(errors));
    return output;
  }
}
