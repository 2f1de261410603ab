package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Settings for assembling a root filesystem.
 *
 * @param architecture the Debian architecture of the image, such as {@code amd64}
 * @param buildTimestamp the time given to generated files and the upper bound of package file
 *     times, so that a rebuild gives the same layer. Fractions of a second are dropped.
 * @param cacheDir where decompressed data tars are kept between builds
 * @param listener receives warnings, such as an alternative that a package file blocks
 */
public record AssemblyOptions(
    String architecture, Instant buildTimestamp, Path cacheDir, BuildListener listener) {

  public AssemblyOptions {
    if (architecture == null || !architecture.matches("[a-z0-9][a-z0-9-]*")) {
      throw new ImageBuildException(
          "invalid architecture '" + architecture + "': expected a Debian architecture such as"
              + " amd64 or arm64");
    }
    Objects.requireNonNull(buildTimestamp, "buildTimestamp");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(listener, "listener");
    buildTimestamp = Instant.ofEpochSecond(buildTimestamp.getEpochSecond());
  }

  /** Creates options that drop warnings. */
  public AssemblyOptions(String architecture, Instant buildTimestamp, Path cacheDir) {
    this(architecture, buildTimestamp, cacheDir, BuildListener.NONE);
  }
}
