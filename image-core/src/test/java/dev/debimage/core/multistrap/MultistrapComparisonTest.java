package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.multistrap.MultistrapRunner.Installed;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs the real multistrap on the bookworm example with the host's Debian mirror and compares the
 * packages it installs with the packages that this project resolves from the same file. Every
 * difference must be one that the table under "Measured against multistrap" in
 * docs/multistrap.md lists, and every row of that table must be measured.
 *
 * <p>It runs only as root, with Debian's multistrap package installed and a Debian mirror in the
 * host's apt sources, because multistrap needs all three. It downloads the packages of a minimal
 * bookworm system, about 40 MB, into a temporary directory that it deletes afterwards.
 */
class MultistrapComparisonTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "multistrap-bookworm", "multistrap.conf");
  private static final Path DOC = Path.of("..", "docs", "multistrap.md");
  private static final String HEADING = "## Measured against multistrap";

  /** What kind of difference a documented row describes. */
  enum Kind {
    ONLY_MULTISTRAP("only multistrap"),
    ONLY_HERE("only here"),
    OTHER_VERSION("other version");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One package that differs, and how. */
  record Difference(String name, Kind kind) implements Comparable<Difference> {
    @Override
    public int compareTo(Difference other) {
      return (name + " " + kind).compareTo(other.name + " " + other.kind);
    }

    @Override
    public String toString() {
      return name + " (" + kind.label + ")";
    }
  }

  @Test
  void packageSetMatchesMultistrap() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "MultistrapComparisonTest skipped: multistrap must run as root, and this test runs as "
            + System.getProperty("user.name"));
    assumeTrue(Files.isExecutable(MultistrapRunner.MULTISTRAP),
        "MultistrapComparisonTest skipped: multistrap is not installed (apt-get install multistrap)");
    Optional<URI> debian = hostMirror("bookworm");
    Optional<URI> security = hostMirror("bookworm-security");
    assumeTrue(debian.isPresent() && security.isPresent(),
        "MultistrapComparisonTest skipped: the host's apt sources list no bookworm and"
            + " bookworm-security mirror");

    Path directory = Files.createTempDirectory("multistrap-compare");
    boolean passed = false;
    try {
      Path config = writeConfig(directory, debian.get(), security.get());
      Map<String, Installed> theirs =
          new MultistrapRunner(directory.resolve("multistrap")).run(config, debian.get(), "bookworm", "amd64");
      Map<String, Installed> ours = resolve(config, directory);
      assertFalse(theirs.isEmpty(), "multistrap installed no package");

      TreeSet<Difference> measured = differences(theirs, ours);
      System.out.println("MultistrapComparisonTest: multistrap installed " + theirs.size()
          + " packages, this project resolved " + ours.size() + "; differences: " + measured);
      assertEquals(documented(), measured,
          "differences between multistrap and this project; the table under '" + HEADING + "' in "
              + DOC + " must list exactly these");
      passed = true;
    } finally {
      // A failed run keeps multistrap's tree and log for inspection.
      if (passed) {
        deleteRecursively(directory);
      } else {
        System.out.println("MultistrapComparisonTest: kept " + directory + " for inspection");
      }
    }
  }

  /** Returns the first http URI of the host's apt sources that serves {@code suite}. */
  private static Optional<URI> hostMirror(String suite) {
    List<SourceSpec> sources;
    try {
      sources = HostAptSources.readHost();
    } catch (ImageBuildException e) {
      return Optional.empty();
    }
    return sources.stream()
        .filter(source -> source.suites().contains(suite))
        .flatMap(source -> source.uris().stream())
        .filter(uri -> "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        .findFirst();
  }

  /**
   * Writes the bookworm example with the host's mirrors. {@code ignorenativearch=true} stops
   * multistrap from running maintainer scripts in a chroot, which this project never runs either,
   * so both sides only unpack.
   */
  private static Path writeConfig(Path directory, URI debian, URI security) throws IOException {
    String text = Files.readString(EXAMPLE, StandardCharsets.UTF_8)
        .replace("http://MIRROR/debian-security", security.toString().replaceAll("/+$", ""))
        .replace("http://MIRROR/debian", debian.toString().replaceAll("/+$", ""))
        .replace("[General]\n", "[General]\nignorenativearch=true\n");
    Path config = directory.resolve("multistrap.conf");
    Files.writeString(config, text, StandardCharsets.UTF_8);
    return config;
  }

  /** Resolves the configuration as image:build would, without fetching the packages. */
  private static Map<String, Installed> resolve(Path config, Path directory) {
    MultistrapImport.Result result = MultistrapImport.read(
        MultistrapConfig.parse(config), "amd64", directory.resolve("generated"), BuildListener.NONE);
    ImageSpec spec = result.applyTo(ImageSpec.builder())
        .outputDirectory(directory.resolve("output"))
        .cacheDirectory(ImageSpec.defaultCacheDirectory())
        .build();
    Map<String, Installed> packages = new TreeMap<>();
    for (LockedPackage locked : new ImageBuilder(BuildListener.NONE).lock(spec).packages()) {
      packages.put(locked.name(), new Installed(locked.name(), locked.version(), locked.architecture()));
    }
    return packages;
  }

  static TreeSet<Difference> differences(Map<String, Installed> theirs, Map<String, Installed> ours) {
    TreeSet<Difference> differences = new TreeSet<>();
    for (Installed installed : theirs.values()) {
      Installed mine = ours.get(installed.name());
      if (mine == null) {
        differences.add(new Difference(installed.name(), Kind.ONLY_MULTISTRAP));
      } else if (!mine.equals(installed)) {
        differences.add(new Difference(installed.name(), Kind.OTHER_VERSION));
      }
    }
    for (String name : ours.keySet()) {
      if (!theirs.containsKey(name)) {
        differences.add(new Difference(name, Kind.ONLY_HERE));
      }
    }
    return differences;
  }

  /** Reads the rows {@code | `PACKAGE` | KIND | REASON |} of the table under {@link #HEADING}. */
  static TreeSet<Difference> documented() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    int start = lines.indexOf(HEADING);
    if (start < 0) {
      throw new AssertionError("no '" + HEADING + "' heading in " + DOC);
    }
    TreeSet<Difference> rows = new TreeSet<>();
    List<String> labels = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      labels.add(kind.label);
    }
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String name = cells[1].strip().replace("`", "");
      String label = cells[2].strip();
      Kind kind = null;
      for (Kind candidate : Kind.values()) {
        if (candidate.label.equals(label)) {
          kind = candidate;
        }
      }
      if (kind == null) {
        throw new AssertionError("unknown difference '" + label + "' in " + DOC + ": use one of " + labels);
      }
      rows.add(new Difference(name, kind));
    }
    return rows;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    // Files.walkFileTree does not follow symbolic links, so links in the unpacked tree that point
    // at host paths (such as /etc) are removed, never their targets.
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
        if (error != null) {
          throw error;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
