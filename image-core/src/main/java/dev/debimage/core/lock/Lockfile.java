package dev.debimage.core.lock;

import dev.debimage.core.report.Distribution;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The contents of {@code image.lock.json}: the digest of the inputs it was resolved from, the
 * verified suites, and the chosen packages. Suites and packages are kept sorted, so equal locks
 * have equal files.
 *
 * @param inputsDigest {@link LockInputs#digest} of the inputs at the time of locking
 * @param architecture the image's Debian architecture
 * @param suites the suites whose Release files were verified, sorted by URI and suite
 * @param packages the chosen packages, sorted by name and architecture
 * @param distribution the distribution that the suites' Release files named, for the package URLs
 *     of the SBOMs, since a locked build reads no Release file
 */
public record Lockfile(
    String inputsDigest,
    String architecture,
    List<LockedSuite> suites,
    List<LockedPackage> packages,
    Distribution distribution) {

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  /** The lockfile's name next to the pom. */
  public static final String FILE_NAME = "image.lock.json";

  private static final Comparator<LockedSuite> SUITE_ORDER =
      Comparator.comparing((LockedSuite suite) -> suite.uri().toString()).thenComparing(LockedSuite::suite);

  private static final Comparator<LockedPackage> PACKAGE_ORDER =
      Comparator.comparing(LockedPackage::name).thenComparing(LockedPackage::architecture);

  /** Sorts and copies the lists. */
  public Lockfile {
    Objects.requireNonNull(inputsDigest, "inputsDigest");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(distribution, "distribution");
    List<LockedSuite> sortedSuites = new ArrayList<>(suites);
    sortedSuites.sort(SUITE_ORDER);
    suites = List.copyOf(sortedSuites);
    List<LockedPackage> sortedPackages = new ArrayList<>(packages);
    sortedPackages.sort(PACKAGE_ORDER);
    packages = List.copyOf(sortedPackages);
  }

  /** Returns the locked packages as the build stages take them, sorted by name. */
  public List<BinaryPackage> binaryPackages() {
    return packages.stream().map(LockedPackage::toBinaryPackage).toList();
  }

  /** Returns the lockfile as JSON: sorted keys, two-space indentation, a newline at the end. */
  public String toJson() {
    return LockfileFormat.toJson(this);
  }

  /**
   * Reads and validates a lockfile.
   *
   * @throws ImageBuildException when the file cannot be read or a field is missing or invalid; the
   *     message names the file, the entry and the field
   */
  public static Lockfile read(Path file) {
    String text = LockfileFormat.readText(file);
    return LockfileFormat.parse(text, file.toString());
  }

  /** Writes the lockfile to {@code file}, replacing it atomically. */
  public void write(Path file) {
    LockfileFormat.writeAtomically(file, toJson());
  }
}
