package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.indexes.BinaryPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolves real packages against the amd64 Packages indexes that apt downloaded on this machine
 * and compares the results with apt's, when there are such indexes. The test is skipped otherwise.
 */
class ResolverArchiveTest {

  private static final Path APT_LISTS = HostAptLists.APT_LISTS;

  private static List<BinaryPackage> universe;

  @BeforeAll
  static void readIndexes() throws IOException {
    List<Path> indexes = HostAptLists.findIndexes();
    Assumptions.assumeTrue(
        indexes.stream().anyMatch(path -> path.getFileName().toString().matches(".*_dists_[a-z]+_main_.*")),
        "no main amd64 Packages index of a release in " + APT_LISTS);
    Assumptions.assumeTrue(
        indexes.stream().anyMatch(path -> path.getFileName().toString().contains("bookworm")),
        "the expected package set is that of bookworm");
    universe = new ArrayList<>();
    for (Path index : indexes) {
      HostAptLists.read(index, universe);
    }
  }

  @Test
  void everyStanzaParses() {
    int groups = 0;
    for (BinaryPackage binary : universe) {
      DebianVersion.parse(binary.version());
      for (String field : List.of("Pre-Depends", "Depends", "Recommends", "Suggests", "Conflicts", "Breaks", "Provides", "Replaces")) {
        groups += Relationship.parse(binary.stanza().get(field, ""), "amd64").groups().size();
      }
    }
    assertTrue(groups > universe.size(), groups + " relationship groups");
  }

  @Test
  void resolvesOpenjdkFromAptLists() {
    long start = System.nanoTime();
    Resolver resolver = new Resolver(universe, "amd64");
    long constructionMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    Resolution first = resolver.resolve(List.of("openjdk-17-jre-headless"));
    long[] millis = new long[5];
    for (int i = 0; i < millis.length; i++) {
      long runStart = System.nanoTime();
      Resolution again = resolver.resolve(List.of("openjdk-17-jre-headless"));
      millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStart);
      assertEquals(first.packages(), again.packages());
    }
    Arrays.sort(millis);
    System.out.println(
        universe.size() + " stanzas; construction " + constructionMillis + " ms; resolution of "
            + first.packages().size() + " packages, median " + millis[2] + " ms; "
            + first.warnings());

    List<String> names = first.packages().stream().map(BinaryPackage::name).toList();
    for (String expected :
        List.of("openjdk-17-jre-headless", "libc6", "ca-certificates-java", "ca-certificates",
            "java-common", "zlib1g", "libnss3", "openssl")) {
      assertTrue(names.contains(expected), expected + " in " + names);
    }
    assertTrue(
        names.size() >= 25 && names.size() <= 120, names.size() + " packages: " + names);
    assertEquals("requested", first.reasons().get("openjdk-17-jre-headless"));
    assertTrue(millis[2] < 100, "median resolution time " + millis[2] + " ms");
  }

  /** Package sets compared with apt: single packages of common images and a few combinations. */
  private static final List<List<String>> APT_PACKAGE_SETS =
      List.of(
          List.of("openjdk-17-jre-headless"),
          List.of("python3"),
          List.of("nginx"),
          List.of("curl"),
          List.of("git"),
          List.of("postfix"),
          List.of("openssh-server"),
          List.of("python3-numpy"),
          List.of("perl"),
          List.of("apache2"),
          List.of("postgresql-15"),
          List.of("redis-server"),
          List.of("ruby"),
          List.of("build-essential"),
          List.of("imagemagick"),
          List.of("vim"),
          List.of("systemd"),
          List.of("default-jre-headless", "maven"),
          List.of("ca-certificates", "tzdata", "netbase"),
          List.of("busybox", "openssl", "jq"));

  /**
   * Compares the closure with what apt would install on an empty system, for each set of {@link
   * #APT_PACKAGE_SETS}. apt-get simulates the installation without root from copies of the same
   * lists, with an empty dpkg status file and none of the host's apt configuration.
   */
  @Test
  void matchesAptSimulation(@TempDir Path temp) throws Exception {
    Assumptions.assumeTrue(AptSimulation.available(), "apt-get is not available");
    AptSimulation apt = AptSimulation.create(temp, APT_LISTS, HostAptLists.findIndexes());
    Resolver resolver = new Resolver(universe, "amd64");
    List<String> differences = new ArrayList<>();
    for (List<String> requests : APT_PACKAGE_SETS) {
      List<String> expected = apt.install(requests);
      List<String> ours =
          resolver.resolve(requests).packages().stream()
              .map(binary -> binary.name() + "=" + binary.version())
              .sorted()
              .toList();
      System.out.println(String.join(" ", requests) + ": " + ours.size() + " packages, apt " + expected.size());
      if (!expected.equals(ours)) {
        List<String> onlyApt = new ArrayList<>(expected);
        onlyApt.removeAll(ours);
        List<String> onlyOurs = new ArrayList<>(ours);
        onlyOurs.removeAll(expected);
        differences.add(String.join(" ", requests) + ": only apt " + onlyApt + ", only debimage " + onlyOurs);
      }
    }
    assertEquals(List.of(), differences, "package sets that differ from apt");
  }
}
