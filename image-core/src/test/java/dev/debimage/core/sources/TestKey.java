package dev.debimage.core.sources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.util.encoders.Hex;

/** A generated OpenPGP key for tests: its public key ring and the private key that signs data. */
public final class TestKey {

  public final PGPPublicKeyRing publicRing;
  final PGPPrivateKey signingKey;
  final PGPPublicKey signingPublicKey;
  final byte[] secretRing;

  private TestKey(
      PGPPublicKeyRing publicRing, PGPPrivateKey signingKey, PGPPublicKey signingPublicKey, byte[] secretRing) {
    this.publicRing = publicRing;
    this.secretRing = secretRing;
    this.signingKey = signingKey;
    this.signingPublicKey = signingPublicKey;
  }

  /** Generates an RSA 2048 primary key, without passphrase, that certifies and signs. */
  public static TestKey generate(String userId) throws Exception {
    PGPKeyPair primary = rsaKeyPair();
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
    PGPKeyRingGenerator generator = ringGenerator(primary, userId, hashed);
    return new TestKey(
        generator.generatePublicKeyRing(), primary.getPrivateKey(), primary.getPublicKey(),
        generator.generateSecretKeyRing().getEncoded());
  }

  /**
   * Generates an RSA 2048 primary key that certifies and signs, created two days ago with a key
   * expiration time of one day, so it expired a day ago.
   */
  public static TestKey generateExpired(String userId) throws Exception {
    Date created = new Date(System.currentTimeMillis() - 2 * 86_400_000L);
    PGPKeyPair primary = rsaKeyPair(created);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
    hashed.setKeyExpirationTime(false, 86_400L);
    PGPKeyRingGenerator generator = ringGenerator(primary, userId, hashed);
    return new TestKey(
        generator.generatePublicKeyRing(), primary.getPrivateKey(), primary.getPublicKey(),
        generator.generateSecretKeyRing().getEncoded());
  }

  /**
   * Generates a certify-only primary key with an RSA signing subkey; {@code crossCertified} adds
   * the subkey's back-signature that GnuPG requires.
   */
  public static TestKey generateWithSigningSubkey(String userId, boolean crossCertified) throws Exception {
    PGPKeyPair primary = rsaKeyPair();
    PGPKeyPair subkey = rsaKeyPair();
    PGPSignatureSubpacketGenerator primaryHashed = new PGPSignatureSubpacketGenerator();
    primaryHashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER);
    PGPKeyRingGenerator generator = ringGenerator(primary, userId, primaryHashed);

    PGPSignatureSubpacketGenerator subkeyHashed = new PGPSignatureSubpacketGenerator();
    subkeyHashed.setKeyFlags(false, KeyFlags.SIGN_DATA);
    if (crossCertified) {
      PGPSignatureGenerator backSigner = signatureGenerator(subkey.getPublicKey(), HashAlgorithmTags.SHA256);
      backSigner.init(PGPSignature.PRIMARYKEY_BINDING, subkey.getPrivateKey());
      subkeyHashed.addEmbeddedSignature(
          false, backSigner.generateCertification(primary.getPublicKey(), subkey.getPublicKey()));
    }
    generator.addSubKey(subkey, subkeyHashed.generate(), null);
    PGPPublicKeyRing ring = generator.generatePublicKeyRing();
    return new TestKey(
        ring, subkey.getPrivateKey(), ring.getPublicKey(subkey.getKeyID()),
        generator.generateSecretKeyRing().getEncoded());
  }

  /** Returns this key with a key revocation signature on its primary key. */
  public TestKey revoked() throws PGPException {
    PGPPublicKey primary = publicRing.getPublicKey();
    PGPSignatureGenerator generator = signatureGenerator(primary, HashAlgorithmTags.SHA256);
    generator.init(PGPSignature.KEY_REVOCATION, signingKey);
    PGPPublicKey revokedPrimary =
        PGPPublicKey.addCertification(primary, generator.generateCertification(primary));
    PGPPublicKeyRing ring = PGPPublicKeyRing.insertPublicKey(publicRing, revokedPrimary);
    return new TestKey(ring, signingKey, revokedPrimary, secretRing);
  }

  /** Returns the primary key's fingerprint as upper-case hex. */
  public String fingerprint() {
    return Hex.toHexString(publicRing.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
  }

  /** Returns the signing key's fingerprint as upper-case hex. */
  public String signingFingerprint() {
    return Hex.toHexString(signingPublicKey.getFingerprint()).toUpperCase(Locale.ROOT);
  }

  public byte[] publicBinary() {
    try {
      return publicRing.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String publicArmored() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
      publicRing.encode(armor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** Signs {@code data} exactly as given, with the signature type and hash algorithm given. */
  public PGPSignature sign(byte[] data, int signatureType, int hashAlgorithm) throws PGPException {
    return sign(data, signatureType, hashAlgorithm, 0);
  }

  /** Signs {@code data} with a signature that expires {@code validSeconds} after now (0: never). */
  public PGPSignature sign(byte[] data, int signatureType, int hashAlgorithm, long validSeconds) throws PGPException {
    PGPSignatureGenerator generator = signatureGenerator(signingPublicKey, hashAlgorithm);
    generator.init(signatureType, signingKey);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setSignatureCreationTime(false, new Date());
    hashed.setIssuerFingerprint(false, signingPublicKey);
    if (validSeconds > 0) {
      hashed.setSignatureExpirationTime(false, validSeconds);
    }
    generator.setHashedSubpackets(hashed.generate());
    PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
    unhashed.setIssuerKeyID(false, signingPublicKey.getKeyID());
    generator.setUnhashedSubpackets(unhashed.generate());
    generator.update(data);
    return generator.generate();
  }

  /** Clear-signs {@code text} with SHA-256 and the {@code Hash: SHA256} header. */
  public byte[] clearsign(String text) throws PGPException {
    return Clearsign.message("SHA256", text, List.of(sign(Clearsign.canonical(text),
        PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256)));
  }

  private static PGPKeyPair rsaKeyPair() throws NoSuchAlgorithmException, PGPException {
    return rsaKeyPair(new Date());
  }

  private static PGPKeyPair rsaKeyPair(Date created) throws NoSuchAlgorithmException, PGPException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), created);
  }

  private static PGPKeyRingGenerator ringGenerator(
      PGPKeyPair primary, String userId, PGPSignatureSubpacketGenerator hashed) throws PGPException {
    PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
    return new PGPKeyRingGenerator(
        PGPSignature.POSITIVE_CERTIFICATION,
        primary,
        userId,
        sha1,
        hashed.generate(),
        null,
        new JcaPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
        null);
  }

  private static PGPSignatureGenerator signatureGenerator(PGPPublicKey key, int hashAlgorithm) {
    return new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(key.getAlgorithm(), hashAlgorithm), key);
  }
}
