package dev.debimage.core.lock;

import dev.debimage.core.resolution.DebianVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changes between two lockfiles: packages added, removed, upgraded and downgraded, and
 * packages whose version stayed but whose file changed (another SHA256, suite or archive root).
 *
 * @param added packages only in the new lock, as {@code name version}
 * @param removed packages only in the old lock, as {@code name version}
 * @param upgraded packages with a newer version, as {@code name old -> new}
 * @param downgraded packages with an older version, as {@code name old -> new}
 * @param changed packages of the same version from another file or place, as {@code name version (what)}
 */
public record LockDiff(
    List<String> added,
    List<String> removed,
    List<String> upgraded,
    List<String> downgraded,
    List<String> changed) {

  public LockDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    upgraded = List.copyOf(upgraded);
    downgraded = List.copyOf(downgraded);
    changed = List.copyOf(changed);
  }

  /** Compares the packages of two lockfiles. Each list is sorted by package name. */
  public static LockDiff between(Lockfile before, Lockfile after) {
    Map<String, LockedPackage> old = byKey(before);
    Map<String, LockedPackage> now = byKey(after);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> upgraded = new ArrayList<>();
    List<String> downgraded = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(old.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      LockedPackage was = old.get(key);
      LockedPackage is = now.get(key);
      if (was == null) {
        added.add(key + " " + is.version());
      } else if (is == null) {
        removed.add(key + " " + was.version());
      } else {
        int order = DebianVersion.parse(is.version()).compareTo(DebianVersion.parse(was.version()));
        if (order > 0) {
          upgraded.add(key + " " + was.version() + " -> " + is.version());
        } else if (order < 0) {
          downgraded.add(key + " " + was.version() + " -> " + is.version());
        } else if (!was.sha256().equals(is.sha256())) {
          changed.add(key + " " + is.version() + " (SHA256 " + was.sha256() + " -> " + is.sha256() + ")");
        } else if (!was.suite().equals(is.suite()) || !was.archiveRoot().equals(is.archiveRoot())) {
          changed.add(key + " " + is.version() + " (now from " + is.archiveRoot() + " " + is.suite() + ")");
        }
      }
    }
    return new LockDiff(added, removed, upgraded, downgraded, changed);
  }

  /** Returns whether the two package sets are the same. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && upgraded.isEmpty() && downgraded.isEmpty()
        && changed.isEmpty();
  }

  /** Returns one line per change, such as {@code upgraded: curl 7.88.1-10 -> 7.88.1-10+deb12u5}. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    added.forEach(entry -> lines.add("added: " + entry));
    removed.forEach(entry -> lines.add("removed: " + entry));
    upgraded.forEach(entry -> lines.add("upgraded: " + entry));
    downgraded.forEach(entry -> lines.add("downgraded: " + entry));
    changed.forEach(entry -> lines.add("changed: " + entry));
    return lines;
  }

  /** Keys packages by name, with {@code :arch} for a name locked for two architectures. */
  private static Map<String, LockedPackage> byKey(Lockfile lock) {
    Map<String, Integer> counts = new TreeMap<>();
    lock.packages().forEach(pkg -> counts.merge(pkg.name(), 1, Integer::sum));
    Map<String, LockedPackage> keyed = new TreeMap<>();
    for (LockedPackage pkg : lock.packages()) {
      keyed.put(counts.get(pkg.name()) > 1 ? pkg.name() + ":" + pkg.architecture() : pkg.name(), pkg);
    }
    return keyed;
  }
}
