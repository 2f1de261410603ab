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
 * @param timezone the zone that {@code /etc/localtime} names when tzdata is installed, such as
 *     {@code Etc/UTC} or {@code Europe/Berlin}
 * @param pathFilters the dpkg path filters applied while unpacking
 * @param shape the accounts and paths the project adds
 */
public record AssemblyOptions(
    String architecture,
    Instant buildTimestamp,
    Path cacheDir,
    BuildListener listener,
    String timezone,
    PathFilters pathFilters,
    ImageShape shape) {

  /** The zone that tzdata's postinst configures when debconf has no other answer. */
  public static final String DEFAULT_TIMEZONE = "Etc/UTC";

  public AssemblyOptions {
    if (architecture == null || !architecture.matches("[a-z0-9][a-z0-9-]*")) {
      throw new ImageBuildException(
          "invalid architecture '" + architecture + "': expected a Debian architecture such as"
              + " amd64 or arm64");
    }
    Objects.requireNonNull(buildTimestamp, "buildTimestamp");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(listener, "listener");
    TimeZoneConfig.checkName(timezone);
    Objects.requireNonNull(pathFilters, "pathFilters");
    Objects.requireNonNull(shape, "shape");
    buildTimestamp = Instant.ofEpochSecond(buildTimestamp.getEpochSecond());
  }

  /** Creates options that add no accounts and change no paths. */
  public AssemblyOptions(String architecture, Instant buildTimestamp, Path cacheDir,
      BuildListener listener, String timezone, PathFilters pathFilters) {
    this(architecture, buildTimestamp, cacheDir, listener, timezone, pathFilters, ImageShape.NONE);
  }

  /** Creates options with the default time zone and no path filters. */
  public AssemblyOptions(
      String architecture, Instant buildTimestamp, Path cacheDir, BuildListener listener) {
    this(architecture, buildTimestamp, cacheDir, listener, DEFAULT_TIMEZONE, PathFilters.NONE);
  }

  /** Creates options that drop warnings, with the default time zone and no path filters. */
  public AssemblyOptions(String architecture, Instant buildTimestamp, Path cacheDir) {
    this(architecture, buildTimestamp, cacheDir, BuildListener.NONE);
  }

  /** Returns a copy with another time zone. */
  public AssemblyOptions withTimezone(String zone) {
    return new AssemblyOptions(
        architecture, buildTimestamp, cacheDir, listener, zone, pathFilters, shape);
  }

  /** Returns a copy with other path filters. */
  public AssemblyOptions withPathFilters(PathFilters filters) {
    return new AssemblyOptions(
        architecture, buildTimestamp, cacheDir, listener, timezone, filters, shape);
  }

  /** Returns a copy with other accounts and paths. */
  public AssemblyOptions withShape(ImageShape otherShape) {
    return new AssemblyOptions(
        architecture, buildTimestamp, cacheDir, listener, timezone, pathFilters, otherShape);
  }

  /**
   * Returns the settings beyond the package set, architecture and timestamp that change the
   * assembled tree, as text for a layer cache key.
   */
  public String treeSettingsKey() {
    return "timezone " + timezone + "\n" + pathFilters.toDpkgConfig() + shape.settingsKey();
  }
}
