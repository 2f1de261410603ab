package dev.debimage.core.resolution;

import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.spec.ImageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Selects the packages whose newest version is {@code Essential: yes} or has one of the given
 * {@code Priority} values, plus fixed names, as mmdebstrap's variants and multistrap's {@code
 * Priority: required} bootstrap do.
 */
public final class PrioritySelector implements ImageSpec.PackageSelector {

  private final boolean essential;
  private final Set<String> priorities;
  private final Set<String> names;
  private final String tool;

  /**
   * Creates a selector.
   *
   * @param essential whether to select every {@code Essential: yes} package
   * @param priorities the {@code Priority} values to select, such as {@code required}
   * @param names package names to request in addition, such as {@code apt}
   * @param tool the tool whose package set this imitates, for the build log, such as {@code
   *     multistrap}
   */
  public PrioritySelector(boolean essential, Set<String> priorities, Set<String> names, String tool) {
    if (!essential && priorities.isEmpty()) {
      throw new IllegalArgumentException("a selector needs Essential: yes or at least one priority");
    }
    this.essential = essential;
    this.priorities = new TreeSet<>();
    priorities.forEach(priority -> this.priorities.add(priority.toLowerCase(Locale.ROOT)));
    this.names = new TreeSet<>(names);
    this.tool = tool;
  }

  /** Returns multistrap's selection of the packages with the given priorities. */
  public static PrioritySelector multistrap(Set<String> priorities) {
    if (priorities.isEmpty()) {
      throw new IllegalArgumentException("no priorities");
    }
    return new PrioritySelector(false, priorities, Set.of(), "multistrap");
  }

  /** Returns the priorities this selector selects, sorted and in lower case. */
  public Set<String> priorities() {
    return priorities;
  }

  /** Returns whether this selector selects every {@code Essential: yes} package. */
  public boolean essential() {
    return essential;
  }

  /**
   * Returns the sorted names of the packages whose newest version among {@code available} is
   * essential or has a selected priority, and the fixed names. A package whose older version
   * matches but whose newest does not is left out, since the resolver would install the newest.
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
    TreeSet<String> selected = new TreeSet<>(names);
    for (BinaryPackage candidate : newest.values()) {
      String priority = candidate.stanza().get("Priority", "").strip().toLowerCase(Locale.ROOT);
      if (priorities.contains(priority) || (essential && isEssential(candidate))) {
        selected.add(candidate.name());
      }
    }
    return new ArrayList<>(selected);
  }

  /** Returns whether the package's stanza has {@code Essential: yes}. */
  static boolean isEssential(BinaryPackage binary) {
    return binary.stanza().get("Essential", "").strip().equalsIgnoreCase("yes");
  }

  /** Describes the selection; the lockfile's inputs digest covers this text. */
  @Override
  public String description() {
    List<String> labels = new ArrayList<>();
    if (essential) {
      labels.add("Essential: yes");
    }
    priorities.forEach(priority -> labels.add("Priority: " + priority));
    String text = "packages with " + String.join(" or ", labels);
    if (!names.isEmpty()) {
      text += ", and " + String.join(", ", names);
    }
    return text + " (" + tool + ")";
  }
}
