package dev.debimage.core.outdated;

import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.sources.ReleaseFile;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which suites carry security updates, from the configured suite name and the Release
 * file's {@code Label}, {@code Suite} and {@code Codename} fields.
 *
 * <p>Debian's security archive names its suites {@code bookworm-security} (and, up to buster,
 * {@code buster/updates}) and labels its Release files {@code Debian-Security}. Ubuntu's Release
 * files carry {@code Label: Ubuntu} for every pocket, so only the {@code Suite} field
 * ({@code jammy-security}) marks them.
 */
public final class SecuritySuites {

  private final Set<String> keys;

  private SecuritySuites(Set<String> keys) {
    this.keys = Set.copyOf(keys);
  }

  /** Returns the security suites among the verified suites of an index load. */
  public static SecuritySuites of(List<IndexLoader.Suite> suites) {
    Set<String> keys = new TreeSet<>();
    for (IndexLoader.Suite suite : suites) {
      if (isSecurity(suite.name(), suite.release())) {
        keys.add(key(suite.archiveRoot(), suite.name()));
      }
    }
    return new SecuritySuites(keys);
  }

  /** Returns a set that contains exactly the given suites of {@code archiveRoot}. */
  public static SecuritySuites of(URI archiveRoot, String... suites) {
    Set<String> keys = new TreeSet<>();
    for (String suite : suites) {
      keys.add(key(archiveRoot, suite));
    }
    return new SecuritySuites(keys);
  }

  /** Returns whether the suite {@code suite} of {@code archiveRoot} carries security updates. */
  public boolean contains(URI archiveRoot, String suite) {
    return keys.contains(key(archiveRoot, suite)) || isSecurityName(suite);
  }

  /**
   * Returns whether a suite is a security suite: its configured name or the Release file's
   * {@code Suite} or {@code Codename} ends in {@code -security} or {@code /updates}, or its
   * {@code Label} mentions security.
   */
  public static boolean isSecurity(String configuredSuite, ReleaseFile release) {
    return isSecurityName(configuredSuite)
        || release.suite().map(SecuritySuites::isSecurityName).orElse(false)
        || release.codename().map(SecuritySuites::isSecurityName).orElse(false)
        || release.stanza().get("Label")
            .map(label -> label.toLowerCase(Locale.ROOT).contains("security"))
            .orElse(false);
  }

  private static boolean isSecurityName(String suite) {
    return suite.endsWith("-security") || suite.endsWith("/updates");
  }

  private static String key(URI archiveRoot, String suite) {
    return archiveRoot + " " + suite;
  }
}
