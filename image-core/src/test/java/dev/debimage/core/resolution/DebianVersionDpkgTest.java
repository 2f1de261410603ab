package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link DebianVersion} with dpkg's own version ordering on generated versions.
 *
 * <p>{@code dpkg --compare-versions} compares one pair per process, which took about 1.2 to 1.5 ms
 * per call on a 2-core development machine, so the direct checks stay small: 2,000 pairs and a
 * sorted chain of 3,000 versions. The bulk checks use {@code Dpkg::Version} from dpkg-dev, the
 * Perl implementation of the same algorithm that dpkg's own tools use, in a single perl process:
 * 150,000 pairs and a sorted chain of 50,000 versions. When the oracle agrees with every adjacent
 * pair of a list sorted by {@link DebianVersion}, it agrees with the order of every pair in the
 * list, because both orders are transitive.
 */
class DebianVersionDpkgTest {

  private static final long SEED = 20261204L;
  private static final int DIRECT_PAIRS = 2_000;
  private static final int CHAIN_VERSIONS = 3_000;
  private static final int BULK_PAIRS = 150_000;
  private static final int BULK_CHAIN_VERSIONS = 50_000;

  /** Reads {@code a b} per line and prints the sign of {@code version_compare(a, b)}. */
  private static final String PERL_ORACLE =
      "use strict; use Dpkg::Version;"
          + " while (my $line = <STDIN>) { chomp $line; my ($a, $b) = split / /, $line;"
          + " print version_compare($a, $b) <=> 0, \"\\n\"; }";
  private static final int PROCESSES = 2;

  @TempDir Path temp;

  @Test
  void agreesWithDpkgOnRandomPairs() throws Exception {
    assumeDpkg();
    List<String[]> pairs = randomPairs(new Random(SEED), DIRECT_PAIRS);
    List<String> claims = new ArrayList<>();
    int equalPairs = 0;
    for (String[] pair : pairs) {
      DebianVersion a = DebianVersion.parse(pair[0]);
      DebianVersion b = DebianVersion.parse(pair[1]);
      int comparison = a.compareTo(b);
      assertEquals(
          Integer.signum(comparison), -Integer.signum(b.compareTo(a)), pair[0] + " vs " + pair[1]);
      if (comparison == 0) {
        equalPairs++;
        assertEquals(a.hashCode(), b.hashCode(), "hash codes of equal " + pair[0] + " and " + pair[1]);
        assertTrue(a.equals(b));
      }
      claims.add(pair[0] + " " + operator(comparison) + " " + pair[1]);
    }
    assertTrue(equalPairs > 100, "the generator makes enough equal pairs: " + equalPairs);
    assertDpkgAgrees(claims);
  }

  @Test
  void agreesWithDpkgOnSortedChain() throws Exception {
    assumeDpkg();
    List<String> claims = new ArrayList<>();
    for (String[] pair : sortedChain(new Random(SEED + 1), CHAIN_VERSIONS)) {
      claims.add(pair[0] + " " + operator(DebianVersion.parse(pair[0]).compareTo(DebianVersion.parse(pair[1]))) + " " + pair[1]);
    }
    assertDpkgAgrees(claims);
  }

  @Test
  void agreesWithDpkgPerlOnManyPairs() throws Exception {
    assumeDpkgPerl();
    List<String[]> pairs = randomPairs(new Random(SEED + 2), BULK_PAIRS);
    int equalPairs = assertPerlAgrees(pairs);
    assertTrue(equalPairs > 2_000, "the generator makes enough equal pairs: " + equalPairs);
  }

  @Test
  void agreesWithDpkgPerlOnLongSortedChain() throws Exception {
    assumeDpkgPerl();
    assertPerlAgrees(sortedChain(new Random(SEED + 3), BULK_CHAIN_VERSIONS));
  }

