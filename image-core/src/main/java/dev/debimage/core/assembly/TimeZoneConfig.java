package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes what tzdata's postinst (Debian 12, tzdata 2024a and later) leaves: the link
 * {@code /etc/localtime -> /usr/share/zoneinfo/ZONE} and {@code /etc/timezone} containing ZONE.
 * Without tzdata the image gets neither, and glibc uses UTC because {@code /etc/localtime} is
 * missing.
 */
public final class TimeZoneConfig {

  /** The package whose postinst this class replaces. */
  public static final String PACKAGE = "tzdata";

  static final String ZONEINFO = "usr/share/zoneinfo";

  private TimeZoneConfig() {}

  /**
   * Checks that {@code zone} is a relative zone name such as {@code Europe/Berlin}.
   *
   * @throws ImageBuildException when it is empty, absolute or contains {@code ..}
   */
  public static void checkName(String zone) {
    if (zone == null || !zone.matches("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")) {
      throw new ImageBuildException(
          "invalid time zone '" + zone + "': use a name from the tz database such as Etc/UTC"
              + " or Europe/Berlin");
    }
  }

  /**
   * Writes the link and {@code /etc/timezone} when tzdata is installed. Without tzdata, writes
   * nothing and warns when {@code zone} is not the default, because the setting has no effect.
   *
   * @throws ImageBuildException when tzdata is installed but has no file for {@code zone}
   */
  public static void apply(FileTree tree, boolean tzdataInstalled, String zone, Instant mtime,
      BuildListener listener) {
    checkName(zone);
    if (!tzdataInstalled) {
      if (!zone.equals(AssemblyOptions.DEFAULT_TIMEZONE)) {
        listener.warn("time zone " + zone + " is not set because package tzdata is not installed;"
            + " add tzdata to the package list");
      }
      return;
    }
    Optional<FileEntry> zoneFile = tree.resolve(ZONEINFO + "/" + zone);
    if (zoneFile.isEmpty() || zoneFile.get().content() == null) {
      throw new ImageBuildException(
          "time zone '" + zone + "' not found: tzdata has no file /" + ZONEINFO + "/" + zone
              + "; use a zone name from the tz database such as Etc/UTC or Europe/Berlin");
    }
    tree.addGeneratedSymlink("etc/localtime", "/" + ZONEINFO + "/" + zone, mtime);
    tree.addGeneratedFile("etc/timezone", (zone + "\n").getBytes(StandardCharsets.UTF_8), 0644, 0,
        0, mtime);
  }
}
