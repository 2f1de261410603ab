package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code /etc/ssl/certs/java/cacerts} as Debian 12's ca-certificates-java (20230710)
 * builds it on a fresh install: a JKS keystore with store password {@code changeit} and one
 * trusted certificate entry per {@code /etc/ssl/certs/*.pem} link of ca-certificates, under the
 * alias {@code debian:} plus the lower-cased link name. OpenJDK's default trust manager reads it
 * through the JDK's {@code lib/security/cacerts} link, which the openjdk packages ship.
 *
 * <p>Every entry gets the build timestamp as its creation date, where the real tool records the
 * time it ran, and entries are sorted by alias, so rebuilds give the same bytes.
 */
public final class JavaCacerts {

  /** The package whose postinst and trigger this class replaces. */
  public static final String PACKAGE = "ca-certificates-java";

  /** The store password that ca-certificates-java uses unless {@code /etc/default/cacerts} sets another. */
  public static final String STORE_PASSWORD = "changeit";

  static final String KEYSTORE = "etc/ssl/certs/java/cacerts";
  static final String DEFAULTS = "etc/default/cacerts";

  private static final Pattern ASSIGNMENT =
      Pattern.compile("\\s*(storepass|cacerts_updates)=(\\S*)\\s*");

  private JavaCacerts() {}

  /**
   * Writes the keystore from the certificates that {@link CaCertificates} enabled, with the
   * {@code storepass} that {@code /etc/default/cacerts} sets, if any. Writes nothing when that
   * file sets {@code cacerts_updates} to anything but {@code yes}, as the postinst does.
   */
  public static void write(
      FileTree tree, List<CaCertificates.EnabledCertificate> certificates, Instant mtime) {
    Map<String, String> defaults = readDefaults(tree);
    if (!defaults.getOrDefault("cacerts_updates", "yes").equals("yes")) {
      return;
    }
    String password = defaults.getOrDefault("storepass", STORE_PASSWORD);
    Map<String, X509Certificate> byAlias = new LinkedHashMap<>();
    for (CaCertificates.EnabledCertificate certificate : certificates) {
      byAlias.put("debian:" + certificate.pemName(), certificate.certificate());
    }
    byte[] keystore = JksTrustStore.encode(byAlias, mtime, password.toCharArray());
    tree.addGeneratedDirectory("etc/ssl/certs/java", 0755, 0, 0, mtime);
    tree.addGeneratedFile(KEYSTORE, keystore, 0644, 0, 0, mtime);
  }

  /**
   * Reads the shell assignments of {@code /etc/default/cacerts}, which the postinst sources.
   * Single or double quotes around a value are removed; an empty value counts as unset, as the
   * postinst's default applies then too.
   */
  static Map<String, String> readDefaults(FileTree tree) {
    Map<String, String> values = new LinkedHashMap<>();
    Optional<FileEntry> entry = tree.resolve(DEFAULTS);
    if (entry.isEmpty() || entry.get().content() == null) {
      return values;
    }
    String text;
    try {
      text = new String(entry.get().content().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read /" + DEFAULTS + ": " + e.getMessage(), e);
    }
    for (String line : text.lines().toList()) {
      Matcher assignment = ASSIGNMENT.matcher(line);
      if (!assignment.matches()) {
        continue;
      }
      String value = assignment.group(2);
      if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
          || value.startsWith("\"") && value.endsWith("\""))) {
        value = value.substring(1, value.length() - 1);
      }
      if (!value.isEmpty()) {
        values.put(assignment.group(1), value);
      }
    }
    return values;
  }
}
