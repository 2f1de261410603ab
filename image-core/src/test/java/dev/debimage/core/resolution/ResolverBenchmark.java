package dev.debimage.core.resolution;

import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.lock.LockInputs;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.lock.LockedSuite;
import dev.debimage.core.lock.Locker;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.spec.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Measures resolving {@code openjdk-17-jre-headless} from the host's parsed apt lists, and reading
 * the package list back from a lockfile of that resolution, each after JIT warm-up. Run it as
 * docs/benchmarks.md shows; the argument is the number of measured runs (default 50).
 */
public final class ResolverBenchmark {

  private static final List<String> REQUEST = List.of("openjdk-17-jre-headless");
  private static final int WARM_UP_RUNS = 200;

  private ResolverBenchmark() {}

  /** Prints the timings; exits with status 2 when the host has no amd64 main Packages index. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    List<BinaryPackage> universe = HostAptLists.readAll();
    TreeSet<String> suites = new TreeSet<>();
    universe.forEach(binary -> suites.add(binary.suite()));
    if (universe.isEmpty()) {
      System.err.println("no amd64 main Packages index in " + HostAptLists.APT_LISTS);
      System.exit(2);
    }
    System.out.println(universe.size() + " stanzas from suites " + suites);

    long start = System.nanoTime();
    Resolver resolver = new Resolver(universe, "amd64");
    System.out.printf("Resolver construction (cold JVM): %.1f ms%n", (System.nanoTime() - start) / 1e6);

    start = System.nanoTime();
    Resolution resolution = resolver.resolve(REQUEST);
    System.out.printf("first resolution (cold JVM, parses the relationship fields it visits): %.1f ms%n",
        (System.nanoTime() - start) / 1e6);
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      resolver.resolve(REQUEST);
    }
    double[] resolveMillis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long runStart = System.nanoTime();
      Resolution again = resolver.resolve(REQUEST);
      resolveMillis[i] = (System.nanoTime() - runStart) / 1e6;
      if (!again.packages().equals(resolution.packages())) {
        throw new IllegalStateException("resolution changed between runs");
      }
    }
    report("resolve " + REQUEST.get(0) + " (" + resolution.packages().size() + " packages)", resolveMillis);

    List<SourceSpec> sources = List.of(new SourceSpec(
        List.of(HostAptLists.APT_LISTS.toUri()), List.copyOf(suites), List.of("main"), List.of(),
        Optional.empty(), "benchmark"));
    List<LockedSuite> lockedSuites = new ArrayList<>();
    suites.forEach(suite -> lockedSuites.add(new LockedSuite(HostAptLists.APT_LISTS.toUri(), suite, Optional.empty())));
    List<LockedPackage> lockedPackages = new ArrayList<>();
    resolution.packages().forEach(binary ->
        lockedPackages.add(LockedPackage.of(binary, resolution.reasons().get(binary.name()))));
    Lockfile lock = new Lockfile(LockInputs.digest(sources, REQUEST, "amd64"), "amd64", lockedSuites,
        lockedPackages, new Distribution("debian", "debian-12"));
    Path file = Files.createTempFile("benchmark", ".lock.json");
    try {
      lock.write(file);
      for (int i = 0; i < WARM_UP_RUNS; i++) {
        readLock(file, sources);
      }
      double[] lockMillis = new double[runs];
      for (int i = 0; i < runs; i++) {
        long runStart = System.nanoTime();
        List<BinaryPackage> packages = readLock(file, sources);
        lockMillis[i] = (System.nanoTime() - runStart) / 1e6;
        if (packages.size() != resolution.packages().size()) {
          throw new IllegalStateException("the lockfile lists " + packages.size() + " packages");
        }
      }
      report("read lockfile and check its inputs digest (" + lockedPackages.size() + " packages)", lockMillis);
    } finally {
      Files.delete(file);
    }
  }

  /** Does what a locked build does before fetching: read the lock and check the inputs digest. */
  private static List<BinaryPackage> readLock(Path file, List<SourceSpec> sources) {
    Lockfile lock = Lockfile.read(file);
    return Locker.lockedPackages(lock, file.toString(), sources, REQUEST, "amd64");
  }

  private static void report(String what, double[] millis) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    System.out.printf("%s: min %.2f ms, median %.2f ms, max %.2f ms over %d runs after %d warm-up runs%n",
        what, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length, WARM_UP_RUNS);
  }
}
