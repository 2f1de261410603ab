package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares assembled trees with the trees mmdebstrap builds from the same package files: paths,
 * types, modes, owners, link targets and SHA-256 digests. Every difference must fall into one of
 * the classes docs/rootfs.md lists for that package set, and each listed class must occur.
 *
 * <p>mmdebstrap runs once per package set, as root, against the first mirror of the host's
 * {@code /etc/apt/sources.list.d/debian.sources} (or {@code DEBIMAGE_TEST_DEBIAN_MIRROR}), and its
 * output tar, with the package files it used, is kept in {@code ~/.cache/debimage/mmdebstrap}.
 * Delete that directory to compare against the mirror's current packages.
 */
class MmdebstrapFidelityTest {

  static final Path MMDEBSTRAP = Path.of("/usr/bin/mmdebstrap");
  static final Path SOURCES = Path.of("/etc/apt/sources.list.d/debian.sources");
  static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
  static final Path MERGED_USR_HOOK = Path.of("/usr/share/mmdebstrap/hooks/merged-usr");
  static final Path USER_CACHE = Path.of(System.getProperty("user.home"), ".cache/debimage");
  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");
  static final String SUITE = "bookworm";

  @TempDir Path work;

  /** One path's metadata as compared: type, mode, owner, link target and content digest. */
  record Node(char type, int mode, long uid, long gid, String link, String sha256,
      boolean generated) {}

  /** One difference between the two trees at a path; {@code ours} or {@code theirs} may be null. */
  record Difference(String path, String aspect, Node ours, Node theirs) {
    @Override
    public String toString() {
      return "/" + path + " " + aspect + ": ours " + ours + ", mmdebstrap " + theirs;
    }
  }

  /** A documented class of differences, with the predicate that recognizes its members. */
  record DifferenceClass(String name, Predicate<Difference> matches) {}

  @Test
  void minimalBaseMatchesExtract() throws Exception {
    Comparison comparison = compare("base-extract", "extract",
        List.of("base-files", "ca-certificates", "tzdata"));

    comparison.assertClasses(List.of(
        MMDEBSTRAP_SETUP, MULTILIB_LINKS, APT_STATE, GENERATED_BY_US, DPKG_DATABASE));
  }

  @Test
  void javaRuntimeMatchesExtract() throws Exception {
    Comparison comparison = compare("java-extract", "extract",
        List.of("openjdk-17-jre-headless"));

    comparison.assertClasses(List.of(
        MMDEBSTRAP_SETUP, MULTILIB_LINKS, APT_STATE, GENERATED_BY_US, DPKG_DATABASE));
  }

  @Test
  void essentialAndAptMatchExtract() throws Exception {
    Comparison comparison = compare("essential-extract", "extract",
        List.of("?essential", "apt"));

    comparison.assertClasses(List.of(
        MMDEBSTRAP_SETUP, MULTILIB_LINKS, APT_STATE, GENERATED_BY_US, DPKG_DATABASE));
  }

  @Test
  void javaRuntimeMatchesFullInstall() throws Exception {
    Comparison comparison = compare("java-full", "essential",
        List.of("openjdk-17-jre-headless"));

    comparison.assertClasses(List.of(MMDEBSTRAP_SETUP, APT_STATE, ACCOUNTS, JAVA_TRUST_STORE,
        LD_SO_CACHE, SCRIPTS_NOT_EMULATED, DPKG_DATABASE));
  }

  // ---- the documented classes; docs/rootfs.md explains each ----

  static final DifferenceClass MMDEBSTRAP_SETUP = new DifferenceClass(
      "mmdebstrap's own setup files",
      d -> d.ours() == null && (d.path().matches("(dev|proc|sys|etc/apt|var/log)(/.*)?")
          || Set.of("etc/hostname", "etc/resolv.conf", "etc/fstab", "etc/dpkg",
              "etc/dpkg/dpkg.cfg.d").contains(d.path())));

  static final DifferenceClass MULTILIB_LINKS = new DifferenceClass(
      "multilib links of the merged-/usr hook",
      d -> d.ours() == null && d.path().matches("(usr/)?lib(32|x32|64)"));

  static final DifferenceClass APT_STATE = new DifferenceClass(
      "apt's lists, cache and logs",
      d -> d.path().matches("(var/lib/apt|var/cache/apt|var/log/apt)(/.*)?"));

  static final DifferenceClass GENERATED_BY_US = new DifferenceClass(
      "what the scripts would write, which extract does not run",
      d -> d.ours() != null && d.ours().generated() && !d.path().startsWith("var/lib/dpkg/"));

  static final DifferenceClass ACCOUNTS = new DifferenceClass(
      "accounts: the nonroot user and the shadow files",
      d -> Set.of("etc/passwd", "etc/group", "etc/shadow", "etc/gshadow", "home/nonroot")
          .contains(d.path()));