  /** Returns pairs of generated versions, half of them a version and a slight change of it. */
  private static List<String[]> randomPairs(Random random, int count) {
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String a = randomVersion(random);
      String b = random.nextBoolean() ? randomVersion(random) : mutate(a, random);
      pairs.add(new String[] {a, b});
    }
    return pairs;
  }

  /** Returns the adjacent pairs of {@code count} generated versions sorted by {@link DebianVersion}. */
  private static List<String[]> sortedChain(Random random, int count) {
    List<DebianVersion> versions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      versions.add(DebianVersion.parse(randomVersion(random)));
    }
    versions.sort(null);
    List<String[]> pairs = new ArrayList<>();
    for (int i = 1; i < versions.size(); i++) {
      pairs.add(new String[] {versions.get(i - 1).toString(), versions.get(i).toString()});
    }
    return pairs;
  }

  /**
   * Compares every pair with {@code Dpkg::Version} in one perl process and fails with the pairs
   * where it disagrees with {@link DebianVersion}. Returns the number of equal pairs.
   */
  private int assertPerlAgrees(List<String[]> pairs) throws Exception {
    long start = System.nanoTime();
    Path input = temp.resolve("pairs-" + System.nanoTime() + ".txt");
    List<String> lines = new ArrayList<>();
    pairs.forEach(pair -> lines.add(pair[0] + " " + pair[1]));
    Files.write(input, lines, StandardCharsets.US_ASCII);
    Path output = temp.resolve("signs-" + System.nanoTime() + ".txt");
    Process process =
        new ProcessBuilder("perl", "-e", PERL_ORACLE)
            .redirectInput(input.toFile())
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "perl finished");
    assertEquals(0, process.exitValue(), "perl exit status");
    List<String> signs = Files.readAllLines(output, StandardCharsets.US_ASCII);
    assertEquals(pairs.size(), signs.size(), "perl printed one line per pair");

    List<String> disagreements = new ArrayList<>();
    int equalPairs = 0;
    for (int i = 0; i < pairs.size(); i++) {
      String[] pair = pairs.get(i);
      int ours = Integer.signum(DebianVersion.parse(pair[0]).compareTo(DebianVersion.parse(pair[1])));
      int theirs = Integer.parseInt(signs.get(i).strip());
      if (ours == 0) {
        equalPairs++;
      }
      if (ours != theirs) {
        disagreements.add(pair[0] + " vs " + pair[1] + ": DebianVersion " + ours + ", Dpkg::Version " + theirs);
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("Dpkg::Version checked " + pairs.size() + " comparisons in " + millis + " ms");
    assertEquals(
        List.of(),
        disagreements.subList(0, Math.min(20, disagreements.size())),
        disagreements.size() + " of " + pairs.size() + " comparisons differ from Dpkg::Version");
    return equalPairs;
  }

  private static String operator(int comparison) {
    if (comparison < 0) {
      return "lt";
    }
    return comparison == 0 ? "eq" : "gt";
  }

  /**
   * Runs dpkg on every claim {@code a op b} in a few shell loops at once, and fails with the claims
   * dpkg rejects.
   */
  private void assertDpkgAgrees(List<String> claims) throws Exception {
    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    List<Path> inputs = new ArrayList<>();
    int chunk = (claims.size() + PROCESSES - 1) / PROCESSES;
    for (int p = 0; p < PROCESSES; p++) {
      List<String> part = claims.subList(Math.min(claims.size(), p * chunk), Math.min(claims.size(), (p + 1) * chunk));
      Path input = temp.resolve("claims-" + p + "-" + System.nanoTime() + ".txt");
      Files.write(input, part, StandardCharsets.US_ASCII);
      inputs.add(input);
      ProcessBuilder builder =
          new ProcessBuilder(
              "sh", "-c",
              "while read -r a op b; do dpkg --compare-versions \"$a\" \"$op\" \"$b\" 2>&1"
                  + " || echo \"dpkg disagrees: $a $op $b\"; done < \"$1\"",
              "sh", input.toString());
      builder.redirectErrorStream(true);
      processes.add(builder.start());
    }
    List<String> disagreements = new ArrayList<>();
    for (Process process : processes) {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(5, TimeUnit.MINUTES), "dpkg loop finished");
      assertEquals(0, process.exitValue(), output);
      for (String line : output.split("\n")) {
        if (!line.isBlank()) {
          disagreements.add(line);
        }
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("dpkg checked " + claims.size() + " comparisons in " + millis + " ms");
    assertEquals(
        List.of(),
        disagreements.subList(0, Math.min(20, disagreements.size())),
        disagreements.size() + " of " + claims.size() + " comparisons differ from dpkg");
  }

  private static void assumeDpkg() throws IOException, InterruptedException {
    boolean available;
    try {
      Process process = new ProcessBuilder("dpkg", "--compare-versions", "1", "lt", "2").start();
      available = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      available = false;
    }
    Assumptions.assumeTrue(available, "dpkg is not installed");
  }

  private static void assumeDpkgPerl() throws IOException, InterruptedException {
    boolean available;
    try {
      Process process =
          new ProcessBuilder("perl", "-MDpkg::Version", "-e", "exit(version_compare('1.0', '1.0~rc1') > 0 ? 0 : 1)")
              .redirectErrorStream(true)
              .start();
      process.getInputStream().readAllBytes();
      available = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      available = false;
    }
    Assumptions.assumeTrue(available, "Dpkg::Version is not installed (apt-get install dpkg-dev)");
  }

  /**
   * Generates a valid version from a small alphabet, so that equal parts, tildes, leading zeros,
   * long numbers and missing parts all occur often.
   */
  static String randomVersion(Random random) {
    StringBuilder text = new StringBuilder();
    int epochKind = random.nextInt(10);
    if (epochKind == 0) {
      text.append("0:");
    } else if (epochKind == 1) {
      text.append(random.nextInt(3)).append(':');
    } else if (epochKind == 2) {
      text.append("0").append(random.nextInt(2)).append(':');
    }
    boolean hasRevision = random.nextInt(10) < 5;
    text.append(randomDigits(random));
    text.append(randomFragment(random, hasRevision ? ".+~-" : ".+~"));
    if (hasRevision) {
      text.append('-');
      if (random.nextBoolean()) {
        text.append(randomDigits(random));
      } else {
        text.append(random.nextBoolean() ? "a" : "~");
      }
      text.append(randomFragment(random, ".+~"));
    }
    return text.toString();
  }

  private static String randomFragment(Random random, String symbols) {
    StringBuilder text = new StringBuilder();
    int runs = random.nextInt(5);
    for (int i = 0; i < runs; i++) {
      int kind = random.nextInt(4);
      if (kind == 0) {
        text.append(randomDigits(random));
      } else if (kind == 1) {
        text.append("abzAZ".charAt(random.nextInt(5)));
      } else {
        text.append(symbols.charAt(random.nextInt(symbols.length())));
      }
    }
    return text.toString();
  }

  private static String randomDigits(Random random) {
    int kind = random.nextInt(20);
    if (kind == 0) {
      StringBuilder digits = new StringBuilder();
      int length = 19 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        digits.append(random.nextInt(10));
      }
      return digits.toString();
    }
    if (kind < 4) {
      return "0" + random.nextInt(3);
    }
    return Integer.toString(random.nextInt(kind < 12 ? 3 : 20));
  }

  /** Changes a version slightly, so that near-equal and equal pairs occur. */
  private static String mutate(String version, Random random) {
    switch (random.nextInt(7)) {
      case 0:
        return version + "~";
      case 1:
        return version.contains(":") ? version.substring(version.indexOf(':') + 1) : "0:" + version;
      case 2:
        return version.replaceFirst("([0-9])", "0$1");
      case 3:
        return version + (version.contains("-") ? "0" : "-0");
      case 4:
        return version + "a";
      case 5:
        return version + ".0";
      default:
        return version.replaceFirst("[0-9]", Integer.toString(random.nextInt(10)));
    }
  }
}
