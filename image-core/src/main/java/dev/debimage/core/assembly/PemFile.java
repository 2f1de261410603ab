package dev.debimage.core.assembly;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects of a PEM file as OpenSSL's {@code PEM_X509_INFO_read} counts them: certificates
 * (labels {@code CERTIFICATE}, {@code X509 CERTIFICATE} and {@code TRUSTED CERTIFICATE}) and
 * CRLs ({@code X509 CRL}). Text outside the blocks is ignored, as OpenSSL ignores it.
 *
 * @param certificates the certificates, in file order
 * @param crlCount the number of CRL blocks
 */
public record PemFile(List<X509Certificate> certificates, int crlCount) {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  /**
   * Parses {@code data}; {@code where} names the file in error messages.
   *
   * @throws IllegalArgumentException when a certificate block is not valid base64 or DER
   */
  public static PemFile parse(byte[] data, String where) {
    Matcher block = BLOCK.matcher(new String(data, StandardCharsets.ISO_8859_1));
    List<X509Certificate> certificates = new ArrayList<>();
    int crls = 0;
    while (block.find()) {
      String label = block.group(1);
      if (label.equals("X509 CRL")) {
        crls++;
      } else if (label.equals("CERTIFICATE") || label.equals("X509 CERTIFICATE")
          || label.equals("TRUSTED CERTIFICATE")) {
        certificates.add(certificate(block.group(2), where));
      }
    }
    return new PemFile(List.copyOf(certificates), crls);
  }

  private static X509Certificate certificate(String base64, String where) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64);
      // A TRUSTED CERTIFICATE block appends OpenSSL's trust settings after the certificate;
      // the factory reads the first DER object and ignores what follows.
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid certificate in " + where + ": " + e.getMessage(), e);
    }
  }
}