  static final DifferenceClass JAVA_TRUST_STORE = new DifferenceClass(
      "Java trust store bytes",
      d -> d.path().equals("etc/ssl/certs/java/cacerts") && d.aspect().equals("content"));

  static final DifferenceClass LD_SO_CACHE = new DifferenceClass(
      "no /etc/ld.so.cache",
      d -> d.path().equals("etc/ld.so.cache") && d.ours() == null);

  static final DifferenceClass SCRIPTS_NOT_EMULATED = new DifferenceClass(
      "effects of scripts that are not emulated",
      d -> d.ours() == null && d.path().matches("etc/\\.java(/.*)?|etc/environment"
          + "|etc/fonts/conf\\.d/.*|etc/pam\\.d/common-.*|etc/rc.\\.d/.*"
          + "|etc/security/opasswd|etc/shells|etc/sub[ug]id|etc/systemd(/.*)?"
          + "|usr/local/share/(ca-certificates|fonts)|usr/share/info/dir|var/cache/debconf/.*"
          + "|var/lib/pam(/.*)?|var/lib/shells\\.state|var/lib/systemd(/.*)?"));

  static final DifferenceClass DPKG_DATABASE = new DifferenceClass(
      "dpkg database",
      d -> d.path().startsWith("var/lib/dpkg/"));

  // ---- comparison ----

  /** The differences of one package set. */
  final class Comparison {
    final String name;
    final int packageCount;
    final List<Difference> differences;

    Comparison(String name, int packageCount, List<Difference> differences) {
      this.name = name;
      this.packageCount = packageCount;
      this.differences = differences;
    }

