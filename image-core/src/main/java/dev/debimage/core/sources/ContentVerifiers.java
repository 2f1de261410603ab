package dev.debimage.core.sources;

import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Builds the verifiers of OpenPGP signatures: with the JDK's own providers for RSA signatures over
 * the hashes that the JDK implements, and with BouncyCastle's provider for everything else.
 *
 * <p>Debian and Ubuntu sign with RSA keys. BouncyCastle's provider (1.80) runs probabilistic
 * primality tests on every RSA modulus it converts into a key, which took about a third of a
 * second of CPU time per index load in a fresh JVM, and creating the provider loads many classes.
 * The JDK's RSA provider checks the key's size but runs no such tests. Both verify PKCS #1 v1.5
 * signatures alike. BouncyCastle's provider is created only when a key needs it, such as an
 * Ed25519 key or an ECDSA key on a Brainpool curve.
 */
final class ContentVerifiers implements PGPContentVerifierBuilderProvider {

  /** Hashes for which the JDK's SunRsaSign provider has an RSA signature algorithm. */
  private static final Set<Integer> JDK_RSA_HASHES = Set.of(
      HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256,
      HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512);

  private final PGPContentVerifierBuilderProvider jdk = new JcaPGPContentVerifierBuilderProvider();
  private volatile PGPContentVerifierBuilderProvider bouncyCastle;

  @Override
  public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
    boolean rsa = keyAlgorithm == PublicKeyAlgorithmTags.RSA_GENERAL
        || keyAlgorithm == PublicKeyAlgorithmTags.RSA_SIGN;
    if (rsa && JDK_RSA_HASHES.contains(hashAlgorithm)) {
      return jdk.get(keyAlgorithm, hashAlgorithm);
    }
    return bouncyCastle().get(keyAlgorithm, hashAlgorithm);
  }

  private PGPContentVerifierBuilderProvider bouncyCastle() {
    PGPContentVerifierBuilderProvider provider = bouncyCastle;
    if (provider == null) {
      synchronized (this) {
        if (bouncyCastle == null) {
          bouncyCastle = new JcaPGPContentVerifierBuilderProvider().setProvider(new BouncyCastleProvider());
        }
        provider = bouncyCastle;
      }
    }
    return provider;
  }
}
