package dev.debimage.core.image;

import dev.debimage.core.indexes.BinaryPackage;
import java.util.Collection;
import java.util.Comparator;
import java.util.StringJoiner;
import java.util.TreeSet;

/** The {@code created_by} text of the history entry of a layer of installed packages. */
public final class PackageLayerHistory {

  private PackageLayerHistory() {}

  /**
   * Describes the packages layer: the number of packages, their suites and every package as
   * {@code name=version}, sorted by name, in apt's notation for a pinned version. For example
   * {@code debimage: 2 Debian packages from bookworm: base-files=12.4 libc6=2.36-9}.
   */
  public static String describe(Collection<BinaryPackage> packages) {
    TreeSet<String> suites = new TreeSet<>();
    packages.forEach(pkg -> suites.add(pkg.suite()));
    StringJoiner list = new StringJoiner(" ");
    packages.stream()
        .sorted(Comparator.comparing(BinaryPackage::name).thenComparing(BinaryPackage::architecture))
        .forEach(pkg -> list.add(pkg.name() + "=" + pkg.version()));
    return "debimage: " + packages.size() + " Debian packages from " + String.join(", ", suites)
        + ": " + list;
  }
}
