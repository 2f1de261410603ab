package dev.debimage.core.report;

import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds binary package stanzas for the report tests. */
final class TestPackages {

  static final URI ARCHIVE = URI.create("http://127.0.0.1:9/debian");

  private TestPackages() {}

  /** Returns a bookworm package; {@code extra} alternates field names and values. */
  static BinaryPackage binary(String name, String version, String architecture, String... extra) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    fields.put("Version", version);
    fields.put("Architecture", architecture);
    for (int i = 0; i < extra.length; i += 2) {
      fields.put(extra[i], extra[i + 1]);
    }
    String sha256 = sha256Of(name);
    return new BinaryPackage(
        name, version, architecture, new Stanza(fields),
        "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + architecture + ".deb",
        1000, sha256, ARCHIVE, "bookworm", "main");
  }

  /** Returns a stable fake SHA256 hex string derived from {@code seed}. */
  static String sha256Of(String seed) {
    String hex = Integer.toHexString(seed.hashCode() & 0x7fffffff);
    return ("0".repeat(64 - hex.length()) + hex);
  }
}
