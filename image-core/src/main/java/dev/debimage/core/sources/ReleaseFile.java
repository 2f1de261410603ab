package dev.debimage.core.sources;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Release file of a suite, parsed from the verified text of its {@code InRelease} or {@code
 * Release} file: the suite's names, dates, architectures, components and the SHA256 of each index.
 */
public final class ReleaseFile {

  /** Clock difference tolerated between this machine and the archive when checking dates. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final Stanza stanza;
  private final String location;
  private final Map<String, IndexFile> sha256Entries;

  /**
   * One entry of the {@code SHA256} field: an index file below the suite's directory.
   *
   * @param path the path relative to {@code dists/SUITE/}, such as {@code main/binary-amd64/Packages.xz}
   * @param size the size in bytes
   * @param sha256 the SHA-256 digest as lower-case hex
   */
  public record IndexFile(String path, long size, String sha256) {}

  private ReleaseFile(Stanza stanza, String location, Map<String, IndexFile> sha256Entries) {
    this.stanza = stanza;
    this.location = location;
    this.sha256Entries = Collections.unmodifiableMap(sha256Entries);
  }

  /**
   * Parses the verified text of a Release file; {@code location} (the URL) names it in errors.
   *
   * @throws ImageBuildException when the text is not one deb822 stanza or the SHA256 field is
   *     malformed
   */
  public static ReleaseFile parse(String text, String location) {
    List<Stanza> stanzas = Deb822.parse(text, location);
    if (stanzas.size() != 1) {
      throw new ImageBuildException(
          "invalid Release file " + location + ": expected one stanza, found " + stanzas.size()
              + "; check that the URL points to a Release file");
    }
    Stanza stanza = stanzas.get(0);
    return new ReleaseFile(stanza, location, parseSha256(stanza.get("SHA256", ""), location));
  }

  /** Returns the {@code Origin} field, such as {@code Debian}. */
  public Optional<String> origin() {
    return stanza.get("Origin");
  }

  /** Returns the {@code Suite} field, such as {@code stable}. */
  public Optional<String> suite() {
    return stanza.get("Suite");
  }

  /** Returns the {@code Codename} field, such as {@code bookworm}. */
  public Optional<String> codename() {
    return stanza.get("Codename");
  }

  /** Returns the {@code Date} field: when the archive wrote the Release file. */
  public Optional<Instant> date() {
    return stanza.get("Date").map(value -> parseDate("Date", value));
  }

  /** Returns the {@code Valid-Until} field: when the Release file stops being valid. */
  public Optional<Instant> validUntil() {
    return stanza.get("Valid-Until").map(value -> parseDate("Valid-Until", value));
  }

  /** Returns the {@code Architectures} field split into names. */
  public List<String> architectures() {
    return stanza.words("Architectures");
  }

  /** Returns the {@code Components} field split into names. */
  public List<String> components() {
    return stanza.words("Components");
  }

  /** Returns whether {@code Acquire-By-Hash: yes} lets clients fetch indexes by their digest. */
  public boolean acquireByHash() {
    return stanza.get("Acquire-By-Hash", "no").strip().equalsIgnoreCase("yes");
  }

  /**
   * Returns whether {@code No-Support-for-Architecture-all: Packages} declares that packages of
   * architecture {@code all} are listed only in the indexes of each architecture.
   */
  public boolean noSupportForArchitectureAll() {
    return stanza.get("No-Support-for-Architecture-all", "").strip().equals("Packages");
  }

  /** Returns the {@code SHA256} entry for a path relative to the suite's directory. */
  public Optional<IndexFile> sha256(String path) {
    return Optional.ofNullable(sha256Entries.get(path));
  }

  /** Returns every {@code SHA256} entry by path, in file order. */
  public Map<String, IndexFile> sha256Entries() {
    return sha256Entries;
  }

  /** Returns the parsed stanza, for fields without their own method. */
  public Stanza stanza() {
    return stanza;
  }