    /** Asserts that every difference falls in one of {@code classes} and that each occurs. */
    void assertClasses(List<DifferenceClass> classes) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      Map<String, List<Difference>> examples = new LinkedHashMap<>();
      classes.forEach(c -> counts.put(c.name(), 0));
      List<Difference> unexplained = new ArrayList<>();
      for (Difference difference : differences) {
        DifferenceClass match = classes.stream().filter(c -> c.matches().test(difference))
            .findFirst().orElse(null);
        if (match == null) {
          unexplained.add(difference);
        } else {
          counts.merge(match.name(), 1, Integer::sum);
          List<Difference> some = examples.computeIfAbsent(match.name(), k -> new ArrayList<>());
          if (some.size() < 4) {
            some.add(difference);
          }
        }
      }
      System.out.println(name + ": " + packageCount + " packages, " + differences.size()
          + " differences " + counts);
      examples.forEach((className, some) -> System.out.println("  " + className + ": " + some));
      assertEquals(List.of(), unexplained.subList(0, Math.min(40, unexplained.size())),
          unexplained.size() + " differences are not documented");
      counts.forEach((className, count) ->
          assertTrue(count > 0, name + ": no difference of class '" + className + "'"));
    }
  }

  private Comparison compare(String name, String variant, List<String> includes)
      throws Exception {
    Path tar = mmdebstrapTar(name, variant, includes);
    Map<String, Node> theirs = new TreeMap<>();
    Path debs = Files.createDirectories(work.resolve("debs"));
    readTar(tar, theirs, debs);
    List<AssemblyInput> inputs = inputs(debs);
    assertTrue(inputs.size() >= includes.size(), "too few package files in " + tar);

    FileTree tree = Assembler.assemble(inputs,
        new AssemblyOptions("amd64", TIME, USER_CACHE.resolve("data")));
    Map<String, Node> ours = nodes(tree);

    List<Difference> differences = new ArrayList<>();
    Set<String> paths = new TreeSet<>(ours.keySet());
    paths.addAll(theirs.keySet());
    for (String path : paths) {
      Node mine = ours.get(path);
      Node other = theirs.get(path);
      String aspect = aspect(mine, other);
      if (aspect != null) {
        differences.add(new Difference(path, aspect, mine, other));
      }
    }
    return new Comparison(name, inputs.size(), differences);
  }

  private static String aspect(Node ours, Node theirs) {
    if (ours == null) {
      return "missing in ours";
    }
    if (theirs == null) {
      return "missing in mmdebstrap's";
    }
    if (ours.type() != theirs.type()) {
      return "type";
    }
    if (ours.type() != 'l' && ours.mode() != theirs.mode()) {
      return "mode";
    }
    if (ours.uid() != theirs.uid() || ours.gid() != theirs.gid()) {
      return "owner";
    }
    if (!ours.link().equals(theirs.link())) {
      return "link target";
    }
    if (!ours.sha256().equals(theirs.sha256())) {
      return "content";
    }
    return null;
  }

  /** Returns the cached output tar of mmdebstrap for the package set, running it when missing. */
  private static Path mmdebstrapTar(String name, String variant, List<String> includes)
      throws Exception {
    Path cached = USER_CACHE.resolve("mmdebstrap").resolve(name + ".tar");
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    assumeTrue(Files.isExecutable(MMDEBSTRAP), "mmdebstrap is not installed");
    assumeTrue(isRoot(), "mmdebstrap's root mode needs root");
    String mirror = mirror();
    assumeTrue(mirror != null, "no Debian mirror in " + SOURCES
        + " or DEBIMAGE_TEST_DEBIAN_MIRROR");
    Files.createDirectories(cached.getParent());
    Path partial = cached.resolveSibling(name + ".tar.part");
    List<String> command = new ArrayList<>(List.of(MMDEBSTRAP.toString(), "--quiet",
        "--mode=root", "--format=tar", "--variant=" + variant,
        "--keyring=" + KEYRING, "--hook-dir=" + MERGED_USR_HOOK,
        "--skip=cleanup/apt/cache", "--skip=essential/unlink"));
    for (String include : includes) {
      command.add("--include=" + include);
    }
    command.addAll(List.of(SUITE, partial.toString(), "deb " + mirror + " " + SUITE + " main"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
    return cached;
  }

  private static String mirror() throws IOException {
    String fromEnvironment = System.getenv("DEBIMAGE_TEST_DEBIAN_MIRROR");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.strip();
    }
    if (!Files.isRegularFile(SOURCES)) {
      return null;
    }
    Matcher uris = Pattern.compile("(?m)^URIs:\\s*(\\S+)").matcher(Files.readString(SOURCES));
    return uris.find() ? uris.group(1) : null;
  }

  private static boolean isRoot() throws Exception {
    Process process = new ProcessBuilder("id", "-u").start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0 && output.strip().equals("0");
  }

  /**
   * Reads mmdebstrap's tar into nodes, with merged-/usr paths as they are, and copies the package
   * files of {@code var/cache/apt/archives} into {@code debs}.
   */
  private static void readTar(Path tar, Map<String, Node> nodes, Path debs) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tar), 1 << 16);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String path = PathNames.normalize(entry.getName(), "mmdebstrap tar");
        if (path.isEmpty()) {
          continue;
        }
        int mode = entry.getMode() & 07777;
        long uid = entry.getLongUserId();
        long gid = entry.getLongGroupId();
        Node node;
        if (entry.isDirectory()) {
          node = new Node('d', mode, uid, gid, "", "", false);
        } else if (entry.isSymbolicLink()) {
          node = new Node('l', 0777, uid, gid, entry.getLinkName(), "", false);
        } else if (entry.isLink()) {
          String target = PathNames.normalize(entry.getLinkName(), "mmdebstrap tar");
          node = new Node('f', mode, uid, gid, "", digests.getOrDefault(target, "?"), false);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          node = new Node('c', mode, uid, gid, "", "", false);
        } else {
          String sha256;
          if (path.startsWith("var/cache/apt/archives/") && path.endsWith(".deb")) {
            Path deb = debs.resolve(PathNames.fileName(path));
            try (OutputStream out = Files.newOutputStream(deb)) {
              in.transferTo(out);
            }
            sha256 = DebBuilder.sha256(deb);
          } else {
            sha256 = sha256(in);
          }
          digests.put(path, sha256);
          node = new Node('f', mode, uid, gid, "", sha256, false);
        }
        nodes.put(path, node);
      }
    }
  }

  private static Map<String, Node> nodes(FileTree tree) throws IOException {
    Map<String, Node> nodes = new TreeMap<>();
    for (FileEntry entry : tree.entries()) {
      boolean generated = entry.owner() == null;
      Node node;
      switch (entry.type()) {
        case DIRECTORY:
          node = new Node('d', entry.mode(), entry.uid(), entry.gid(), "", "", generated);
          break;
        case SYMLINK:
          node = new Node('l', 0777, entry.uid(), entry.gid(), entry.linkTarget(), "",
              generated);
          break;
        default:
          try (InputStream in = entry.content().open()) {
            node = new Node('f', entry.mode(), entry.uid(), entry.gid(), "", sha256(in),
                generated);
          }
      }
      nodes.put(entry.path(), node);
    }
    return nodes;
  }

  private static List<AssemblyInput> inputs(Path debs) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    try (var files = Files.list(debs)) {
      for (Path deb : files.sorted().toList()) {
        String sha256 = DebBuilder.sha256(deb);
        Stanza control = DebArchive.open(deb, USER_CACHE.resolve("data"), sha256).control();
        String name = control.require("Package", "test");
        inputs.add(new AssemblyInput(new BinaryPackage(name, control.require("Version", "test"),
            control.require("Architecture", "test"), control, "pool/" + deb.getFileName(),
            Files.size(deb), sha256, URI.create("http://127.0.0.1/debian"), SUITE, "main"),
            deb));
      }
    }
    return inputs;
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
