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
    String noun = packages.size() == 1 ? " Debian package from " : " Debian packages from ";
    return "debimage: " + packages.size() + noun + String.join(", ", suites)
        + ": " + list;
  }

  /**
   * Describes one layer of a split packages layer: its name, then the packages it contains as
   * {@link #describe(Collection)} lists them, for example {@code debimage: layer base, 2 Debian
   * packages from bookworm: gcc-12-base=12.2.0-14 libc6=2.36-9}. The last layer contains the dpkg
   * database and the generated files of every package, so it names only their count.
   */
  public static String describe(String layerName, Collection<BinaryPackage> packages, boolean database) {
    if (database) {
      return "debimage: layer " + layerName + ", the dpkg database and the generated files (accounts,"
          + " CA certificates, alternatives, time zone) of " + packages.size() + " Debian packages";
    }
    return "debimage: layer " + layerName + ", " + describe(packages).substring("debimage: ".length());
  }
}
