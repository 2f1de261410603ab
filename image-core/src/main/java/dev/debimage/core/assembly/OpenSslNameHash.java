package dev.debimage.core.assembly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * Computes OpenSSL's {@code X509_NAME_hash} (OpenSSL 1.0 and later), the subject hash that
 * {@code openssl rehash} and {@code openssl x509 -hash} print: the first four bytes, read
 * little-endian, of the SHA-1 of the name's canonical encoding.
 *
 * <p>The canonical encoding, as OpenSSL's {@code x509_name_canon} builds it, is the DER of every
 * relative distinguished name (a SET) concatenated without the outer SEQUENCE. Attribute values
 * of the string types UTF8String, BMPString, UniversalString, PrintableString, T61String,
 * IA5String and VisibleString become UTF8String after trimming ASCII whitespace, folding each run
 * of inner ASCII whitespace into one space and lower-casing ASCII letters. Values of other types
 * keep their encoding.
 */
public final class OpenSslNameHash {

  private OpenSslNameHash() {}

  /** Returns the hash of a DER-encoded X.509 Name, as an unsigned 32-bit value. */
  public static long hash(byte[] nameDer) {
    byte[] digest = sha1(canonicalEncoding(nameDer));
    return (digest[0] & 0xffL) | (digest[1] & 0xffL) << 8 | (digest[2] & 0xffL) << 16
        | (digest[3] & 0xffL) << 24;
  }

  /** Returns the hash as the eight lower-case hexadecimal digits of the {@code HASH.0} link names. */
  public static String hashHex(byte[] nameDer) {
    return String.format("%08x", hash(nameDer));
  }

  /** Returns the canonical encoding that OpenSSL hashes. */
  static byte[] canonicalEncoding(byte[] nameDer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ASN1Sequence name = ASN1Sequence.getInstance(nameDer);
      for (ASN1Encodable rdnElement : name) {
        ASN1Set rdn = ASN1Set.getInstance(rdnElement);
        ASN1Encodable[] attributes = new ASN1Encodable[rdn.size()];
        for (int i = 0; i < rdn.size(); i++) {
          ASN1Sequence attribute = ASN1Sequence.getInstance(rdn.getObjectAt(i));
          attributes[i] = new DERSequence(new ASN1Encodable[] {
              attribute.getObjectAt(0), canonicalValue(attribute.getObjectAt(1))});
        }
        // A DER SET sorts its elements by their encoding, as OpenSSL's encoder does.
        out.write(new DERSet(attributes).getEncoded(ASN1Encoding.DER));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid X.509 name: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static ASN1Encodable canonicalValue(ASN1Encodable value) {
    String text;
    if (value instanceof ASN1UniversalString) {
      // BouncyCastle returns a UniversalString as a hex dump, so decode its UCS-4 octets here.
      byte[] ucs4 = ((ASN1UniversalString) value).getOctets();
      StringBuilder decoded = new StringBuilder();
      for (int i = 0; i + 3 < ucs4.length; i += 4) {
        decoded.appendCodePoint((ucs4[i] & 0xff) << 24 | (ucs4[i + 1] & 0xff) << 16
            | (ucs4[i + 2] & 0xff) << 8 | (ucs4[i + 3] & 0xff));
      }
      text = decoded.toString();
    } else if (value instanceof ASN1UTF8String || value instanceof ASN1BMPString
        || value instanceof ASN1PrintableString || value instanceof ASN1IA5String
        || value instanceof ASN1VisibleString || value instanceof ASN1T61String) {
      // BouncyCastle reads a T61String as Latin-1, one byte per character, as OpenSSL's
      // ASN1_STRING_to_UTF8 does.
      text = ((ASN1String) value).getString();
    } else {
      return value;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int end = utf8.length;
    while (start < end && isSpace(utf8[start])) {
      start++;
    }
    while (end > start && isSpace(utf8[end - 1])) {
      end--;
    }
    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    int i = start;
    while (i < end) {
      byte b = utf8[i];
      if (isSpace(b)) {
        canonical.write(' ');
        while (i < end && isSpace(utf8[i])) {
          i++;
        }
      } else {
        canonical.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        i++;
      }
    }
    return new DERUTF8String(new String(canonical.toByteArray(), StandardCharsets.UTF_8));
  }

  /** Returns whether a byte is ASCII whitespace as C's {@code isspace} in the C locale defines it. */
  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
