package dev.debimage.core.outdated;

import dev.debimage.core.ImageBuildException;
import java.util.Locale;

/** When {@code image:outdated} fails the build: never, on any newer version, or on security updates. */
public enum FailOnOutdated {
  /** Only report. */
  NEVER,
  /** Fail when any package has a newer version. */
  ANY,
  /** Fail when a newer version comes from a security suite. */
  SECURITY;

  /**
   * Parses the {@code failOnOutdated} setting: empty or {@code false} is {@link #NEVER}, {@code
   * true} or {@code any} is {@link #ANY}, {@code security} is {@link #SECURITY}.
   *
   * @throws ImageBuildException for any other value
   */
  public static FailOnOutdated parse(String value) {
    String setting = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    switch (setting) {
      case "", "false", "never":
        return NEVER;
      case "true", "any":
        return ANY;
      case "security":
        return SECURITY;
      default:
        throw new ImageBuildException(
            "invalid failOnOutdated value '" + value + "': use true (fail on any newer package),"
                + " security (fail on security updates only) or false");
    }
  }

  /** Returns whether the report fails a build with this setting. */
  public boolean fails(OutdatedReport report) {
    return switch (this) {
      case NEVER -> false;
      case ANY -> !report.packages().isEmpty();
      case SECURITY -> !report.security().isEmpty();
    };
  }
}
