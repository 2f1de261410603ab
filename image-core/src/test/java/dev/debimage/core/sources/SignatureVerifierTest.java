package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

  private static final String LOCATION = "http://127.0.0.1:8080/debian/dists/testing/InRelease";
  private static final String TEXT =
      "Origin: Test\nSuite: testing\nCodename: trixie\nDescription: signed text\n";

  private static TestKey trusted;
  private static TestKey unknown;
  private static TestKey revoked;
  private static TestKey subkeySigner;
  private static TestKey subkeyWithoutBackSignature;
  private static Keyring keyring;

  @BeforeAll
  static void generateKeys() throws Exception {
    trusted = TestKey.generate("Trusted <trusted@example.org>");
    unknown = TestKey.generate("Unknown <unknown@example.org>");
    revoked = TestKey.generate("Revoked <revoked@example.org>").revoked();
    subkeySigner = TestKey.generateWithSigningSubkey("Subkey <subkey@example.org>", true);
    subkeyWithoutBackSignature = TestKey.generateWithSigningSubkey("No back-signature <nb@example.org>", false);
    ByteArrayOutputStream ring = new ByteArrayOutputStream();
    for (TestKey key : List.of(trusted, revoked, subkeySigner, subkeyWithoutBackSignature)) {
      ring.write(key.publicBinary());
    }
    keyring = Keyring.parse(ring.toByteArray(), "test keyring");
  }

  @Test
  void clearsignedGoodSignatureReturnsText() throws Exception {
    String text = SignatureVerifier.verifyClearsigned(trusted.clearsign(TEXT), keyring, LOCATION);

    assertEquals(TEXT, text);
  }

  @Test
  void clearsignedUndoesDashEscapingAndTrailingBlanks() throws Exception {
    String signed = "Origin: Test\n-dash line\n--- more\ntrailing  \t\nlast\n";
    byte[] message = trusted.clearsign(signed);
    assertTrue(new String(message, StandardCharsets.UTF_8).contains("\n- -dash line\n"));

    String text = SignatureVerifier.verifyClearsigned(message, keyring, LOCATION);

    assertEquals("Origin: Test\n-dash line\n--- more\ntrailing\nlast\n", text);
  }

  @Test
  void clearsignedAcceptsCrLfLineEndings() throws Exception {
    String crlf = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8).replace("\n", "\r\n");

    String text = SignatureVerifier.verifyClearsigned(crlf.getBytes(StandardCharsets.UTF_8), keyring, LOCATION);

    assertEquals(TEXT, text);
  }

  @Test
  void clearsignedAcceptsUnknownPlusGoodSignature() throws Exception {
    byte[] canonical = Clearsign.canonical(TEXT);
    PGPSignature fromUnknown = unknown.sign(canonical, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);
    PGPSignature fromTrusted = trusted.sign(canonical, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);
    byte[] message = Clearsign.message("SHA256", TEXT, List.of(fromUnknown, fromTrusted));

    assertEquals(TEXT, SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));
  }

  @Test
  void clearsignedAcceptsCrossCertifiedSubkey() throws Exception {
    assertEquals(TEXT, SignatureVerifier.verifyClearsigned(subkeySigner.clearsign(TEXT), keyring, LOCATION));
  }

  @Test
  void clearsignedRejectsSubkeyWithoutBackSignature() throws Exception {
    byte[] message = subkeyWithoutBackSignature.clearsign(TEXT);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("not cross-certified"), e.getMessage());
    assertTrue(e.getMessage().contains(subkeyWithoutBackSignature.signingFingerprint()), e.getMessage());
  }

  @Test
  void clearsignedRejectsRevokedKey() throws Exception {
    byte[] message = revoked.clearsign(TEXT);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    assertTrue(e.getMessage().contains(revoked.fingerprint()), e.getMessage());
  }

  @Test
  void clearsignedRejectsUnknownKey() throws Exception {
    byte[] message = unknown.clearsign(TEXT);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains(unknown.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains("test keyring"), e.getMessage());
    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
    assertTrue(e.getMessage().contains("suite testing"), e.getMessage());
  }

  @Test
  void clearsignedRejectsChangedText() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8);
    String changed = message.replace("Suite: testing", "Suite: testinG");

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(changed.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().startsWith("bad signature"), e.getMessage());
    assertTrue(e.getMessage().contains(trusted.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
  }

  @Test
  void clearsignedRejectsBadSignatureBesideGoodOne() throws Exception {
    byte[] canonical = Clearsign.canonical(TEXT);
    PGPSignature good = trusted.sign(canonical, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);
    PGPSignature overOtherText = subkeySigner.sign(
        Clearsign.canonical("Origin: Other\n"), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);
    byte[] message = Clearsign.message("SHA256", TEXT, List.of(good, overOtherText));

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains(subkeySigner.signingFingerprint()), e.getMessage());
  }

  @Test
  void clearsignedRejectsPlainText() {
    byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(plain, keyring, LOCATION));

    assertTrue(e.getMessage().startsWith("missing signature"), e.getMessage());
    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
  }

  @Test
  void clearsignedRejectsMissingSignatureBlock() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8);
    String truncated = message.substring(0, message.indexOf("-----BEGIN PGP SIGNATURE-----"));

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(truncated.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().startsWith("missing signature"), e.getMessage());
  }

  @Test
  void clearsignedRejectsEmptySignatureBlock() {
    String message = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + TEXT
        + "-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n";

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void clearsignedRejectsTextBeforeMessage() throws Exception {
    String message = "Origin: Forged\n\n" + new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8);

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().contains("line 1 comes before"), e.getMessage());
  }

  @Test
  void clearsignedAcceptsWhitespaceAroundMessage() throws Exception {
    String message = "\n  \n" + new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8) + "\n\t\n";

    assertEquals(TEXT, SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));
  }

  @Test
  void clearsignedRejectsTextAfterSignature() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8) + "Origin: Forged\n";

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().contains("comes after the signature"), e.getMessage());
  }

  @Test
  void clearsignedRejectsSeveralSignedBlocks() throws Exception {
    String first = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8);
    String second = new String(trusted.clearsign("Origin: Second\n"), StandardCharsets.UTF_8);
    byte[] message = (first + second).getBytes(StandardCharsets.UTF_8);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("another signed block"), e.getMessage());
  }

  @Test
  void clearsignedRejectsHashHeaderMismatch() throws Exception {
    PGPSignature signature = trusted.sign(
        Clearsign.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);
    byte[] message = Clearsign.message("SHA512", TEXT, List.of(signature));

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("Hash header names SHA512"), e.getMessage());
    assertTrue(e.getMessage().contains("uses SHA256"), e.getMessage());
  }

  @Test
  void clearsignedAcceptsHashHeaderList() throws Exception {
    PGPSignature signature = trusted.sign(
        Clearsign.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA512);
    byte[] message = Clearsign.message("SHA256, SHA512", TEXT, List.of(signature));

    assertEquals(TEXT, SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));
  }

  @Test
  void clearsignedRejectsOtherArmorHeader() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8)
        .replace("Hash: SHA256\n", "Hash: SHA256\nComment: unsigned\n");

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().contains("Comment: unsigned"), e.getMessage());
  }

  @Test
  void clearsignedRejectsUnescapedDashLine() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8)
        .replace("Origin: Test\n", "Origin: Test\n-----BEGIN PGP SIGNATURE-----x\n");

    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));

    assertTrue(e.getMessage().contains("not dash-escaped"), e.getMessage());
  }

  @Test
  void clearsignedRejectsBinaryDocumentSignature() throws Exception {
    PGPSignature binary = trusted.sign(Clearsign.canonical(TEXT), PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256);
    byte[] message = Clearsign.message("SHA256", TEXT, List.of(binary));

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("signature type 0x00"), e.getMessage());
  }

  @Test
  void clearsignedRejectsSha1Signature() throws Exception {
    PGPSignature sha1 = trusted.sign(Clearsign.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA1);
    byte[] message = Clearsign.message("SHA1", TEXT, List.of(sha1));

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION));

    assertTrue(e.getMessage().contains("weak hash SHA1"), e.getMessage());
  }

  @Test
  void clearsignedRejectsDamagedArmor() throws Exception {
    String message = new String(trusted.clearsign(TEXT), StandardCharsets.UTF_8);
    int body = message.indexOf("-----BEGIN PGP SIGNATURE-----");
    int dataLine = message.indexOf("\n\n", body) + 2;
    char replaced = message.charAt(dataLine + 10) == 'A' ? 'B' : 'A';
    String damaged = message.substring(0, dataLine + 10) + replaced + message.substring(dataLine + 11);

    assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(damaged.getBytes(StandardCharsets.UTF_8), keyring, LOCATION));
  }

  @Test
  void detachedBinarySignatureVerifies() throws Exception {
    byte[] release = TEXT.getBytes(StandardCharsets.UTF_8);
    PGPSignature signature = trusted.sign(release, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256);

    SignatureVerifier.verifyDetached(release, Clearsign.encode(List.of(signature), false), keyring, LOCATION);
    SignatureVerifier.verifyDetached(release, Clearsign.encode(List.of(signature), true), keyring, LOCATION);
  }

  @Test
  void detachedTextSignatureCoversCrLfForm() throws Exception {
    byte[] release = TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] crlf = TEXT.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    PGPSignature signature = trusted.sign(crlf, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256);

    SignatureVerifier.verifyDetached(release, Clearsign.encode(List.of(signature), false), keyring, LOCATION);
  }

  @Test
  void detachedRejectsChangedData() throws Exception {
    byte[] release = TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] signature = Clearsign.encode(
        List.of(trusted.sign(release, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256)), false);
    byte[] changed = (TEXT + "Extra: field\n").getBytes(StandardCharsets.UTF_8);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyDetached(changed, signature, keyring, LOCATION));

    assertTrue(e.getMessage().startsWith("bad signature"), e.getMessage());
  }

  @Test
  void detachedRejectsUnknownKey() throws Exception {
    byte[] release = TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] signature = Clearsign.encode(
        List.of(unknown.sign(release, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256)), false);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyDetached(release, signature, keyring, LOCATION));

    assertTrue(e.getMessage().contains(unknown.fingerprint()), e.getMessage());
  }

  @Test
  void detachedRejectsGarbage() {
    byte[] release = TEXT.getBytes(StandardCharsets.UTF_8);
    byte[] garbage = "not a signature".getBytes(StandardCharsets.UTF_8);

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyDetached(release, garbage, keyring, LOCATION));

    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
  }

  @Test
  void expiredSignatureIsRejected() throws Exception {
    PGPSignature expiring = trusted.sign(
        Clearsign.canonical(TEXT), PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256, 3600);
    byte[] message = Clearsign.message("SHA256", TEXT, List.of(expiring));
    Instant twoHoursLater = Instant.now().plusSeconds(7200);

    assertEquals(TEXT, SignatureVerifier.verifyClearsigned(message, keyring, LOCATION, Instant.now()));
    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> SignatureVerifier.verifyClearsigned(message, keyring, LOCATION, twoHoursLater));
    assertTrue(e.getMessage().contains("signature expired"), e.getMessage());
  }

  @Test
  void suiteNoteNamesSuiteFromUrl() {
    assertEquals(" (suite testing)", SignatureVerifier.suiteNote(LOCATION));
    assertEquals(" (suite bookworm/updates)",
        SignatureVerifier.suiteNote("http://127.0.0.1/debian-security/dists/bookworm/updates/Release.gpg"));
    assertEquals("", SignatureVerifier.suiteNote("/tmp/InRelease"));
  }
}
