package dev.debimage.core.report;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the image contains and why: the installed packages with the reason for each, and the report
 * files written beside the image.
 */
public final class ImageReport {

  private final List<InstalledPackage> packages;
  private final Map<String, byte[]> files;

  private ImageReport(List<InstalledPackage> packages, Map<String, byte[]> files) {
    this.packages = List.copyOf(packages);
    this.files = files;
  }

  /**
   * Describes the packages of {@code resolution}.
   *
   * @throws ImageBuildException if a package stanza has an invalid {@code Source} or {@code
   *     Installed-Size} field
   */
  public static ImageReport create(Resolution resolution) {
    List<InstalledPackage> packages = installedPackages(resolution);
    Map<String, byte[]> files = new TreeMap<>();
    files.put(PackageReport.FILE_NAME, PackageReport.toJson(packages));
    return new ImageReport(packages, files);
  }

  /** Returns the installed packages, sorted by name. */
  public List<InstalledPackage> packages() {
    return packages;
  }

  /** Returns the report files to write beside the image, keyed by file name. */
  public Map<String, byte[]> files() {
    return new TreeMap<>(files);
  }

  static List<InstalledPackage> installedPackages(Resolution resolution) {
    List<InstalledPackage> packages = new ArrayList<>();
    for (BinaryPackage pkg : resolution.packages()) {
      String reason = resolution.reasons().get(pkg.name());
      if (reason == null) {
        throw new IllegalStateException("the resolution has no reason for package " + pkg.name());
      }
      packages.add(InstalledPackage.of(pkg, reason));
    }
    packages.sort((a, b) -> a.name().compareTo(b.name()));
    return packages;
  }
}
