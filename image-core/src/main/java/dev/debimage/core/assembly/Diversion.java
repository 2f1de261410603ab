package dev.debimage.core.assembly;

/**
 * A diversion as {@code dpkg-divert --add} records it: files that packages other than
 * {@code divertingPackage} ship at {@code path} are installed at {@code divertedTo} instead.
 *
 * @param path the absolute path that is diverted, such as {@code /bin/sh}
 * @param divertedTo the absolute path the other packages' file goes to
 * @param divertingPackage the package that owns the diversion, {@code null} for a local
 *     diversion ({@code --local}), which diverts every package's file
 * @param rename whether {@code --rename} was given, so that a file already at {@code path} is
 *     moved to {@code divertedTo}
 */
public record Diversion(String path, String divertedTo, String divertingPackage, boolean rename) {

  public Diversion {
    if (!path.startsWith("/") || !divertedTo.startsWith("/")) {
      throw new IllegalArgumentException(
          "diversion needs absolute paths, got " + path + " and " + divertedTo);
    }
    if (path.equals(divertedTo)) {
      throw new IllegalArgumentException("diversion of " + path + " to itself");
    }
  }

  /** Returns whether a file that {@code packageName} ships at {@link #path()} is diverted. */
  public boolean diverts(String packageName) {
    return divertingPackage == null || !divertingPackage.equals(packageName);
  }
}
