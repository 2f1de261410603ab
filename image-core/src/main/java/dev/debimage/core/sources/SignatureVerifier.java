package dev.debimage.core.sources;

import dev.debimage.core.ImageBuildException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.util.encoders.Hex;

/**
 * Verifies the OpenPGP signatures of Release files: the clearsigned {@code InRelease} and the
 * detached {@code Release.gpg}.
 *
 * <p>A file is accepted when at least one signature verifies with a usable key of the keyring.
 * Signatures from keys that the keyring lacks are ignored, because Debian signs each Release file
 * with several keys. A signature that fails to verify with a key of the keyring rejects the file,
 * as apt does, because it means the file was changed after signing.
 */
public final class SignatureVerifier {

  private static final ContentVerifiers VERIFIERS = new ContentVerifiers();

  /** Hash algorithms that apt no longer accepts for Release file signatures. */
  private static final Set<Integer> WEAK_HASHES =
      Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.RIPEMD160);

  private static final Pattern SUITE_IN_URL =
      Pattern.compile("/dists/(.+?)/(?:InRelease|Release|Release\\.gpg)$");

  private SignatureVerifier() {}

  /**
   * Verifies a clearsigned message, such as an {@code InRelease} file, and returns only the
   * signed text: dash escaping removed, trailing spaces and tabs removed, each line ended by LF.
   * {@code location} (the URL) is named in every error.
   *
   * @throws ImageBuildException when the message is malformed, has text outside the signed block,
   *     has no signature that verifies with a usable key of {@code keyring}, has a signature that
   *     fails to verify, or declares a {@code Hash} that a signature does not use
   */
  public static String verifyClearsigned(byte[] inRelease, Keyring keyring, String location) {
    return verifyClearsigned(inRelease, keyring, location, Instant.now(), ExpiredKeys.REJECT);
  }

  /**
   * Verifies a clearsigned message as {@link #verifyClearsigned(byte[], Keyring, String)} does,
   * but with {@code expiredKeys} deciding about expired keys.
   */
  public static String verifyClearsigned(
      byte[] inRelease, Keyring keyring, String location, ExpiredKeys expiredKeys) {
    return verifyClearsigned(inRelease, keyring, location, Instant.now(), expiredKeys);
  }

  static String verifyClearsigned(byte[] inRelease, Keyring keyring, String location, Instant now) {
    return verifyClearsigned(inRelease, keyring, location, now, ExpiredKeys.REJECT);
  }

  static String verifyClearsigned(
      byte[] inRelease, Keyring keyring, String location, Instant now, ExpiredKeys expiredKeys) {
    ClearsignedMessage message = ClearsignedMessage.parse(inRelease, location);
    List<PGPSignature> signatures;
    try (InputStream armor = new ArmoredInputStream(new ByteArrayInputStream(message.signatureBlock()))) {
      signatures = readSignatures(armor, location);
    } catch (IOException e) {
      throw invalidSignatureBlock(location, e);
    }
    for (PGPSignature signature : signatures) {
      String hashName = hashName(signature.getHashAlgorithm());
      if (!message.hashNames().isEmpty() && !message.hashNames().contains(hashName)) {
        throw new ImageBuildException(
            "invalid signed file " + location + suiteNote(location) + ": the Hash header names "
                + String.join(", ", message.hashNames()) + " but the signature by key "
                + issuerName(signature) + " uses " + hashName
                + "; the file was changed or is not what the archive publishes");
      }
    }
    check(signatures, message.signedBytes(), true, keyring, location, now, expiredKeys);
    return message.text();
  }

  /**
   * Returns the signed text of a clearsigned message without checking its signatures, for a
   * source that the user marked as trusted. The message must still be well formed.
   *
   * @throws ImageBuildException when the message is malformed
   */
  public static String unverifiedClearsignedText(byte[] inRelease, String location) {
    return ClearsignedMessage.parse(inRelease, location).text();
  }

  /**
   * Verifies a detached signature, binary or ASCII-armored, such as {@code Release.gpg} over
   * {@code Release}.
   *
   * @throws ImageBuildException when the signature is malformed, fails to verify, or no signature
   *     verifies with a usable key of {@code keyring}
   */
  public static void verifyDetached(byte[] data, byte[] signature, Keyring keyring, String location) {
    verifyDetached(data, signature, keyring, location, Instant.now(), ExpiredKeys.REJECT);
  }

  /**
   * Verifies a detached signature as {@link #verifyDetached(byte[], byte[], Keyring, String)}
   * does, but with {@code expiredKeys} deciding about expired keys.
   */
  public static void verifyDetached(
      byte[] data, byte[] signature, Keyring keyring, String location, ExpiredKeys expiredKeys) {
    verifyDetached(data, signature, keyring, location, Instant.now(), expiredKeys);
  }

  static void verifyDetached(byte[] data, byte[] signature, Keyring keyring, String location, Instant now) {
    verifyDetached(data, signature, keyring, location, now, ExpiredKeys.REJECT);
  }

  static void verifyDetached(
      byte[] data, byte[] signature, Keyring keyring, String location, Instant now, ExpiredKeys expiredKeys) {
    List<PGPSignature> signatures;
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
      signatures = readSignatures(in, location);
    } catch (IOException e) {
      throw invalidSignatureBlock(location, e);
    }
    check(signatures, data, false, keyring, location, now, expiredKeys);
  }

  /** Checks the signatures over {@code data} and throws unless the file is accepted. */
  private static void check(
      List<PGPSignature> signatures, byte[] data, boolean clearsigned, Keyring keyring, String location,
      Instant now, ExpiredKeys expiredKeys) {
    if (signatures.isEmpty()) {
      throw new ImageBuildException(
          "missing signature for " + location + suiteNote(location)
              + ": the signature block contains no signature; fetch the file again");
    }
    List<String> unknownKeys = new ArrayList<>();
    List<String> unusable = new ArrayList<>();
    boolean good = false;
    for (PGPSignature signature : signatures) {
      String keyName = issuerName(signature);
      Optional<PGPPublicKeyRing> ring = keyring.findRing(issuerKeyId(signature));
      if (ring.isEmpty()) {
        unknownKeys.add(keyName);
        continue;
      }
      PGPPublicKey key = ring.get().getPublicKey(issuerKeyId(signature));
      keyName = describeKey(ring.get(), key);
      ContentVerifiers.Capturing verifiers = VERIFIERS.capturing();
      try {
        signature.init(verifiers, key);
      } catch (PGPException | RuntimeException e) {
        unusable.add(keyName + ": its algorithm is not supported (" + e.getMessage() + ")");
        continue;
      }
      if (!verifies(signature, verifiers.built(), data)) {
        throw new ImageBuildException(
            "bad signature on " + location + suiteNote(location) + " by key " + keyName
                + " from " + keyring.description() + ": the file was changed after signing;"
                + " check the mirror and any proxy between it and this machine");
      }
      Optional<String> problem = signatureProblem(signature, clearsigned, now);
      if (problem.isEmpty()) {
        problem = SigningKeyCheck.problem(ring.get(), key, now, VERIFIERS);
        if (problem.isPresent() && expiredKeys.allowed() && onlyExpired(ring.get(), key, now)) {
          expiredKeys.warning().accept(
              "Accepting the signature on " + location + " by key " + keyName + " although its "
                  + problem.get() + ", because the source allows expired keys");
          problem = Optional.empty();
        }
      }
      if (problem.isPresent()) {
        unusable.add(keyName + ": " + problem.get());
      } else {
        good = true;
      }
    }
    if (good) {
      return;
    }
    if (!unusable.isEmpty()) {
      throw new ImageBuildException(
          "no usable signature on " + location + suiteNote(location) + ": " + String.join("; ", unusable)
              + ". Update the keyring (" + keyring.description() + ") to the archive's current keys");
    }
    throw new ImageBuildException(
        "unknown signing key for " + location + suiteNote(location) + ": signed by "
            + String.join(", ", unknownKeys) + ", none of them in " + keyring.description()
            + ". Name the archive's keyring in Signed-By of the source, or update the keyring");
  }

  /** Returns whether expiry is all that keeps {@code key} from signing: it is not revoked. */
  private static boolean onlyExpired(PGPPublicKeyRing ring, PGPPublicKey key, Instant now) {
    return SigningKeyCheck.problem(ring, key, now, VERIFIERS, true).isEmpty();
  }

  /**
   * How to treat a signature by a key that has expired and is not revoked: rejected, or accepted
   * with a warning sent to {@code warning}.
   */
  public record ExpiredKeys(boolean allowed, java.util.function.Consumer<String> warning) {

    /** Rejects signatures by expired keys. */
    public static final ExpiredKeys REJECT = new ExpiredKeys(false, message -> {});

    /** Accepts signatures by expired keys that are not revoked, reporting each to {@code warning}. */
    public static ExpiredKeys allow(java.util.function.Consumer<String> warning) {
      return new ExpiredKeys(true, warning);
    }
  }

  /**
   * Checks a signature that was initialized with its key against {@code data}. A text signature,
   * as on a clearsigned message, covers the data with every line ending turned into CR LF.
   * {@code PGPSignature.update} makes that conversion one byte and five calls at a time, which the
   * JIT compilers of a fresh JVM spent about 0.3 s compiling for bookworm's InRelease file. So the
   * data is converted here and written in one piece to the signature's verifier, which is where
   * {@code update} writes too.
   */
  private static boolean verifies(PGPSignature signature, PGPContentVerifier verifier, byte[] data) {
    try {
      if (signature.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT) {
        verifier.getOutputStream().write(canonicalLineEndings(data));
      } else {
        signature.update(data);
      }
      return signature.verify();
    } catch (IOException | PGPException | RuntimeException e) {
      return false;
    }
  }

  /** Returns why a signature that verified still does not count, or empty when it counts. */
  private static Optional<String> signatureProblem(PGPSignature signature, boolean clearsigned, Instant now) {
    int type = signature.getSignatureType();
    boolean typeFits =
        clearsigned
            ? type == PGPSignature.CANONICAL_TEXT_DOCUMENT
            : type == PGPSignature.BINARY_DOCUMENT || type == PGPSignature.CANONICAL_TEXT_DOCUMENT;
    if (!typeFits) {
      return Optional.of(String.format(Locale.ROOT, "signature type 0x%02x does not sign a document", type));
    }
    if (WEAK_HASHES.contains(signature.getHashAlgorithm())) {
      return Optional.of("the signature uses the weak hash " + hashName(signature.getHashAlgorithm()));
    }
    if (signature.getHashedSubPackets() != null) {
      long validSeconds = signature.getHashedSubPackets().getSignatureExpirationTime();
      Instant expiry = signature.getCreationTime().toInstant().plusSeconds(validSeconds);
      if (validSeconds > 0 && !expiry.isAfter(now)) {
        return Optional.of("the signature expired on " + expiry);
      }
    }
    return Optional.empty();
  }

  private static List<PGPSignature> readSignatures(InputStream in, String location) {
    List<PGPSignature> signatures = new ArrayList<>();
    try {
      JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
      Object object;
      while ((object = factory.nextObject()) != null) {
        if (object instanceof PGPSignatureList) {
          for (Iterator<PGPSignature> it = ((PGPSignatureList) object).iterator(); it.hasNext(); ) {
            signatures.add(it.next());
          }
        } else if (!(object instanceof PGPMarker)) {
          throw new ImageBuildException(
              "invalid signature block in " + location + suiteNote(location) + ": it contains "
                  + object.getClass().getSimpleName() + " where only signatures belong;"
                  + " the file is not what the archive publishes");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageBuildException) {
        throw (ImageBuildException) e;
      }
      throw invalidSignatureBlock(location, e);
    }
    return signatures;
  }

  private static ImageBuildException invalidSignatureBlock(String location, Exception cause) {
    return new ImageBuildException(
        "invalid signature block in " + location + suiteNote(location) + ": " + cause.getMessage()
            + "; the download may be damaged, fetch the file again",
        cause);
  }

  /** Returns the issuer key ID, taken from the issuer fingerprint when the key ID subpacket is absent. */
  private static long issuerKeyId(PGPSignature signature) {
    if (signature.getKeyID() != 0) {
      return signature.getKeyID();
    }
    IssuerFingerprint fingerprint = issuerFingerprint(signature);
    return fingerprint == null ? 0 : fingerprint.getKeyID();
  }

  private static IssuerFingerprint issuerFingerprint(PGPSignature signature) {
    IssuerFingerprint fingerprint = null;
    if (signature.getHashedSubPackets() != null) {
      fingerprint = signature.getHashedSubPackets().getIssuerFingerprint();
    }
    if (fingerprint == null && signature.getUnhashedSubPackets() != null) {
      fingerprint = signature.getUnhashedSubPackets().getIssuerFingerprint();
    }
    return fingerprint;
  }

  /** Names the signing key by fingerprint when the signature carries it, else by key ID. */
  private static String issuerName(PGPSignature signature) {
    IssuerFingerprint fingerprint = issuerFingerprint(signature);
    if (fingerprint != null) {
      return Hex.toHexString(fingerprint.getFingerprint()).toUpperCase(Locale.ROOT);
    }
    return String.format(Locale.ROOT, "%016X", issuerKeyId(signature));
  }

  private static String describeKey(PGPPublicKeyRing ring, PGPPublicKey key) {
    PGPPublicKey primary = ring.getPublicKey();
    StringBuilder name = new StringBuilder(Keyring.fingerprint(key));
    if (key.getKeyID() != primary.getKeyID()) {
      name.append(" (subkey of ").append(Keyring.fingerprint(primary)).append(')');
    }
    Iterator<String> userIds = primary.getUserIDs();
    if (userIds.hasNext()) {
      name.append(" \"").append(userIds.next()).append('"');
    }
    return name.toString();
  }

  private static String hashName(int algorithm) {
    try {
      return PGPUtil.getDigestName(algorithm);
    } catch (PGPException e) {
      return "hash algorithm " + algorithm;
    }
  }

  /** Returns " (suite NAME)" when the location is a URL under {@code dists/NAME/}, else "". */
  static String suiteNote(String location) {
    Matcher matcher = SUITE_IN_URL.matcher(location);
    return matcher.find() ? " (suite " + matcher.group(1) + ")" : "";
  }

  /** Returns {@code data} with each CR, LF and CR LF turned into CR LF, as OpenPGP text signatures hash it. */
  static byte[] canonicalLineEndings(byte[] data) {
    int extra = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
        extra++;
      } else if (data[i] == '\r' && (i + 1 == data.length || data[i + 1] != '\n')) {
        extra++;
      }
    }
    byte[] canonical = new byte[data.length + extra];
    int out = 0;
    for (int i = 0; i < data.length; i++) {
      byte b = data[i];
      if (b == '\n' && (i == 0 || data[i - 1] != '\r')) {
        canonical[out++] = '\r';
      }
      canonical[out++] = b;
      if (b == '\r' && (i + 1 == data.length || data[i + 1] != '\n')) {
        canonical[out++] = '\n';
      }
    }
    return canonical;
  }

}
