package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The build timestamp: the creation time of the image and the clamp for every file time. It comes
 * from the project's {@code project.build.outputTimestamp}, else from the {@code
 * SOURCE_DATE_EPOCH} environment variable of the reproducible-builds.org specification, else it is
 * the epoch, never the clock.
 */
public final class BuildTimestamp {

  /** The environment variable that build systems set to the time of the last source change. */
  public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

  private BuildTimestamp() {}

  /**
   * Returns the timestamp of {@code outputTimestamp} (ISO 8601 with an offset, or seconds since the
   * epoch) when it is set, else of {@code SOURCE_DATE_EPOCH} in {@code environment} (seconds since
   * the epoch), else the epoch. A blank value, and Maven's unresolved {@code
   * ${project.build.outputTimestamp}}, count as unset.
   *
   * @throws ImageBuildException if the value that applies is invalid
   */
  public static Instant resolve(String outputTimestamp, Map<String, String> environment) {
    if (isSet(outputTimestamp)) {
      String text = outputTimestamp.strip();
      try {
        if (text.matches("\\d+")) {
          return Instant.ofEpochSecond(Long.parseLong(text));
        }
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeException | NumberFormatException e) {
        throw new ImageBuildException(
            "invalid build timestamp '" + outputTimestamp + "': use ISO 8601, such as"
                + " 2026-01-01T00:00:00Z, or seconds since the epoch");
      }
    }
    String epoch = environment.get(SOURCE_DATE_EPOCH);
    if (epoch != null && !epoch.isBlank()) {
      try {
        if (!epoch.strip().matches("\\d+")) {
          throw new NumberFormatException(epoch);
        }
        return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
      } catch (NumberFormatException | DateTimeException e) {
        throw new ImageBuildException(
            "invalid " + SOURCE_DATE_EPOCH + " '" + epoch + "': set it to whole seconds since the"
                + " epoch, such as 1767225600, or unset it");
      }
    }
    return Instant.EPOCH;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank() && !value.strip().equals("${project.build.outputTimestamp}");
  }
}
