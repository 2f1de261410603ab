package dev.debimage.core.sources;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Builds the verifiers of OpenPGP signatures with the JDK's own security providers, and with
 * BouncyCastle's provider for a key or algorithm that the JDK lacks, such as an ECDSA key on a
 * Brainpool curve or a RIPEMD-160 hash.
 *
 * <p>Debian signs with RSA and Ed25519 keys, Ubuntu with RSA keys, and the JDK (17) verifies both.
 * BouncyCastle's provider (1.80) runs probabilistic primality tests on every RSA modulus that it
 * converts into a key, and creating the provider loads hundreds of classes. In a fresh JVM that
 * verified bookworm's InRelease file, JFR sampled those tests about twice as often as the rest of
 * the signature checks. The JDK's RSA key factory checks only
 * the key's size. BouncyCastle's provider is created on first use only.
 */
final class ContentVerifiers implements PGPContentVerifierBuilderProvider {

  private final PGPContentVerifierBuilderProvider jdk = new JcaPGPContentVerifierBuilderProvider();
  private volatile PGPContentVerifierBuilderProvider bouncyCastle;

  @Override
  public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
    PGPContentVerifierBuilder jdkBuilder;
    try {
      jdkBuilder = jdk.get(keyAlgorithm, hashAlgorithm);
    } catch (PGPException | RuntimeException e) {
      return bouncyCastle().get(keyAlgorithm, hashAlgorithm);
    }
    return new PGPContentVerifierBuilder() {
      @Override
      public PGPContentVerifier build(PGPPublicKey key) throws PGPException {
        try {
          return jdkBuilder.build(key);
        } catch (PGPException | RuntimeException e) {
          // The JDK has no provider for this key or hash, so BouncyCastle's verifies it or fails.
          return bouncyCastle().get(keyAlgorithm, hashAlgorithm).build(key);
        }
      }
    };
  }

  /**
   * Returns a provider for one signature check that builds verifiers as this one does and keeps
   * the last one it built, so that the caller can write the signed data to it in bulk.
   */
  Capturing capturing() {
    return new Capturing(this);
  }

  /** A provider that keeps the verifier it built last, for one signature check on one thread. */
  static final class Capturing implements PGPContentVerifierBuilderProvider {
    private final ContentVerifiers verifiers;
    private PGPContentVerifier built;

    private Capturing(ContentVerifiers verifiers) {
      this.verifiers = verifiers;
    }

    @Override
    public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
      PGPContentVerifierBuilder builder = verifiers.get(keyAlgorithm, hashAlgorithm);
      return key -> {
        built = builder.build(key);
        return built;
      };
    }

    /** Returns the verifier built last, which {@code PGPSignature.init} builds. */
    PGPContentVerifier built() {
      if (built == null) {
        throw new IllegalStateException("no verifier built yet: call PGPSignature.init with this provider first");
      }
      return built;
    }
  }

  /** Returns whether a verifier needed BouncyCastle's provider, which is then created. */
  boolean usedBouncyCastle() {
    return bouncyCastle != null;
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
