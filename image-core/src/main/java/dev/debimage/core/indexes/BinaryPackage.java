package dev.debimage.core.indexes;

import dev.debimage.core.deb822.Stanza;
import java.net.URI;

/**
 * One binary package stanza from a verified Packages index, with where its {@code .deb} lives.
 *
 * @param name the {@code Package} field
 * @param version the {@code Version} field
 * @param architecture the {@code Architecture} field ({@code all} or a Debian architecture)
 * @param stanza the whole stanza, for relationship fields and the dpkg status database
 * @param filename the {@code Filename} field: the .deb's path below {@code archiveRoot}
 * @param size the {@code Size} field, in bytes
 * @param sha256 the {@code SHA256} field, lower-case hex
 * @param archiveRoot the source URI the index came from
 * @param suite the suite the index came from
 * @param component the component the index came from
 */
public record BinaryPackage(
    String name,
    String version,
    String architecture,
    Stanza stanza,
    String filename,
    long size,
    String sha256,
    URI archiveRoot,
    String suite,
    String component) {

  /**
   * Returns the URL of the .deb, with {@code ./} segments removed, because flat repositories
   * often write {@code Filename: ./name.deb}.
   */
  public URI debUri() {
    String root = archiveRoot.toString();
    String relative = filename;
    while (relative.startsWith("./")) {
      relative = relative.substring(2);
    }
    return URI.create(root.endsWith("/") ? root + relative : root + "/" + relative);
  }

  /** Returns {@code name version architecture}, as in {@code packages.txt}. */
  @Override
  public String toString() {
    return name + " " + version + " " + architecture;
  }
}
