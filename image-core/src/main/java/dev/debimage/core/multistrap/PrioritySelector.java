package dev.debimage.core.multistrap;

import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.DebianVersion;
import dev.debimage.core.spec.ImageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Selects every package whose newest version has one of the given {@code Priority} values, as
 * multistrap adds the {@code Priority: required} (and, with {@code addimportant}, {@code
 * important}) packages of the bootstrap sources.
 */
public final class PrioritySelector implements ImageSpec.PackageSelector {

  private final Set<String> priorities;

  /** Creates a selector for the given priorities, such as {@code required} and {@code important}. */
  public PrioritySelector(Set<String> priorities) {
    if (priorities.isEmpty()) {
      throw new IllegalArgumentException("no priorities");
    }
    this.priorities = new TreeSet<>(priorities);
  }

  /** The priorities this selector selects, sorted. */
  public Set<String> priorities() {
    return priorities;
  }

  /**
   * Returns the sorted names of the packages whose newest version among {@code available} has a
   * selected priority. A package whose older version has the priority but whose newest does not
   * is left out, since the resolver would install the newest.
   */
  @Override
  public List<String> select(List<BinaryPackage> available) {
    Map<String, BinaryPackage> newest = new HashMap<>();
    Map<String, DebianVersion> newestVersion = new HashMap<>();
    for (BinaryPackage candidate : available) {
      DebianVersion version = DebianVersion.parse(candidate.version());
      DebianVersion best = newestVersion.get(candidate.name());
      if (best == null || version.compareTo(best) > 0) {
        newest.put(candidate.name(), candidate);
        newestVersion.put(candidate.name(), version);
      }
    }
    TreeSet<String> names = new TreeSet<>();
    for (BinaryPackage candidate : newest.values()) {
      String priority = candidate.stanza().get("Priority", "").strip().toLowerCase(Locale.ROOT);
      if (priorities.contains(priority)) {
        names.add(candidate.name());
      }
    }
    return new ArrayList<>(names);
  }

  @Override
  public String description() {
    List<String> labels = new ArrayList<>();
    priorities.forEach(priority -> labels.add("Priority: " + priority));
    return "packages with " + String.join(" or ", labels) + " (multistrap)";
  }
}
