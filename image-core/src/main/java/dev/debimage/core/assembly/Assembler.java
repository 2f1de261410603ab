package dev.debimage.core.assembly;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles the root filesystem from package files without running maintainer scripts: it
 * unpacks the data tars, lays out merged {@code /usr}, and writes what the maintainer scripts
 * would have written (accounts, alternatives, CA certificates, the Java trust store, the time
 * zone, the dpkg database).
 */
public final class Assembler {

  /** The dpkg configuration file with the path filters, so that dpkg in a derived image applies them too. */
  static final String PATH_FILTER_CONFIG = "etc/dpkg/dpkg.cfg.d/debimage-path-filters";

  private Assembler() {}

  /** Builds the tree for {@code packages}; every generated path gets the build timestamp. */
  public static FileTree assemble(List<AssemblyInput> packages, AssemblyOptions options) {
    return assembleWithReport(packages, options).tree();
  }

  /**
   * Builds the tree for {@code packages} and reports what the path filters dropped; every
   * generated path gets the build timestamp.
   */
  public static AssemblyResult assembleWithReport(
      List<AssemblyInput> packages, AssemblyOptions options) {
    Instant timestamp = options.buildTimestamp();
    FileTree tree = new FileTree(timestamp);
    Diversions diversions = new Diversions();
    List<UnpackedPackage> unpacked = PackageUnpacker.unpack(packages, options, tree, diversions);
    Set<String> installed = new HashSet<>();
    unpacked.forEach(pkg -> installed.add(pkg.name()));

    MergedUsr.createTopLevelLinks(tree, timestamp);
    Accounts.write(tree, timestamp, options.shape());
    if (installed.contains(BaseFilesSetup.PACKAGE)) {
      BaseFilesSetup.apply(tree, timestamp, options.listener());
    }
    if (installed.contains(NameServiceSwitch.PACKAGE)) {
      NameServiceSwitch.apply(tree);
    }
    tree.aliasedPaths().forEach(options.listener()::warn);
    Alternatives.apply(tree, PostinstScripts.read(tree, unpacked, diversions, options.listener()),
        timestamp, options.listener());
    if (installed.contains(CaCertificates.PACKAGE)) {
      List<CaCertificates.EnabledCertificate> certificates =
          CaCertificates.apply(tree, timestamp, options.listener());
      if (installed.contains(JavaCacerts.PACKAGE)) {
        JavaCacerts.write(tree, certificates, timestamp);
      }
    }
    TimeZoneConfig.apply(tree, installed.contains(TimeZoneConfig.PACKAGE), options.timezone(),
        timestamp, options.listener());
    // NOTE: no /etc/ld.so.cache is written, so the loader searches only its system directories;
    // LibraryPathCheck warns about libraries that it will therefore not find.
    LibraryPathCheck.check(tree, options.listener());
    if (!options.pathFilters().isEmpty()) {
      tree.addGeneratedFile(PATH_FILTER_CONFIG,
          options.pathFilters().toDpkgConfig().getBytes(StandardCharsets.UTF_8), 0644, 0, 0,
          timestamp);
    }
    DpkgDatabase.write(tree, unpacked, options.architecture(), timestamp);
    diversions.write(tree, timestamp);
    PathDirectives.apply(tree, options.shape().paths(), timestamp);

    long filteredFiles = 0;
    long filteredBytes = 0;
    for (UnpackedPackage pkg : unpacked) {
      filteredFiles += pkg.filteredFiles();
      filteredBytes += pkg.filteredBytes();
    }
    options.listener().info("assembled " + tree.size() + " paths from " + unpacked.size()
        + " packages");
    if (!options.pathFilters().isEmpty()) {
      options.listener().info("path filters dropped " + filteredFiles + " package members ("
          + filteredBytes + " bytes)");
    }
    return new AssemblyResult(tree, filteredFiles, filteredBytes);
  }
}
