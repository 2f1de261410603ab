package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chooses the build timestamp from the project, then SOURCE_DATE_EPOCH, then the epoch. */
class BuildTimestampTest {

  private static final Map<String, String> EPOCH_ENV = Map.of("SOURCE_DATE_EPOCH", "1700000000");

  @Test
  void projectTimestampWins() {
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), BuildTimestamp.resolve("2026-01-01T00:00:00Z", EPOCH_ENV));
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), BuildTimestamp.resolve("2026-01-01T01:00:00+01:00", EPOCH_ENV));
    assertEquals(Instant.ofEpochSecond(1767225600), BuildTimestamp.resolve(" 1767225600 ", EPOCH_ENV));
  }

  @Test
  void sourceDateEpochWhenProjectUnset() {
    assertEquals(Instant.ofEpochSecond(1700000000), BuildTimestamp.resolve(null, EPOCH_ENV));
    assertEquals(Instant.ofEpochSecond(1700000000), BuildTimestamp.resolve("  ", EPOCH_ENV));
    assertEquals(Instant.ofEpochSecond(1700000000), BuildTimestamp.resolve("${project.build.outputTimestamp}", EPOCH_ENV));
  }

  @Test
  void epochWhenNothingSet() {
    assertEquals(Instant.EPOCH, BuildTimestamp.resolve(null, Map.of()));
    assertEquals(Instant.EPOCH, BuildTimestamp.resolve("", Map.of("SOURCE_DATE_EPOCH", "")));
  }

  @Test
  void invalidProjectTimestampIsRejected() {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> BuildTimestamp.resolve("yesterday", EPOCH_ENV));
    assertTrue(e.getMessage().contains("invalid build timestamp 'yesterday'"), e.getMessage());
  }

  @Test
  void invalidSourceDateEpochIsRejected() {
    for (String value : new String[] {"-5", "1.5", "2026-01-01", "99999999999999999999"}) {
      ImageBuildException e = assertThrows(ImageBuildException.class,
          () -> BuildTimestamp.resolve(null, Map.of("SOURCE_DATE_EPOCH", value)), value);
      assertTrue(e.getMessage().contains("invalid SOURCE_DATE_EPOCH '" + value + "'"), e.getMessage());
    }
  }
}
