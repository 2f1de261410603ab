package dev.debimage.core.policy;

import dev.debimage.core.ImageBuildException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Rules the image must satisfy, checked after the packages layer is assembled; a violation fails
 * the build.
 *
 * @param forbiddenPackages package names that must not be installed
 * @param forbiddenPaths absolute paths that must not exist in the image, such as {@code /bin/sh};
 *     symbolic links in their directories are followed, so {@code /bin/sh} also matches {@code
 *     /usr/bin/sh} when {@code /bin} links to {@code usr/bin}
 * @param forbidSetuid whether regular files with the setuid or setgid bit are forbidden
 * @param maxInstalledBytes the maximum total size in bytes of the regular files in the packages
 *     layer (uncompressed), empty for no limit
 */
public record ImagePolicy(
    List<String> forbiddenPackages,
    List<String> forbiddenPaths,
    boolean forbidSetuid,
    OptionalLong maxInstalledBytes) {

  /** The policy that allows everything: the default. */
  public static final ImagePolicy NONE = new ImagePolicy(List.of(), List.of(), false, OptionalLong.empty());

  /**
   * Copies the lists and validates every value.
   *
   * @throws ImageBuildException if a package name, path or size is invalid
   */
  public ImagePolicy {
    forbiddenPackages = List.copyOf(forbiddenPackages);
    forbiddenPaths = List.copyOf(forbiddenPaths);
    for (String name : forbiddenPackages) {
      if (!name.matches("[a-z0-9][a-z0-9+.-]+")) {
        throw new ImageBuildException(
            "invalid package name '" + name + "' in the policy's forbidden packages: Debian package"
                + " names use lower-case letters, digits and + - .");
      }
    }
    for (String path : forbiddenPaths) {
      if (!path.startsWith("/") || path.equals("/") || path.contains("\0")) {
        throw new ImageBuildException(
            "invalid forbidden path '" + path + "' in the policy: use an absolute path such as /bin/sh");
      }
    }
    if (maxInstalledBytes.isPresent() && maxInstalledBytes.getAsLong() < 0) {
      throw new ImageBuildException(
          "invalid maximum installed size " + maxInstalledBytes.getAsLong() + " in the policy: use a number of bytes, 0 or more");
    }
  }

  /** Returns whether the policy has no rule. */
  public boolean isEmpty() {
    return forbiddenPackages.isEmpty() && forbiddenPaths.isEmpty() && !forbidSetuid && maxInstalledBytes.isEmpty();
  }
}
