package dev.debimage.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@code packages.json}: one object per installed package, sorted by name, with its version,
 * architecture, installed size, source package, suite, archive root, .deb SHA256 and the reason the
 * resolver chose it.
 */
public final class PackageReport {

  /** The file name of the report in the output directory. */
  public static final String FILE_NAME = "packages.json";

  private PackageReport() {}

  /** Returns the report as deterministic JSON text, ending in a newline. */
  public static byte[] toJson(List<InstalledPackage> packages) {
    ArrayNode array = JsonDocuments.object().arrayNode();
    packages.stream()
        .sorted(Comparator.comparing(InstalledPackage::name))
        .forEach(pkg -> array.add(toJson(pkg)));
    ObjectNode root = JsonDocuments.object();
    root.set("packages", array);
    return JsonDocuments.toBytes(root);
  }

  private static ObjectNode toJson(InstalledPackage pkg) {
    ObjectNode node = JsonDocuments.object();
    node.put("name", pkg.name());
    node.put("version", pkg.version());
    node.put("architecture", pkg.architecture());
    if (pkg.installedSize().isPresent()) {
      node.put("installedSizeKiB", pkg.installedSize().getAsLong());
    } else {
      node.putNull("installedSizeKiB");
    }
    node.put("sourceName", pkg.sourceName());
    node.put("sourceVersion", pkg.sourceVersion());
    node.put("suite", pkg.suite());
    node.put("archiveRoot", pkg.archiveRoot().toString());
    node.put("sha256", pkg.sha256());
    node.put("reason", pkg.reason());
    return node;
  }
}
