package dev.debimage.core.assembly;

import dev.debimage.core.indexes.BinaryPackage;
import java.util.List;

/**
 * A package whose data tar is in the tree, with what the dpkg database needs about it.
 *
 * @param binaryPackage the package from the Packages index
 * @param archive the opened package file, for its control members
 * @param shippedPaths every path of the data tar as {@code /path}, in archive order and before
 *     folding into {@code /usr}, as dpkg's {@code .list} files record them. Paths that the path
 *     filters dropped are included, as dpkg lists them too.
 * @param filteredFiles the number of members that the path filters dropped
 * @param filteredBytes the content bytes of the regular files that the path filters dropped
 */
public record UnpackedPackage(
    BinaryPackage binaryPackage, DebArchive archive, List<String> shippedPaths, int filteredFiles,
    long filteredBytes) {

  /** Creates the record of a package that no path filter touched. */
  public UnpackedPackage(BinaryPackage binaryPackage, DebArchive archive, List<String> shippedPaths) {
    this(binaryPackage, archive, shippedPaths, 0, 0);
  }

  /** Returns the package name. */
  public String name() {
    return binaryPackage.name();
  }
}
