package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether and how the packages' maintainer scripts run: off (the default, effects are produced
 * natively), or for real through {@code dpkg --configure -a} in a chroot of the tree.
 */
public enum MaintainerScriptMode {
  /** No maintainer script runs, so the build needs no privileges. */
  OFF("off"),
  /** Runs the scripts as root when the build runs as root, or else in a user namespace. */
  AUTO("auto"),
  /** Runs the scripts in a chroot, which needs the build to run as root. */
  ROOT("root"),
  /** Runs the scripts in a chroot inside a user namespace that maps the build user to root. */
  USER_NAMESPACE("unshare");

  private final String configName;

  MaintainerScriptMode(String configName) {
    this.configName = configName;
  }

  /** Returns the name that the pom and the spec use, such as {@code auto}. */
  public String configName() {
    return configName;
  }

  /**
   * Parses a configured name: {@code off}, {@code auto}, {@code root} or {@code unshare}, in any
   * case.
   *
   * @throws ImageBuildException for any other name
   */
  public static MaintainerScriptMode parse(String name) {
    String lower = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (MaintainerScriptMode mode : values()) {
      if (mode.configName.equals(lower)) {
        return mode;
      }
    }
    throw new ImageBuildException(
        "invalid maintainer script mode '" + name + "': use one of "
            + Arrays.stream(values()).map(MaintainerScriptMode::configName).toList());
  }
}
