package dev.debimage.core.assembly;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a Java KeyStore (JKS, version 2) that contains only trusted certificate entries, in the
 * format of OpenJDK's {@code sun.security.provider.JavaKeyStore}. Unlike {@code KeyStore.store},
 * it writes the entries sorted by alias and with a given creation date, so the same certificates
 * give the same bytes.
 *
 * <p>The layout: magic {@code 0xFEEDFEED}, version 2, the entry count, then per entry the tag 2
 * (trusted certificate), the alias in modified UTF-8, the creation date in milliseconds, the
 * certificate type {@code X.509}, and the DER length and bytes. A SHA-1 digest over the
 * password (each char as two big-endian bytes), the UTF-8 bytes of {@code "Mighty Aphrodite"} and
 * everything before it ends the file.
 */
public final class JksTrustStore {

  private static final int MAGIC = 0xFEEDFEED;
  private static final int VERSION = 2;
  private static final int TRUSTED_CERTIFICATE_TAG = 2;

  private JksTrustStore() {}

  /**
   * Returns the keystore bytes. Aliases are lower-cased as JKS stores them, so two aliases that
   * differ only in case keep the later certificate.
   */
  public static byte[] encode(
      Map<String, X509Certificate> certificatesByAlias, Instant creationDate, char[] password) {
    Map<String, X509Certificate> sorted = new TreeMap<>();
    certificatesByAlias.forEach((alias, certificate) ->
        sorted.put(alias.toLowerCase(Locale.ENGLISH), certificate));
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(sorted.size());
      for (Map.Entry<String, X509Certificate> entry : sorted.entrySet()) {
        byte[] der = entry.getValue().getEncoded();
        out.writeInt(TRUSTED_CERTIFICATE_TAG);
        out.writeUTF(entry.getKey());
        out.writeLong(creationDate.toEpochMilli());
        out.writeUTF(entry.getValue().getType());
        out.writeInt(der.length);
        out.write(der);
      }
      out.flush();
      out.write(integrityDigest(password, bytes.toByteArray()));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  private static byte[] integrityDigest(char[] password, byte[] body) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      for (char c : password) {
        sha1.update((byte) (c >> 8));
        sha1.update((byte) c);
      }
      sha1.update("Mighty Aphrodite".getBytes(StandardCharsets.UTF_8));
      sha1.update(body);
      return sha1.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
