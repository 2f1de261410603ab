package dev.debimage.core.lock;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.spec.SourceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Records a resolution as a {@link Lockfile}, and checks a lockfile against a build's inputs. */
public final class Locker {

  private Locker() {}

  /**
   * A lockfile together with the verified suites it was resolved from, whose Release files tell
   * more than the lockfile records (such as their {@code Label}).
   *
   * @param lockfile the lockfile of the resolution
   * @param suites the suites whose Release files were verified
   */
  public record Locked(Lockfile lockfile, List<IndexLoader.Suite> suites) {}

  /** Returns the lockfile of a resolution made from {@code suites}. */
  public static Lockfile of(
      String inputsDigest, String architecture, List<IndexLoader.Suite> suites, Resolution resolution) {
    List<LockedSuite> lockedSuites = new ArrayList<>();
    for (IndexLoader.Suite suite : suites) {
      LockedSuite locked = new LockedSuite(suite.archiveRoot(), suite.name(), suite.release().date());
      if (!lockedSuites.contains(locked)) {
        lockedSuites.add(locked);
      }
    }
    List<LockedPackage> lockedPackages = new ArrayList<>();
    for (BinaryPackage binary : resolution.packages()) {
      lockedPackages.add(
          LockedPackage.of(binary, resolution.reasons().getOrDefault(binary.name(), "requested")));
    }
    return new Lockfile(inputsDigest, architecture, lockedSuites, lockedPackages, Distribution.of(suites));
  }

  /**
   * Returns the packages of {@code lock} after checking that it was made from the same inputs.
   *
   * @throws ImageBuildException when the inputs changed since the lock was written, or the lock is
   *     for another architecture
   */
  public static List<BinaryPackage> lockedPackages(
      Lockfile lock, String location, List<SourceSpec> sources, List<String> packages, String architecture) {
    return lockedPackages(lock, location, LockInputs.digest(sources, packages, architecture), architecture);
  }

  /**
   * Returns the packages of {@code lock} after checking that its inputs digest is {@code
   * inputsDigest}, as {@link LockInputs} computes it for the build.
   *
   * @throws ImageBuildException when the inputs changed since the lock was written, or the lock is
   *     for another architecture
   */
  public static List<BinaryPackage> lockedPackages(
      Lockfile lock, String location, String inputsDigest, String architecture) {
    return lockedPackages(lock, location, inputsDigest, architecture, List.of());
  }

  /**
   * Returns the packages of {@code lock} as {@link #lockedPackages(Lockfile, String, String,
   * String)} does; when the inputs changed, the message also names each of {@code requests} (the
   * build's package requests, such as {@code curl} or {@code curl=7.88.1-10}) that the lock does
   * not list, which is the usual cause of a stale lock and often a misspelt name.
   */
  public static List<BinaryPackage> lockedPackages(
      Lockfile lock, String location, String inputsDigest, String architecture, Collection<String> requests) {
    if (!lock.architecture().equals(architecture)) {
      throw new ImageBuildException(
          "the lockfile " + location + " is for architecture " + lock.architecture() + " but the"
              + " image is for " + architecture + ": the pom changed since the lock was written."
              + " Run mvn image:lock to update it");
    }
    if (!inputsDigest.equals(lock.inputsDigest())) {
      throw new ImageBuildException(
          "the lockfile " + location + " does not match the build's inputs: the pom changed since the"
              + " lock was written (its <packages>, <sources>, <architecture>, <variant>,"
              + " <installRecommends>, <excludes> or <preferSuites>, or the host's apt"
              + " sources when the pom names no <sources>)" + missingRequests(lock, requests)
              + ". Run mvn image:lock to update it, or set useLockfile to false to resolve without it");
    }
    return lock.binaryPackages();
  }

  /** Returns {@code "; the lock lists no package named a, b"} for the requests the lock lacks, or "". */
  private static String missingRequests(Lockfile lock, Collection<String> requests) {
    Set<String> locked = new TreeSet<>();
    lock.packages().forEach(entry -> locked.add(entry.name()));
    Set<String> missing = new TreeSet<>();
    for (String request : requests) {
      String name = request.split("[=/:]", 2)[0].strip();
      if (!name.isEmpty() && !locked.contains(name)) {
        missing.add(name);
      }
    }
    return missing.isEmpty() ? "" : "; the lock lists no package named " + String.join(", ", missing);
  }
}
