package dev.debimage.core.outdated;

import java.util.Objects;

/**
 * A package of the image for which the archive now offers a newer version.
 *
 * @param name the package name, with {@code :arch} when the image has it for two architectures
 * @param lockedVersion the version in the lockfile or the last build
 * @param availableVersion the version the resolver chooses now
 * @param suite the suite whose index lists the newer version
 * @param security whether that suite carries security updates
 */
public record OutdatedPackage(
    String name, String lockedVersion, String availableVersion, String suite, boolean security) {

  public OutdatedPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lockedVersion, "lockedVersion");
    Objects.requireNonNull(availableVersion, "availableVersion");
    Objects.requireNonNull(suite, "suite");
  }

  /** Returns a line such as {@code libc6 2.36-9 -> 2.36-9+deb12u10 (bookworm-security, security)}. */
  public String line() {
    return name + " " + lockedVersion + " -> " + availableVersion + " (" + suite
        + (security ? ", security" : "") + ")";
  }
}
