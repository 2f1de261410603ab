package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks that text signatures, whose data {@link SignatureVerifier} converts to CR LF line endings
 * itself, verify exactly when BouncyCastle's own conversion at signing time expects them to.
 */
class TextSignatureTest {

  private static final String LOCATION = "http://127.0.0.1/debian/dists/stable/Release.gpg";

  /** Texts with every kind and position of line ending. */
  private static final List<String> TEXTS = List.of(
      "Origin: Debian\nSuite: stable\n",
      "\nstarts with LF",
      "\rstarts with CR",
      "ends with CR\r",
      "CR\rCR LF\r\nLF\nCR CR LF\r\r\nLF CR\n\rLF LF\n\n",
      "no line ending",
      "");

  private static TestKey key;
  private static Keyring keyring;

  @BeforeAll
  static void generateKey() throws Exception {
    key = TestKey.generate("Text <text@example.org>");
    keyring = Keyring.parse(key.publicBinary(), "test keyring");
  }

  @Test
  void canonicalLineEndingsUseCrLf() {
    assertEquals("a\r\nb\r\nc\r\n\r\nd\r\n", canonical("a\rb\r\nc\n\nd\r"));
    assertEquals("\r\n\r\n", canonical("\r\n\n"));
    assertEquals("\r\n\r\n", canonical("\r\r\n"));
    assertEquals("x", canonical("x"));
    assertEquals("", canonical(""));
  }

  @Test
  void textSignatureVerifiesEveryLineEnding() throws Exception {
    for (String text : TEXTS) {
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      byte[] signature = Clearsign.encode(
          List.of(key.sign(data, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256)), false);

      SignatureVerifier.verifyDetached(data, signature, keyring, LOCATION);
      byte[] otherEndings = text.replace("\r\n", "\n").replace('\r', '\n').getBytes(StandardCharsets.UTF_8);
      SignatureVerifier.verifyDetached(otherEndings, signature, keyring, LOCATION);
    }
  }

  @Test
  void textSignatureRejectsChangedLines() throws Exception {
    byte[] data = TEXTS.get(4).getBytes(StandardCharsets.UTF_8);
    byte[] signature = Clearsign.encode(
        List.of(key.sign(data, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256)), false);
    byte[] joined = TEXTS.get(4).replace("\r\r\n", "\r").getBytes(StandardCharsets.UTF_8);

    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> SignatureVerifier.verifyDetached(joined, signature, keyring, LOCATION));

    assertEquals(true, error.getMessage().startsWith("bad signature on " + LOCATION), error.getMessage());
  }

  private static String canonical(String text) {
    byte[] data = text.getBytes(StandardCharsets.US_ASCII);
    return new String(SignatureVerifier.canonicalLineEndings(data), StandardCharsets.US_ASCII);
  }
}
