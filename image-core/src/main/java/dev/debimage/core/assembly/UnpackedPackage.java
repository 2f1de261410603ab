package dev.debimage.core.assembly;

import dev.debimage.core.indexes.BinaryPackage;
import java.util.List;

/**
 * A package whose data tar is in the tree, with what the dpkg database needs about it.
 *
 * @param binaryPackage the package from the Packages index
 * @param archive the opened package file, for its control members
 * @param shippedPaths every path of the data tar as {@code /path}, in archive order and before
 *     folding into {@code /usr}, as dpkg's {@code .list} files record them
 */
public record UnpackedPackage(
    BinaryPackage binaryPackage, DebArchive archive, List<String> shippedPaths) {

  /** Returns the package name. */
  public String name() {
    return binaryPackage.name();
  }
}