  /**
   * Checks that the Release file belongs to the configured suite, which may be a suite such as
   * {@code stable} or a codename such as {@code bookworm}.
   *
   * @throws ImageBuildException naming both when it matches neither {@code Suite} nor {@code Codename}
   */
  public void checkSuite(String configuredSuite, String location) {
    boolean matches =
        suite().filter(configuredSuite::equals).isPresent()
            || codename().filter(configuredSuite::equals).isPresent();
    if (!matches) {
      throw new ImageBuildException(
          "wrong suite in Release file " + location + ": the source asks for suite '"
              + configuredSuite + "' but the file is for Suite '" + suite().orElse("(none)")
              + "', Codename '" + codename().orElse("(none)") + "'. Fix the suite name in the"
              + " source, or check that the mirror serves what it claims");
    }
  }

  /**
   * Checks that the Release file is current: {@code Valid-Until} is not past and {@code Date} is
   * not in the future, each with {@link #CLOCK_SKEW} of tolerance.
   *
   * @throws ImageBuildException naming the date at fault and what to check
   */
  public void checkDates(Instant now, String location) {
    if (isExpired(now)) {
      throw new ImageBuildException(
          "expired Release file " + location + ": Valid-Until " + validUntil().orElseThrow()
              + " is before now (" + now + "). The mirror is out of date or serves an old copy; use"
              + " an up-to-date mirror, or check this machine's clock. For a snapshot archive,"
              + " allow expired Release files in the source (allowExpiredValidUntil, or"
              + " Check-Valid-Until: no in apt's sources)");
    }
    checkDate(now, location);
  }

  /**
   * Returns whether {@code Valid-Until} is more than {@link #CLOCK_SKEW} before {@code now}; false
   * when the field is absent.
   */
  public boolean isExpired(Instant now) {
    Optional<Instant> validUntil = validUntil();
    return validUntil.isPresent() && validUntil.get().plus(CLOCK_SKEW).isBefore(now);
  }

  /**
   * Checks that {@code Date} is not more than {@link #CLOCK_SKEW} after {@code now}.
   *
   * @throws ImageBuildException naming the date and the clock to check
   */
  public void checkDate(Instant now, String location) {
    Optional<Instant> date = date();
    if (date.isPresent() && date.get().minus(CLOCK_SKEW).isAfter(now)) {
      throw new ImageBuildException(
          "Release file " + location + " is dated in the future: Date " + date.get() + " is after"
              + " now (" + now + "). Check this machine's clock");
    }
  }

  /** Parses a date as Release files write it (RFC 2822), such as {@code Sat, 11 Jul 2026 10:16:37 UTC}. */
  private Instant parseDate(String field, String value) {
    // RFC_1123_DATE_TIME accepts GMT and numeric offsets but not the UTC that Release files use.
    // It also needs a two-digit hour, but Ubuntu's archive writes hours before 10 as a space and
    // one digit, such as 'Thu, 03 Dec 2026  0:54:57 UTC', which apt accepts.
    String normalized = value.strip()
        .replaceFirst("\\s+(UTC|Z)$", " GMT")
        .replaceFirst("(\\d{4})\\s+(\\d):", "$1 0$2:")
        .replaceAll("\\s+", " ");
    try {
      return ZonedDateTime.parse(normalized, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new ImageBuildException(
          "invalid " + field + " '" + value + "' in Release file " + location
              + ": expected an RFC 2822 date such as 'Sat, 11 Jul 2026 10:16:37 UTC'", e);
    }
  }

  private static Map<String, IndexFile> parseSha256(String value, String location) {
    Map<String, IndexFile> entries = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : value.split("\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      if (parts.length != 3 || !parts[0].matches("[0-9a-fA-F]{64}") || !parts[1].matches("[0-9]{1,18}")) {
        throw new ImageBuildException(
            "invalid SHA256 entry '" + line.strip() + "' (line " + lineNumber + " of the field) in"
                + " Release file " + location + ": expected 'DIGEST SIZE PATH' with a 64-digit hex"
                + " digest");
      }
      String path = parts[2];
      entries.put(path, new IndexFile(path, Long.parseLong(parts[1]), parts[0].toLowerCase(Locale.ROOT)));
    }
    return entries;
  }
}
