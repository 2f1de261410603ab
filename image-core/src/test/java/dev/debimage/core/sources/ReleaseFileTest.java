package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseFileTest {

  private static final String LOCATION = "http://127.0.0.1/debian/dists/bookworm/InRelease";
  private static final String MAIN_DIGEST = "a".repeat(64);
  private static final String TEXT =
      "Origin: Debian\n"
          + "Label: Debian\n"
          + "Suite: stable\n"
          + "Codename: bookworm\n"
          + "Date: Sat, 11 Jul 2026 10:16:37 UTC\n"
          + "Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC\n"
          + "Acquire-By-Hash: yes\n"
          + "No-Support-for-Architecture-all: Packages\n"
          + "Architectures: all amd64 arm64\n"
          + "Components: main contrib\n"
          + "MD5Sum:\n"
          + " 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 contrib/Contents-all\n"
          + "SHA256:\n"
          + " " + MAIN_DIGEST + " 8786576 main/binary-amd64/Packages.xz\n"
          + " BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB   120 main/binary-amd64/Release\n";

  private final ReleaseFile release = ReleaseFile.parse(TEXT, LOCATION);

  @Test
  void fieldsAreRead() {
    assertEquals(Optional.of("Debian"), release.origin());
    assertEquals(Optional.of("stable"), release.suite());
    assertEquals(Optional.of("bookworm"), release.codename());
    assertEquals(List.of("all", "amd64", "arm64"), release.architectures());
    assertEquals(List.of("main", "contrib"), release.components());
    assertTrue(release.acquireByHash());
    assertTrue(release.noSupportForArchitectureAll());
  }

  @Test
  void datesAreParsed() {
    assertEquals(Optional.of(Instant.parse("2026-07-11T10:16:37Z")), release.date());
    assertEquals(Optional.of(Instant.parse("2026-07-18T10:16:37Z")), release.validUntil());
  }

  @Test
  void numericOffsetDateIsParsed() {
    ReleaseFile withOffset = ReleaseFile.parse("Suite: x\nDate: Sat, 11 Jul 2026 12:16:37 +0200\n", LOCATION);

    assertEquals(Optional.of(Instant.parse("2026-07-11T10:16:37Z")), withOffset.date());
  }

  @Test
  void ubuntuSingleDigitHourIsParsed() {
    // Ubuntu's noble-updates Release file of 3 December 2026 has this Date, hour padded with a space.
    ReleaseFile ubuntu = ReleaseFile.parse(
        "Suite: noble-updates\nDate: Thu, 03 Dec 2026  0:54:57 UTC\nValid-Until: Fri, 4 Dec 2026 9:05:00 UTC\n",
        LOCATION);

    assertEquals(Optional.of(Instant.parse("2026-12-03T00:54:57Z")), ubuntu.date());
    assertEquals(Optional.of(Instant.parse("2026-12-04T09:05:00Z")), ubuntu.validUntil());
  }

  @Test
  void invalidHourIsRejected() {
    ReleaseFile invalid = ReleaseFile.parse("Suite: x\nDate: Thu, 03 Dec 2026 123:54:57 UTC\n", LOCATION);

    ImageBuildException e = assertThrows(ImageBuildException.class, invalid::date);

    assertTrue(e.getMessage().contains("123:54:57"), e.getMessage());
  }

  @Test
  void invalidDateIsRejected() {
    ReleaseFile invalid = ReleaseFile.parse("Suite: x\nDate: yesterday\n", LOCATION);

    ImageBuildException e = assertThrows(ImageBuildException.class, invalid::date);

    assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
  }

  @Test
  void sha256EntriesAreParsed() {
    assertEquals(
        Optional.of(new ReleaseFile.IndexFile("main/binary-amd64/Packages.xz", 8786576, MAIN_DIGEST)),
        release.sha256("main/binary-amd64/Packages.xz"));
    assertEquals("b".repeat(64), release.sha256("main/binary-amd64/Release").orElseThrow().sha256());
    assertEquals(120, release.sha256("main/binary-amd64/Release").orElseThrow().size());
    assertEquals(List.of("main/binary-amd64/Packages.xz", "main/binary-amd64/Release"),
        List.copyOf(release.sha256Entries().keySet()));
    assertTrue(release.sha256("contrib/Contents-all").isEmpty());
  }

  @Test
  void malformedSha256EntryIsRejected() {
    String text = "Suite: x\nSHA256:\n abc 12 main/binary-amd64/Packages\n";

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> ReleaseFile.parse(text, LOCATION));

    assertTrue(e.getMessage().contains("abc 12 main/binary-amd64/Packages"), e.getMessage());
  }

  @Test
  void missingOptionalFieldsAreEmpty() {
    ReleaseFile minimal = ReleaseFile.parse("Codename: trixie\n", LOCATION);

    assertTrue(minimal.suite().isEmpty());
    assertTrue(minimal.date().isEmpty());
    assertTrue(minimal.validUntil().isEmpty());
    assertFalse(minimal.acquireByHash());
    assertFalse(minimal.noSupportForArchitectureAll());
    assertTrue(minimal.sha256Entries().isEmpty());
  }

  @Test
  void twoStanzasAreRejected() {
    assertThrows(ImageBuildException.class, () -> ReleaseFile.parse("Suite: a\n\nSuite: b\n", LOCATION));
  }

  @Test
  void checkSuiteAcceptsSuiteOrCodename() {
    release.checkSuite("stable", LOCATION);
    release.checkSuite("bookworm", LOCATION);
  }

  @Test
  void checkSuiteRejectsOtherSuite() {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> release.checkSuite("trixie", LOCATION));

    assertTrue(e.getMessage().contains("'trixie'"), e.getMessage());
    assertTrue(e.getMessage().contains("'bookworm'"), e.getMessage());
    assertTrue(e.getMessage().contains(LOCATION), e.getMessage());
  }

  @Test
  void checkDatesAcceptsCurrentFile() {
    release.checkDates(Instant.parse("2026-07-12T00:00:00Z"), LOCATION);
    // Within the tolerated clock skew on both ends.
    release.checkDates(Instant.parse("2026-07-11T10:16:37Z").minus(Duration.ofMinutes(4)), LOCATION);
    release.checkDates(Instant.parse("2026-07-18T10:16:37Z").plus(Duration.ofMinutes(4)), LOCATION);
  }

  @Test
  void checkDatesRejectsExpiredFile() {
    Instant later = Instant.parse("2026-07-19T00:00:00Z");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> release.checkDates(later, LOCATION));

    assertTrue(e.getMessage().startsWith("expired Release file " + LOCATION), e.getMessage());
    assertTrue(e.getMessage().contains("2026-07-18T10:16:37Z"), e.getMessage());
  }

  @Test
  void checkDatesRejectsFutureDate() {
    Instant earlier = Instant.parse("2026-07-11T10:00:00Z");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> release.checkDates(earlier, LOCATION));

    assertTrue(e.getMessage().contains("dated in the future"), e.getMessage());
    assertTrue(e.getMessage().contains("clock"), e.getMessage());
  }
}
