package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.junit.jupiter.api.Test;

/** Checks which provider {@link ContentVerifiers} verifies with, and that each verifies correctly. */
class ContentVerifiersTest {

  private static final byte[] DATA = "Origin: Debian\nSuite: stable\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANGED = "Origin: Debian\nSuite: stabla\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void rsaWithSha256UsesJdkProvider() throws Exception {
    PGPKeyPair key = keyPair("RSA", PublicKeyAlgorithmTags.RSA_GENERAL);
    PGPSignature signature = sign(key, HashAlgorithmTags.SHA256, null);
    ContentVerifiers verifiers = new ContentVerifiers();

    assertTrue(verifies(signature, key, verifiers, DATA));
    assertFalse(verifies(signature, key, verifiers, CHANGED));
    assertFalse(verifiers.usedBouncyCastle());
  }

  @Test
  void ed25519UsesJdkProvider() throws Exception {
    PGPKeyPair key = keyPair("Ed25519", PublicKeyAlgorithmTags.EDDSA_LEGACY);
    PGPSignature signature = sign(key, HashAlgorithmTags.SHA512, new BouncyCastleProvider());
    ContentVerifiers verifiers = new ContentVerifiers();

    assertTrue(verifies(signature, key, verifiers, DATA));
    assertFalse(verifies(signature, key, verifiers, CHANGED));
    assertFalse(verifiers.usedBouncyCastle());
  }

  @Test
  void hashJdkLacksFallsBackToBouncyCastle() throws Exception {
    PGPKeyPair key = keyPair("RSA", PublicKeyAlgorithmTags.RSA_GENERAL);
    // The JDK (17) has no RIPEMD160withRSA, so only BouncyCastle's provider can sign or verify this.
    PGPSignature signature = sign(key, HashAlgorithmTags.RIPEMD160, new BouncyCastleProvider());
    ContentVerifiers verifiers = new ContentVerifiers();

    assertTrue(verifies(signature, key, verifiers, DATA));
    assertTrue(verifiers.usedBouncyCastle());
    assertFalse(verifies(signature, key, verifiers, CHANGED));
  }

  private static boolean verifies(PGPSignature signature, PGPKeyPair key, ContentVerifiers verifiers, byte[] data)
      throws Exception {
    signature.init(verifiers, key.getPublicKey());
    signature.update(data);
    return signature.verify();
  }

  private static PGPKeyPair keyPair(String jdkAlgorithm, int pgpAlgorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(jdkAlgorithm);
    if (jdkAlgorithm.equals("RSA")) {
      generator.initialize(2048);
    }
    return new JcaPGPKeyPair(pgpAlgorithm, generator.generateKeyPair(), new Date());
  }

  private static PGPSignature sign(PGPKeyPair key, int hashAlgorithm, Provider provider) throws Exception {
    JcaPGPContentSignerBuilder signer = new JcaPGPContentSignerBuilder(key.getPublicKey().getAlgorithm(), hashAlgorithm);
    if (provider != null) {
      signer.setProvider(provider);
    }
    PGPSignatureGenerator generator = new PGPSignatureGenerator(signer, key.getPublicKey());
    generator.init(PGPSignature.BINARY_DOCUMENT, key.getPrivateKey());
    generator.update(DATA);
    return generator.generate();
  }
}
