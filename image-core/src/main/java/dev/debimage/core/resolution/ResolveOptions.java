package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import java.util.List;
import java.util.Objects;

/**
 * The settings that shape a resolution besides the requested packages.
 *
 * @param variant the package set added to the requests
 * @param installRecommends whether to follow {@code Recommends} as well, best effort
 * @param excludes package names never to install
 * @param forceExcludeEssential whether {@code excludes} may name an {@code Essential: yes} package
 * @param preferSuites suites whose candidates win over those of later suites and of unlisted
 *     suites, whatever their versions
 */
public record ResolveOptions(
    Variant variant,
    boolean installRecommends,
    List<String> excludes,
    boolean forceExcludeEssential,
    List<String> preferSuites) {

  /** The defaults: no added package set, no Recommends, no excludes, no suite preference. */
  public static final ResolveOptions DEFAULT =
      new ResolveOptions(Variant.CUSTOM, false, List.of(), false, List.of());

  /** Checks the names and copies the lists. */
  public ResolveOptions {
    Objects.requireNonNull(variant, "variant");
    excludes = List.copyOf(excludes);
    preferSuites = List.copyOf(preferSuites);
    for (String name : excludes) {
      if (!name.matches("[a-z0-9][a-z0-9+.-]*")) {
        throw new ImageBuildException(
            "invalid excluded package '" + name + "': expected a lower-case package name such as"
                + " perl-base");
      }
    }
    for (String suite : preferSuites) {
      if (suite.isBlank() || !suite.strip().equals(suite)) {
        throw new ImageBuildException(
            "invalid preferred suite '" + suite + "': expected a suite name such as"
                + " bookworm-backports");
      }
    }
  }

  /** Returns whether these are the defaults, which leave the lockfile's inputs digest unchanged. */
  public boolean isDefault() {
    return equals(DEFAULT);
  }
}
