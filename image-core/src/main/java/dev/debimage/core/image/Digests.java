package dev.debimage.core.image;

import dev.debimage.core.fetch.Sha256;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 helpers for OCI digests of the form {@code sha256:HEX}. */
public final class Digests {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /** Creates a SHA-256 message digest; every Java platform provides the algorithm. */
  public static MessageDigest newSha256() {
    return Sha256.newDigest();
  }

  /** Computes the OCI digest {@code sha256:HEX} of the bytes. */
  public static String sha256(byte[] bytes) {
    return format(newSha256().digest(bytes));
  }

  /** Formats a finished SHA-256 hash as an OCI digest {@code sha256:HEX}. */
  public static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  /** Returns the hex part of an OCI digest {@code sha256:HEX}, the file name of its blob. */
  public static String hex(String digest) {
    requireSha256(digest, "digest");
    return digest.substring("sha256:".length());
  }

  /** Checks that a value is a lower-case {@code sha256:HEX} digest; {@code what} names the value in the message. */
  static void requireSha256(String digest, String what) {
    if (digest == null || !SHA256.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + digest + "': expected sha256: and 64 lower-case hex digits");
    }
  }
}
