package dev.debimage.core.sources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;

/**
 * Decides whether a key of a trusted key ring may sign data: neither it nor its primary key is
 * revoked or expired, and a subkey is bound to its primary key, marked for signing and
 * cross-certified, as GnuPG requires.
 */
final class SigningKeyCheck {

  private SigningKeyCheck() {}

  /** Returns why {@code key} of {@code ring} may not sign data at {@code now}, or empty when it may. */
  static Optional<String> problem(
      PGPPublicKeyRing ring, PGPPublicKey key, Instant now, PGPContentVerifierBuilderProvider verifiers) {
    return problem(ring, key, now, verifiers, false);
  }

  /**
   * Returns why {@code key} of {@code ring} may not sign data at {@code now}, or empty when it may;
   * with {@code ignoreExpiry}, an expired primary key or subkey is not a problem.
   */
  static Optional<String> problem(
      PGPPublicKeyRing ring, PGPPublicKey key, Instant now, PGPContentVerifierBuilderProvider verifiers,
      boolean ignoreExpiry) {
    PGPPublicKey primary = ring.getPublicKey();
    if (isRevoked(primary, primary, PGPSignature.KEY_REVOCATION, verifiers)) {
      return Optional.of("primary key " + Keyring.fingerprint(primary) + " is revoked");
    }
    Optional<Instant> primaryExpiry = expiry(primary.getCreationTime().toInstant(), primary.getValidSeconds());
    if (!ignoreExpiry && primaryExpiry.isPresent() && !primaryExpiry.get().isAfter(now)) {
      return Optional.of(
          "primary key " + Keyring.fingerprint(primary) + " expired on " + primaryExpiry.get());
    }
    if (key.getKeyID() == primary.getKeyID()) {
      int flags = primaryKeyFlags(primary);
      if (flags != 0 && (flags & KeyFlags.SIGN_DATA) == 0) {
        return Optional.of("primary key " + Keyring.fingerprint(primary) + " is not marked for signing");
      }
      return Optional.empty();
    }
    return subkeyProblem(primary, key, now, verifiers, ignoreExpiry);
  }

  private static Optional<String> subkeyProblem(
      PGPPublicKey primary, PGPPublicKey subkey, Instant now, PGPContentVerifierBuilderProvider verifiers,
      boolean ignoreExpiry) {
    String name = "subkey " + Keyring.fingerprint(subkey);
    if (isRevoked(primary, subkey, PGPSignature.SUBKEY_REVOCATION, verifiers)) {
      return Optional.of(name + " is revoked");
    }
    PGPSignature binding = null;
    for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
      PGPSignature candidate = it.next();
      if (candidate.getKeyID() == primary.getKeyID()
          && verifiesCertification(candidate, primary, primary, subkey, verifiers)
          && (binding == null || candidate.getCreationTime().after(binding.getCreationTime()))) {
        binding = candidate;
      }
    }
    if (binding == null) {
      return Optional.of(name + " has no valid binding signature from its primary key");
    }
    PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
    long validSeconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
    Optional<Instant> subkeyExpiry = expiry(subkey.getCreationTime().toInstant(), validSeconds);
    if (!ignoreExpiry && subkeyExpiry.isPresent() && !subkeyExpiry.get().isAfter(now)) {
      return Optional.of(name + " expired on " + subkeyExpiry.get());
    }
    int flags = hashed == null ? 0 : hashed.getKeyFlags();
    if (flags != 0 && (flags & KeyFlags.SIGN_DATA) == 0) {
      return Optional.of(name + " is not marked for signing");
    }
    if (!isCrossCertified(binding, primary, subkey, verifiers)) {
      return Optional.of(
          name + " has no valid primary key binding signature (it is not cross-certified)");
    }
    return Optional.empty();
  }

  /** Checks the back-signature that a signing subkey makes over its primary key. */
  private static boolean isCrossCertified(
      PGPSignature binding, PGPPublicKey primary, PGPPublicKey subkey, PGPContentVerifierBuilderProvider verifiers) {
    List<PGPSignature> embedded = new ArrayList<>();
    for (PGPSignatureSubpacketVector vector :
        List.of(binding.getHashedSubPackets(), binding.getUnhashedSubPackets())) {
      if (vector == null) {
        continue;
      }
      try {
        PGPSignatureList list = vector.getEmbeddedSignatures();
        list.forEach(embedded::add);
      } catch (PGPException e) {
        // An unreadable embedded signature counts as missing.
      }
    }
    for (PGPSignature backSignature : embedded) {
      if (backSignature.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
          && verifiesCertification(backSignature, subkey, primary, subkey, verifiers)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRevoked(
      PGPPublicKey primary, PGPPublicKey key, int revocationType, PGPContentVerifierBuilderProvider verifiers) {
    for (Iterator<PGPSignature> it = key.getSignaturesOfType(revocationType); it.hasNext(); ) {
      PGPSignature revocation = it.next();
      // NOTE: revocations by a designated revoker (another key) are not checked.
      if (revocation.getKeyID() != primary.getKeyID()) {
        continue;
      }
      boolean valid =
          revocationType == PGPSignature.KEY_REVOCATION
              ? verifiesKeyRevocation(revocation, primary, verifiers)
              : verifiesCertification(revocation, primary, primary, key, verifiers);
      if (valid) {
        return true;
      }
    }
    return false;
  }

  /** Returns the key flags of the newest self-signature on the primary key, or 0 when none has them. */
  private static int primaryKeyFlags(PGPPublicKey primary) {
    PGPSignature newest = null;
    for (Iterator<PGPSignature> it = primary.getSignatures(); it.hasNext(); ) {
      PGPSignature signature = it.next();
      boolean selfSignature =
          signature.getKeyID() == primary.getKeyID()
              && (PGPSignature.isCertification(signature.getSignatureType())
                  || signature.getSignatureType() == PGPSignature.DIRECT_KEY);
      if (selfSignature
          && signature.getHashedSubPackets() != null
          && signature.getHashedSubPackets().getKeyFlags() != 0
          && (newest == null || signature.getCreationTime().after(newest.getCreationTime()))) {
        newest = signature;
      }
    }
    return newest == null ? 0 : newest.getHashedSubPackets().getKeyFlags();
  }

  private static Optional<Instant> expiry(Instant creation, long validSeconds) {
    return validSeconds > 0 ? Optional.of(creation.plusSeconds(validSeconds)) : Optional.empty();
  }

  // A PGPSignature keeps the verifier that init builds until the check ends, and the signatures
  // of a keyring are shared by every thread that checks a Release file against that keyring. So
  // each check holds the signature's lock, or one thread's init would replace another's verifier.
  private static boolean verifiesCertification(
      PGPSignature signature,
      PGPPublicKey signer,
      PGPPublicKey primary,
      PGPPublicKey subkey,
      PGPContentVerifierBuilderProvider verifiers) {
    synchronized (signature) {
      try {
        signature.init(verifiers, signer);
        return signature.verifyCertification(primary, subkey);
      } catch (PGPException | RuntimeException e) {
        return false;
      }
    }
  }

  private static boolean verifiesKeyRevocation(
      PGPSignature signature, PGPPublicKey primary, PGPContentVerifierBuilderProvider verifiers) {
    synchronized (signature) {
      try {
        signature.init(verifiers, primary);
        return signature.verifyCertification(primary);
      } catch (PGPException | RuntimeException e) {
        return false;
      }
    }
  }
}
