package dev.debimage.core.outdated;

import dev.debimage.core.lock.LockDiff;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.lock.Lockfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packages of an image for which the archive now offers newer versions, found by comparing
 * the image's package set with a fresh resolution through {@link LockDiff}.
 *
 * @param packages the packages with a newer version, sorted by name
 * @param diff the whole difference, including packages that a fresh resolution adds or removes
 * @param inputsChanged whether the packages, sources or architecture differ from those the baseline
 *     was locked with, so that added and removed packages may come from the pom rather than the
 *     archive
 */
public record OutdatedReport(List<OutdatedPackage> packages, LockDiff diff, boolean inputsChanged) {

  public OutdatedReport {
    packages = List.copyOf(packages);
  }

  /**
   * Compares the baseline lockfile with {@code current}, the lockfile of a resolution made now, and
   * marks each newer version whose suite is in {@code securitySuites}.
   */
  public static OutdatedReport compare(Lockfile baseline, Lockfile current, SecuritySuites securitySuites) {
    LockDiff diff = LockDiff.between(baseline, current);
    Map<String, LockedPackage> now = byKey(current);
    List<OutdatedPackage> outdated = new ArrayList<>();
    for (String entry : diff.upgraded()) {
      // LockDiff writes "key old -> new"; Debian versions contain no space.
      String[] words = entry.split(" ");
      LockedPackage newer = now.get(words[0]);
      outdated.add(new OutdatedPackage(
          words[0], words[1], newer.version(), newer.suite(),
          securitySuites.contains(newer.archiveRoot(), newer.suite())));
    }
    return new OutdatedReport(
        outdated, diff, !baseline.inputsDigest().equals(current.inputsDigest()));
  }

  /**
   * Compares the packages of the last build (see {@link LastBuild}) with {@code current}. The last
   * build records no inputs digest, so {@link #inputsChanged()} is false.
   */
  public static OutdatedReport compare(
      List<LockedPackage> lastBuild, Lockfile current, SecuritySuites securitySuites) {
    Lockfile baseline = new Lockfile(
        current.inputsDigest(), current.architecture(), current.suites(), lastBuild, current.distribution());
    return compare(baseline, current, securitySuites);
  }

  /** Returns the outdated packages whose newer version is a security update. */
  public List<OutdatedPackage> security() {
    return packages.stream().filter(OutdatedPackage::security).toList();
  }

  /** Returns a one-line summary, such as {@code 3 packages have newer versions, 1 from a security suite}. */
  public String summary() {
    if (packages.isEmpty()) {
      return "Every package is at the version the archive offers now";
    }
    return packages.size() + (packages.size() == 1 ? " package has a newer version" : " packages have newer versions")
        + ", " + security().size() + " from a security suite";
  }

  /** Keys packages by name, or by {@code name:arch} for a name present for two architectures, as LockDiff does. */
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
