package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.TarLayerWriter;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes assembled trees to a directory, directly or through a layer tar, and checks them with
 * dpkg itself: {@code dpkg -l} must
 * show every package as installed and {@code dpkg --verify} must find every shipped file intact.
 */
class DpkgIntegrationTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");
  static final Path DPKG = Path.of("/usr/bin/dpkg");

  @TempDir Path work;
  @TempDir Path cache;
  @TempDir Path root;

  static final Path USER_CACHE = Path.of(System.getProperty("user.home"), ".cache/debimage");

  /**
   * The packages whose trees dpkg checks: the sample's Java runtime and packages whose postinst
   * scripts register alternatives, resolved from the host's apt sources with their dependencies.
   */
  static final List<String> PACKAGES = List.of(
      "openjdk-17-jre-headless", "ca-certificates", "tzdata", "mawk", "tar", "util-linux", "debianutils");

  /**
   * Resolves {@link #PACKAGES} for amd64 from the host's apt sources and fetches them into the
   * user's cache, so that only the first run on a machine downloads them. A fixed set keeps the
   * result independent of what other builds left in the cache, such as packages of other
   * architectures or distributions.
   */
  private List<AssemblyInput> cachedDebs() {
    ImageSpec.Builder spec = ImageSpec.builder()
        .architecture("amd64")
        .timestamp(TIME)
        .imageReference("test/dpkg:1")
        .outputDirectory(work.resolve("out"))
        .cacheDirectory(USER_CACHE);
    PACKAGES.forEach(spec::addPackage);
    Lockfile lock;
    try {
      lock = new ImageBuilder(BuildListener.NONE).lock(spec.build());
    } catch (ImageBuildException e) {
      assumeTrue(false, "the host's apt sources cannot be used: " + e.getMessage());
      throw e;
    }
    DownloadCache cache = new DownloadCache(USER_CACHE, new HttpDownloader(BuildListener.NONE), false);
    Map<BinaryPackage, Path> files = new PackageFetcher(cache, BuildListener.NONE).fetch(lock.binaryPackages()).files();
    List<AssemblyInput> inputs = new ArrayList<>();
    files.forEach((pkg, file) -> inputs.add(new AssemblyInput(pkg, file)));
    return inputs;
  }

  /** Writes the tree as a layer and unpacks it with tar, keeping modes, links and owners. */
  private void unpack(FileTree tree) throws Exception {
    LayerBlob blob = TarLayerWriter.write(tree, work.resolve("blobs"));
    List<String> command = new ArrayList<>(List.of("tar", "-xzf", blob.path().toString(),
        "-C", root.toString(), "--numeric-owner"));
    if (!isRoot()) {
      command.add("--no-same-owner");
    }
    run(command);
  }

  private static boolean isRoot() throws Exception {
    return run(List.of("id", "-u")).strip().equals("0");
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    return output;
  }

  private String mode(String path) throws Exception {
    return run(List.of("stat", "-c", "%a", root.resolve(path).toString())).strip();
  }

  private List<String> verify() throws Exception {
    List<String> reports = new ArrayList<>();
    for (String line : run(List.of(DPKG.toString(), "--root=" + root, "--verify")).split("\n")) {
      if (!line.isBlank()) {
        reports.add(line);
      }
    }
    return reports;
  }

  private TreeSet<String> installedPackages() throws Exception {
    TreeSet<String> installed = new TreeSet<>();
    ProcessBuilder builder = new ProcessBuilder(DPKG.toString(), "--root=" + root, "-l");
    builder.environment().put("COLUMNS", "300");
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    for (String line : output.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length > 1 && columns[0].equals("ii")) {
        installed.add(columns[1].replaceAll(":.*", ""));
      }
    }
    return installed;
  }

  /**
   * Drops the reports of files that a second package shipped under the other merged-/usr name.
   * The package cache is shared, so it can hold such pairs from different releases.
   */
  private static List<String> withoutAliasedPaths(List<String> reports, FileTree tree) {
    List<String> kept = new ArrayList<>();
    for (String report : reports) {
      String path = report.substring(report.lastIndexOf(' ') + 1);
      boolean aliased = tree.aliasedPaths().stream()
          .anyMatch(alias -> alias.contains(" ships " + path + " ")
              || alias.contains(" ships " + path + ";"));
      if (!aliased) {
        kept.add(report);
      }
    }
    return kept;
  }

  @Test
  void dpkgSeesCachedPackagesInstalled() throws Exception {
    assumeTrue(Files.isExecutable(DPKG), "dpkg is not installed");
    List<AssemblyInput> inputs = cachedDebs();
    FileTree tree = Assembler.assemble(inputs,
        new AssemblyOptions("amd64", TIME, USER_CACHE.resolve("data")));

    TreeWriter.write(tree, root, isRoot());

    TreeSet<String> expected = new TreeSet<>();
    inputs.forEach(input -> expected.add(input.binaryPackage().name()));
    assertEquals(expected, installedPackages());
    // No emulated effect rewrites a file that a package ships, so dpkg reports nothing but the
    // files that merged /usr shares between two packages, as it does on a dpkg system.
    assertEquals(List.of(), withoutAliasedPaths(verify(), tree));
    assertEquals("1777", mode("tmp"));
    assertEquals("1777", mode("var/tmp"));
    assertEquals("700", mode("root"));
    assertTrue(Files.isDirectory(root.resolve("home")));
    assertTrue(Files.isDirectory(root.resolve("run")));
    if (isRoot()) {
      assertEquals("0:42", run(List.of("stat", "-c", "%u:%g", root.resolve("etc/shadow").toString()))
          .strip());
    }

    // The check can fail: a changed library is reported.
    Path libc = root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6");
    assumeTrue(Files.isRegularFile(libc), "libc6 is not for amd64");
    Files.write(libc, new byte[] {0}, StandardOpenOption.APPEND);
    List<String> reports = verify();
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.get(0).endsWith(" /lib/x86_64-linux-gnu/libc.so.6")
        || reports.get(0).endsWith(" /usr/lib/x86_64-linux-gnu/libc.so.6"), reports.get(0));
  }

  /** Reads the real postinst scripts of the cached packages and checks what they register. */
  @Test
  void cachedPostinstScriptsRead() throws Exception {
    List<AssemblyInput> inputs = cachedDebs();
    List<String> warnings = new ArrayList<>();
    FileTree tree = Assembler.assemble(inputs, new AssemblyOptions("amd64", TIME,
        USER_CACHE.resolve("data"), AlternativesTest.collecting(warnings)));
    TreeSet<String> names = new TreeSet<>();
    inputs.forEach(input -> names.add(input.binaryPackage().name()));
    warnings.forEach(warning -> System.out.println("warning: " + warning));

    Map<String, String> expected = new TreeMap<>(Map.of(
        "mawk", "awk", "tar", "rmt", "util-linux", "pager", "debianutils", "which"));
    expected.put("openjdk-17-jre-headless", "java");
    for (Map.Entry<String, String> pkg : expected.entrySet()) {
      if (names.contains(pkg.getKey())) {
        assertTrue(tree.get("etc/alternatives/" + pkg.getValue()).isPresent(), pkg.toString());
        assertTrue(tree.get("var/lib/dpkg/alternatives/" + pkg.getValue()).isPresent(),
            pkg.toString());
      }
    }
    if (names.contains("openjdk-17-jre-headless")) {
      assertEquals("/etc/alternatives/keytool",
          tree.get("usr/bin/keytool").orElseThrow().linkTarget());
    }
  }

  @Test
  void dpkgReportsFilteredFilesMissing() throws Exception {
    assumeTrue(Files.isExecutable(DPKG), "dpkg is not installed");
    List<AssemblyInput> inputs = cachedDebs();
    AssemblyResult result = Assembler.assembleWithReport(inputs,
        new AssemblyOptions("amd64", TIME, USER_CACHE.resolve("data"))
            .withPathFilters(PathFilters.APPLICATION_DEFAULT));

    TreeWriter.write(result.tree(), root, isRoot());

    // dpkg keeps filtered files in the .list files and md5sums, and --verify reports them as
    // missing, as it does on a system installed with the same path-exclude rules.
    List<String> reports = withoutAliasedPaths(verify(), result.tree());
    assertTrue(result.filteredBytes() > 0);
    for (String report : reports) {
      assertTrue(report.startsWith("missing "), report);
      String path = report.substring(report.lastIndexOf(' ') + 1);
      assertTrue(PathFilters.APPLICATION_DEFAULT.excludes(path, false), report);
    }
    assertTrue(reports.stream().anyMatch(report -> report.contains("/usr/share/doc/")), "" + reports);
  }

  @Test
  void dpkgAcceptsSampleFixtures() throws Exception {
    assumeTrue(Files.isExecutable(DPKG), "dpkg is not installed");
    List<AssemblyInput> inputs = SamplePackages.write(work);
    FileTree tree = Assembler.assemble(inputs, new AssemblyOptions("amd64", TIME, cache));

    unpack(tree);

    assertEquals(new TreeSet<>(List.of("base-files", "dash", "libc6", "openjdk-17-jre-headless")),
        installedPackages());
    assertTrue(Files.isSymbolicLink(root.resolve("lib")));
    assertEquals("1777", run(List.of("stat", "-c", "%a", root.resolve("tmp").toString())).strip());
    if (isRoot()) {
      assertEquals("0:0", run(List.of("stat", "-c", "%u:%g", root.resolve("etc/issue").toString()))
          .strip());
    }
  }

  /**
   * Runs the update-ca-certificates script of the cached ca-certificates package on the unpacked
   * package and compares its bundle and links with what CaCertificates wrote.
   */
  @Test
  void caCertificatesMatchPackageScript() throws Exception {
    assumeTrue(OpenSsl.available(), "openssl is not installed");
    List<AssemblyInput> caCertificates = cachedDebs().stream()
        .filter(input -> input.binaryPackage().name().equals(CaCertificates.PACKAGE)).toList();
    assumeTrue(!caCertificates.isEmpty(), "the package cache holds no ca-certificates");
    FileTree tree = Assembler.assemble(caCertificates,
        new AssemblyOptions("amd64", TIME, USER_CACHE.resolve("data")));
    TreeWriter.write(tree, root, isRoot());
    Path script = root.resolve("usr/sbin/update-ca-certificates");
    assumeTrue(Files.readString(script).contains("--sysroot"),
        "this ca-certificates version has no --sysroot option");
    Map<String, String> expectedLinks = new TreeMap<>();
    for (String path : tree.pathsUnder(CaCertificates.ETC_CERTS_DIR)) {
      FileEntry entry = tree.get(path).orElseThrow();
      if (entry.type() == EntryType.SYMLINK) {
        expectedLinks.put(PathNames.fileName(path), entry.linkTarget());
      }
    }
    byte[] expectedBundle = Files.readAllBytes(root.resolve(CaCertificates.BUNDLE));
    try (Stream<Path> files = Files.list(root.resolve(CaCertificates.ETC_CERTS_DIR))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    run(List.of("sh", script.toString(), "--sysroot", root.toString(),
        "--hooksdir", work.resolve("no-hooks").toString()));

    assertTrue(Arrays.equals(expectedBundle,
        Files.readAllBytes(root.resolve(CaCertificates.BUNDLE))), "bundle bytes differ");
    Map<String, String> scriptLinks = new TreeMap<>();
    try (Stream<Path> files = Files.list(root.resolve(CaCertificates.ETC_CERTS_DIR))) {
      for (Path file : files.toList()) {
        if (Files.isSymbolicLink(file)) {
          // With --sysroot the script links to the certificate through the sysroot prefix.
          String target = Files.readSymbolicLink(file).toString().replace(root.toString() + "/", "/");
          scriptLinks.put(file.getFileName().toString(), target.replace("//", "/"));
        }
      }
    }
    assertEquals(scriptLinks, expectedLinks);
  }
}
