package dev.debimage.core.report;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.debimage.core.ImageBuildException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The content that both SBOM formats describe: the image, its Debian packages with their licenses and the
 * application's Maven dependencies.
 *
 * @param imageReference the image name and tag
 * @param created the build timestamp, used as the documents' creation time so that they are reproducible
 * @param debianPackages the installed packages, sorted by name
 * @param mavenComponents the application's Maven dependencies, sorted by coordinates
 */
record SbomContents(
    String imageReference,
    Instant created,
    List<DebianComponent> debianPackages,
    List<MavenComponent> mavenComponents) {

  SbomContents {
    debianPackages = List.copyOf(debianPackages);
    mavenComponents = List.copyOf(mavenComponents);
  }

  /**
   * One installed Debian package.
   *
   * @param pkg the package and why it is installed
   * @param purl its package URL, {@code pkg:deb/NAMESPACE/NAME@VERSION?arch=ARCH&distro=DISTRO}
   * @param debUri where its .deb was downloaded from
   * @param copyright its machine-readable copyright file, empty when it has none
   */
  record DebianComponent(InstalledPackage pkg, String purl, URI debUri, Optional<CopyrightFile> copyright) {

    /** Returns the package URL of a Debian binary package. */
    static String purl(InstalledPackage pkg, Distribution distribution) {
      TreeMap<String, String> qualifiers = new TreeMap<>();
      qualifiers.put("arch", pkg.architecture());
      qualifiers.put("distro", distribution.distro());
      return SbomContents.purl("deb", distribution.namespace(), pkg.name(), pkg.version(), qualifiers);
    }
  }

  /**
   * One Maven dependency of the application.
   *
   * @param groupId the group ID
   * @param artifactId the artifact ID
   * @param version the version
   */
  record MavenComponent(String groupId, String artifactId, String version) {

    /**
     * Parses {@code groupId:artifactId:version}.
     *
     * @throws ImageBuildException if {@code coordinates} does not have exactly three parts
     */
    static MavenComponent parse(String coordinates) {
      String[] parts = coordinates.split(":", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
        throw new ImageBuildException(
            "invalid application dependency '" + coordinates + "': use groupId:artifactId:version");
      }
      return new MavenComponent(parts[0], parts[1], parts[2]);
    }

    /** Returns {@code pkg:maven/GROUP/ARTIFACT@VERSION}. */
    String purl() {
      return SbomContents.purl("maven", groupId, artifactId, version, null);
    }

    /** Returns {@code groupId:artifactId:version}. */
    String coordinates() {
      return groupId + ":" + artifactId + ":" + version;
    }
  }

  private static String purl(
      String type, String namespace, String name, String version, TreeMap<String, String> qualifiers) {
    try {
      return new PackageURL(type, namespace, name, version, qualifiers, null).canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new ImageBuildException(
          "cannot build a package URL for " + namespace + "/" + name + " " + version + ": " + e.getMessage(), e);
    }
  }
}
