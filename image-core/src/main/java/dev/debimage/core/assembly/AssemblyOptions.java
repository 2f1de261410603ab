package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import java.nio.file.Path;
import java.time.Instant;

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
    buildTimestamp = Instant.ofEpochSecond(buildTimestamp.getEpochSecond());
  }

  /** Creates options that drop warnings. */
  public AssemblyOptions(String architecture, Instant buildTimestamp, Path cacheDir) {
    this(architecture, buildTimestamp, cacheDir, BuildListener.NONE);
  }
}
