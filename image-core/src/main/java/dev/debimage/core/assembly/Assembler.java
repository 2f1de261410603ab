package dev.debimage.core.assembly;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles the root filesystem from package files without running maintainer scripts: it
 * unpacks the data tars, lays out merged {@code /usr}, and writes what the essential scripts
 * would have written (accounts, alternatives, the dpkg database).
 */
public final class Assembler {

  private Assembler() {}

  /** Builds the tree for {@code packages}; every generated path gets the build timestamp. */
  public static FileTree assemble(List<AssemblyInput> packages, AssemblyOptions options) {
    Instant timestamp = options.buildTimestamp();
    FileTree tree = new FileTree(timestamp);
    List<UnpackedPackage> unpacked = PackageUnpacker.unpack(packages, options, tree);
    MergedUsr.createTopLevelLinks(tree, timestamp);
    Accounts.write(tree, timestamp);
    Alternatives.apply(tree, OpenJdkAlternatives.find(tree), timestamp, options.listener());
    Set<String> installed = new HashSet<>();
    unpacked.forEach(pkg -> installed.add(pkg.name()));
    if (installed.contains(CaCertificates.PACKAGE)) {
      List<CaCertificates.EnabledCertificate> certificates =
          CaCertificates.apply(tree, timestamp, options.listener());
      if (installed.contains(JavaCacerts.PACKAGE)) {
        JavaCacerts.write(tree, certificates, timestamp);
      }
    }
    DpkgDatabase.write(tree, unpacked, options.architecture(), timestamp);
    options.listener().info("assembled " + tree.size() + " paths from " + unpacked.size()
        + " packages");
    return tree;
  }
}
