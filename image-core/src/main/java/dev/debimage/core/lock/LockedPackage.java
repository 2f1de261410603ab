package dev.debimage.core.lock;

import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One package of a lockfile: which {@code .deb} to install, where it lives, its SHA256 and size from
 * the verified index, and why it is in the image.
 *
 * @param name the {@code Package} field
 * @param version the {@code Version} field
 * @param architecture the {@code Architecture} field
 * @param sha256 the {@code SHA256} field of the index, lower-case hex
 * @param size the {@code Size} field, in bytes
 * @param source the source package name, from the {@code Source} field or else the package name
 * @param sourceVersion the source package version, from {@code Source: name (version)} or else the
 *     package version
 * @param suite the suite whose index listed the package
 * @param component the component whose index listed the package
 * @param archiveRoot the source URI of that suite
 * @param filename the {@code Filename} field: the .deb's path below {@code archiveRoot}
 * @param reason {@code requested}, or {@code needed by NAME}
 */
public record LockedPackage(
    String name,
    String version,
    String architecture,
    String sha256,
    long size,
    String source,
    String sourceVersion,
    String suite,
    String component,
    URI archiveRoot,
    String filename,
    String reason) {

  public LockedPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceVersion, "sourceVersion");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(archiveRoot, "archiveRoot");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns the lock entry of a package chosen by the resolver for {@code reason}. */
  public static LockedPackage of(BinaryPackage binary, String reason) {
    String sourceField = binary.stanza().get("Source", "").strip();
    String source = binary.name();
    String sourceVersion = binary.version();
    if (!sourceField.isEmpty()) {
      int open = sourceField.indexOf('(');
      if (open < 0) {
        source = sourceField;
      } else {
        source = sourceField.substring(0, open).strip();
        int close = sourceField.indexOf(')', open);
        sourceVersion = sourceField.substring(open + 1, close < 0 ? sourceField.length() : close).strip();
      }
    }
    return new LockedPackage(
        binary.name(),
        binary.version(),
        binary.architecture(),
        binary.sha256(),
        binary.size(),
        source,
        sourceVersion,
        binary.suite(),
        binary.component(),
        binary.archiveRoot(),
        binary.filename(),
        reason);
  }

  /**
   * Returns the package as the build stages take it. Its stanza holds only the fields the lock
   * records ({@code Package}, {@code Source}, {@code Version}, {@code Architecture}, {@code
   * Filename}, {@code Size}, {@code SHA256}). The dpkg status database is written from the control
   * file inside the .deb, so the image is the same as when the package comes from an index.
   */
  public BinaryPackage toBinaryPackage() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    if (!source.equals(name) || !sourceVersion.equals(version)) {
      fields.put("Source", sourceVersion.equals(version) ? source : source + " (" + sourceVersion + ")");
    }
    fields.put("Version", version);
    fields.put("Architecture", architecture);
    fields.put("Filename", filename);
    fields.put("Size", Long.toString(size));
    fields.put("SHA256", sha256);
    return new BinaryPackage(
        name, version, architecture, new Stanza(fields), filename, size, sha256, archiveRoot, suite,
        component);
  }
}
