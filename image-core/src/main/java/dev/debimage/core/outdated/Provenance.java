package dev.debimage.core.outdated;

import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.lock.LockedSuite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The labels and annotations that record which state of the archive an image was built from: the
 * verified suites with the {@code Date} of each Release file, and the SHA-256 of the lockfile when
 * the build used one. {@code image:outdated} compares against the same state.
 */
public final class Provenance {

  /** Each suite as {@code URI SUITE DATE}, sorted, separated by {@code ", "}. */
  public static final String SUITES = "dev.debimage.suites";

  /** The newest {@code Date} among the suites' Release files, ISO 8601. */
  public static final String NEWEST_RELEASE_DATE = "dev.debimage.newest-release-date";

  /** {@code sha256:} and the SHA-256 of the lockfile's bytes, for a locked build. */
  public static final String LOCKFILE_SHA256 = "dev.debimage.lockfile.sha256";

  /** Written in place of the date of a Release file that has no {@code Date} field. */
  static final String NO_DATE = "-";

  private static final Comparator<LockedSuite> ORDER =
      Comparator.comparing((LockedSuite suite) -> suite.uri().toString()).thenComparing(LockedSuite::suite);

  private Provenance() {}

  /** Returns the suites of an index load as a lockfile records them, without duplicates. */
  public static List<LockedSuite> suitesOf(List<IndexLoader.Suite> suites) {
    List<LockedSuite> locked = new ArrayList<>();
    for (IndexLoader.Suite suite : suites) {
      LockedSuite entry = new LockedSuite(suite.archiveRoot(), suite.name(), suite.release().date());
      if (!locked.contains(entry)) {
        locked.add(entry);
      }
    }
    return locked;
  }

  /**
   * Returns the provenance entries, sorted by key. They depend only on the suites, their dates and
   * the lockfile, so two builds from the same archive state or lockfile get the same entries.
   */
  public static SortedMap<String, String> entries(List<LockedSuite> suites, Optional<String> lockfileSha256) {
    SortedMap<String, String> entries = new TreeMap<>();
    entries.put(SUITES, suites.stream().sorted(ORDER)
        .map(suite -> suite.uri() + " " + suite.suite() + " " + suite.date().map(Instant::toString).orElse(NO_DATE))
        .collect(Collectors.joining(", ")));
    suites.stream().map(LockedSuite::date).flatMap(Optional::stream).max(Comparator.naturalOrder())
        .ifPresent(date -> entries.put(NEWEST_RELEASE_DATE, date.toString()));
    lockfileSha256.ifPresent(hex -> entries.put(LOCKFILE_SHA256, "sha256:" + hex));
    return entries;
  }

  /**
   * Returns {@code config} with the entries added as config labels and manifest annotations. A
   * label or annotation that the config already has keeps its value.
   */
  public static ImageConfig addTo(ImageConfig config, Map<String, String> entries) {
    SortedMap<String, String> labels = new TreeMap<>(entries);
    labels.putAll(config.labels());
    SortedMap<String, String> annotations = new TreeMap<>(entries);
    annotations.putAll(config.annotations());
    return new ImageConfig(config.architecture(), config.entrypoint(), config.cmd(), config.environment(),
        config.user(), config.workingDirectory(), config.created(), config.exposedPorts(), config.volumes(),
        labels, config.stopSignal(), annotations);
  }
}
