package dev.debimage.core.report;

import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.sources.ReleaseFile;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The distribution that package URLs name: the {@code pkg:deb} namespace ({@code debian} or {@code
 * ubuntu}) and the {@code distro} qualifier, such as {@code debian-12} or {@code ubuntu-22.04}.
 *
 * @param namespace the purl namespace
 * @param distro the purl {@code distro} qualifier
 */
public record Distribution(String namespace, String distro) {

  /**
   * Derives the distribution from the Release files of the suites. The {@code Origin} field decides
   * the namespace: {@code Ubuntu} gives {@code ubuntu}, anything else {@code debian}. The {@code
   * Version} field of the first suite that has one gives the distro ({@code debian-12} from {@code
   * 12.5}, {@code ubuntu-22.04}), because update and security suites often lack it. Without any
   * Version field, the first suite's {@code Codename} (or suite name) without a {@code -updates},
   * {@code -security}, {@code -backports} or {@code -proposed} suffix is the distro.
   */
  public static Distribution of(List<IndexLoader.Suite> suites) {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("no suites to derive the distribution from");
    }
    String namespace = namespace(suites.get(0).release());
    for (IndexLoader.Suite suite : suites) {
      Optional<String> version = suite.release().stanza().get("Version").map(String::strip);
      if (version.isPresent() && version.get().matches("\\d+(\\.\\d+)*")) {
        String value = namespace.equals("debian") ? version.get().split("\\.")[0] : version.get();
        return new Distribution(namespace, namespace + "-" + value);
      }
    }
    IndexLoader.Suite first = suites.get(0);
    String codename = first.release().codename().orElse(first.name());
    return new Distribution(
        namespace, codename.replaceFirst("-(updates|security|backports|proposed)$", ""));
  }

  private static String namespace(ReleaseFile release) {
    String origin = release.origin().orElse("").strip().toLowerCase(Locale.ROOT);
    return origin.equals("ubuntu") ? "ubuntu" : "debian";
  }
}
