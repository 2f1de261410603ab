package dev.debimage.core.report;

import com.google.common.base.Suppliers;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.spec.ImageSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The inventory of an image: the installed packages with the reason for each, and the report
 * files written beside the image ({@code packages.json}, {@code sbom.spdx.json}, {@code
 * sbom.cdx.json}).
 */
public final class ImageReport {

  private final List<InstalledPackage> packages;
  private final Supplier<LayerContents> packagesLayer;
  private final Map<String, byte[]> files;

  private ImageReport(
      List<InstalledPackage> packages, Supplier<LayerContents> packagesLayer, Map<String, byte[]> files) {
    this.packages = List.copyOf(packages);
    this.packagesLayer = packagesLayer;
    this.files = files;
  }

  /**
   * Describes the packages of {@code resolution} and writes the reports. The licenses come from the
   * copyright files in {@code packagesLayer}, the purl distribution from the Release files of
   * {@code suites}, the Maven components from {@link ImageSpec#applicationDependencies()}.
   *
   * @throws ImageBuildException if a package stanza has an invalid {@code Source} or {@code
   *     Installed-Size} field, or an application dependency is not {@code groupId:artifactId:version}
   */
  public static ImageReport create(
      Resolution resolution, Distribution distribution, LayerContents packagesLayer, ImageSpec spec) {
    List<InstalledPackage> packages = installedPackages(resolution);
    return new ImageReport(packages, () -> packagesLayer, write(resolution, packages, distribution, packagesLayer, spec));
  }

  /**
   * Does what {@link #create(Resolution, Distribution, LayerContents, ImageSpec)} does, but takes
   * the report files from {@code cache} when an earlier build wrote them from the same inputs, and
   * reads the paths of the package layers only when they are needed: to write the reports or when
   * {@link #packagesLayer()} is called.
   *
   * @param packageLayerDiffIds the diff IDs of the package layers, which identify their paths
   * @param packagesLayer gives the paths of the package layers; called at most once
   */
  public static ImageReport create(
      Resolution resolution, Distribution distribution, List<String> packageLayerDiffIds,
      Supplier<LayerContents> packagesLayer, ImageSpec spec, ReportCache cache) {
    List<InstalledPackage> packages = installedPackages(resolution);
    Supplier<LayerContents> layer = Suppliers.memoize(packagesLayer::get);
    Optional<String> key = ReportCache.key(resolution, distribution, packageLayerDiffIds, spec);
    Optional<Map<String, byte[]>> cached = cache.find(key);
    if (cached.isPresent()) {
      return new ImageReport(packages, layer, cached.get());
    }
    Map<String, byte[]> files = write(resolution, packages, distribution, layer.get(), spec);
    cache.store(key, files);
    return new ImageReport(packages, layer, files);
  }

  private static Map<String, byte[]> write(
      Resolution resolution, List<InstalledPackage> packages, Distribution distribution,
      LayerContents packagesLayer, ImageSpec spec) {
    SbomContents sbom = sbomContents(resolution, packages, distribution, packagesLayer, spec);
    Map<String, byte[]> files = new TreeMap<>();
    files.put(PackageReport.FILE_NAME, PackageReport.toJson(packages));
    files.put(SpdxDocument.FILE_NAME, SpdxDocument.toJson(sbom));
    files.put(CycloneDxDocument.FILE_NAME, CycloneDxDocument.toJson(sbom));
    return files;
  }

  /** Returns the installed packages, sorted by name. */
  public List<InstalledPackage> packages() {
    return packages;
  }

  /** Returns the paths of the packages layer. */
  public LayerContents packagesLayer() {
    return packagesLayer.get();
  }

  /** Returns the report files to write beside the image, keyed by file name. */
  public Map<String, byte[]> files() {
    return new TreeMap<>(files);
  }

  /** Returns the SPDX document, the same bytes as {@code sbom.spdx.json}. */
  public byte[] spdxDocument() {
    return files.get(SpdxDocument.FILE_NAME).clone();
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
    packages.sort(Comparator.comparing(InstalledPackage::name));
    return packages;
  }

  private static SbomContents sbomContents(
      Resolution resolution,
      List<InstalledPackage> packages,
      Distribution distribution,
      LayerContents packagesLayer,
      ImageSpec spec) {
    Map<String, BinaryPackage> binaries = new TreeMap<>();
    resolution.packages().forEach(pkg -> binaries.put(pkg.name(), pkg));
    List<SbomContents.DebianComponent> debian = new ArrayList<>();
    for (InstalledPackage pkg : packages) {
      Optional<CopyrightFile> copyright = packagesLayer.copyright(pkg.name()).flatMap(CopyrightFile::parse);
      debian.add(new SbomContents.DebianComponent(
          pkg, SbomContents.DebianComponent.purl(pkg, distribution), binaries.get(pkg.name()).debUri(), copyright));
    }
    List<SbomContents.MavenComponent> maven = new ArrayList<>();
    spec.applicationDependencies().forEach(coordinates -> maven.add(SbomContents.MavenComponent.parse(coordinates)));
    maven.sort(Comparator.comparing(SbomContents.MavenComponent::coordinates));
    return new SbomContents(spec.imageReference(), spec.timestamp(), debian, maven);
  }
}
