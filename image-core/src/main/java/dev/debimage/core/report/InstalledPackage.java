package dev.debimage.core.report;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One installed package as the reports describe it: its identity, its source package, where it came
 * from and why the resolver chose it.
 *
 * @param name the {@code Package} field
 * @param version the {@code Version} field
 * @param architecture the {@code Architecture} field
 * @param installedSize the {@code Installed-Size} field in KiB, empty when the stanza lacks it
 * @param sourceName the source package name from the {@code Source} field, or {@code name}
 * @param sourceVersion the source version from the {@code Source} field, or {@code version}
 * @param suite the suite whose Packages index listed the package
 * @param archiveRoot the archive root URI of that suite
 * @param sha256 the SHA256 of the .deb, lower-case hex
 * @param reason {@code requested} or {@code needed by NAME}, from the resolution
 */
public record InstalledPackage(
    String name,
    String version,
    String architecture,
    OptionalLong installedSize,
    String sourceName,
    String sourceVersion,
    String suite,
    URI archiveRoot,
    String sha256,
    String reason) {

  /** The {@code reason} of a package that the image spec requested. */
  public static final String REQUESTED = "requested";

  private static final String NEEDED_BY = "needed by ";

  // The Source field is "name" or "name (version)" (Debian Policy 5.6.1).
  private static final Pattern SOURCE_FIELD =
      Pattern.compile("([a-z0-9][a-z0-9+.-]*)(?:\\s*\\(\\s*([^()\\s]+)\\s*\\))?");

  /** Describes {@code pkg}, chosen for {@code reason}. */
  public static InstalledPackage of(BinaryPackage pkg, String reason) {
    String sourceName = pkg.name();
    String sourceVersion = pkg.version();
    String source = pkg.stanza().get("Source", "").strip();
    if (!source.isEmpty()) {
      Matcher matcher = SOURCE_FIELD.matcher(source);
      if (!matcher.matches()) {
        throw new ImageBuildException(
            "invalid Source field '" + source + "' of package " + pkg + " from suite " + pkg.suite()
                + ": expected 'NAME' or 'NAME (VERSION)'. Report it to the archive's maintainers");
      }
      sourceName = matcher.group(1);
      if (matcher.group(2) != null) {
        sourceVersion = matcher.group(2);
      }
    }
    return new InstalledPackage(
        pkg.name(),
        pkg.version(),
        pkg.architecture(),
        installedSize(pkg),
        sourceName,
        sourceVersion,
        pkg.suite(),
        pkg.archiveRoot(),
        pkg.sha256(),
        reason);
  }

  /** Returns whether the image spec requested this package by name. */
  public boolean requested() {
    return REQUESTED.equals(reason);
  }

  /** Returns the package whose dependency pulled this one in, empty for a requested package. */
  public Optional<String> neededBy() {
    return reason != null && reason.startsWith(NEEDED_BY)
        ? Optional.of(reason.substring(NEEDED_BY.length()))
        : Optional.empty();
  }

  private static OptionalLong installedSize(BinaryPackage pkg) {
    String value = pkg.stanza().get("Installed-Size", "").strip();
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    if (!value.matches("\\d{1,18}")) {
      throw new ImageBuildException(
          "invalid Installed-Size '" + value + "' of package " + pkg + " from suite " + pkg.suite()
              + ": expected a whole number of KiB. Report it to the archive's maintainers");
    }
    return OptionalLong.of(Long.parseLong(value));
  }
}
