package dev.debimage.core.sources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPSignature;

/** Writes OpenPGP cleartext signed messages for tests, following RFC 4880 section 7. */
public final class Clearsign {

  private Clearsign() {}

  /**
   * Returns the bytes a cleartext signature covers for {@code text}: lines without trailing spaces
   * and tabs, joined by CR LF, and no line ending after the last line.
   */
  public static byte[] canonical(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    StringBuilder canonical = new StringBuilder();
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        canonical.append("\r\n");
      }
      canonical.append(lines[i].replaceAll("[ \t]+$", ""));
    }
    return canonical.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Formats a clearsigned message; a null {@code hashHeader} leaves out the Hash header. */
  public static byte[] message(String hashHeader, String text, List<PGPSignature> signatures) {
    StringBuilder message = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\n");
    if (hashHeader != null) {
      message.append("Hash: ").append(hashHeader).append('\n');
    }
    message.append('\n');
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    for (String line : body.split("\n", -1)) {
      message.append(line.startsWith("-") ? "- " + line : line).append('\n');
    }
    message.append(armor(signatures));
    return message.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the signatures as an armored {@code PGP SIGNATURE} block. */
  public static String armor(List<PGPSignature> signatures) {
    return new String(encode(signatures, true), StandardCharsets.US_ASCII);
  }

  /** Returns the signatures as binary packets or as an armored block. */
  public static byte[] encode(List<PGPSignature> signatures, boolean armored) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (armored) {
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
          for (PGPSignature signature : signatures) {
            signature.encode(armor);
          }
        }
      } else {
        for (PGPSignature signature : signatures) {
          signature.encode(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
