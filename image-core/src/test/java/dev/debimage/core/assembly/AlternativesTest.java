package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlternativesTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");
  static final Path UPDATE_ALTERNATIVES = Path.of("/usr/bin/update-alternatives");

  @TempDir Path work;
  @TempDir Path cache;
  @TempDir Path oracleRoot;

  /**
   * Builds a JRE package whose postinst registers its tools the way Debian's OpenJDK packages
   * do, with a loop over the tool names and a manual page follower only where the page exists.
   */
  static DebBuilder jre(int major) {
    String jvm = "./usr/lib/jvm/java-" + major + "-openjdk-amd64/";
    String postinst = "#!/bin/sh\n"
        + "set -e\n"
        + "priority=" + major + "11\n"
        + "basedir=/usr/lib/jvm/java-" + major + "-openjdk-amd64\n"
        + "tools='java keytool'\n"
        + "case \"$1\" in\n"
        + "configure)\n"
        + "    if ! mountpoint -q /proc; then\n"
        + "        echo 'the java command needs /proc' >&2\n"
        + "        exit 1\n"
        + "    fi\n"
        + "    for tool in $tools; do\n"
        + "        unset follower || true\n"
        + "        if [ -e $basedir/man/man1/$tool.1.gz ]; then\n"
        + "            follower=\"--slave \\\n"
        + "                /usr/share/man/man1/$tool.1.gz $tool.1.gz \\\n"
        + "                $basedir/man/man1/$tool.1.gz\"\n"
        + "        fi\n"
        + "        update-alternatives --install /usr/bin/$tool $tool \\\n"
        + "            $basedir/bin/$tool $priority $follower\n"
        + "    done\n"
        + "    ;;\n"
        + "esac\n";
    return new DebBuilder("openjdk-" + major + "-jre-headless", major + ".0.1+1-1", "amd64")
        .controlFile("postinst", postinst)
        .dir(jvm, 0755)
        .dir(jvm + "bin/", 0755)
        .file(jvm + "bin/java", "java " + major, 0755)
        .file(jvm + "bin/keytool", "keytool " + major, 0755)
        .file(jvm + "bin/README", "not executable", 0644)
        .dir(jvm + "man/man1/", 0755)
        .file(jvm + "man/man1/java.1.gz", "manual " + major, 0644);
  }

  /** Builds an awk package that registers itself as mawk's postinst does, with two followers. */
  static DebBuilder awk(String name, int priority) {
    return new DebBuilder(name, "1.0-1", "amd64")
        .controlFile("postinst", "#!/bin/sh\nset -e\n"
            + "if [ \"$1\" = \"configure\" ] || [ \"$1\" = \"abort-upgrade\" ]; then\n"
            + "        update-alternatives --install /usr/bin/awk awk /usr/bin/" + name + " "
            + priority + " \\\n"
            + "            --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/"
            + name + ".1.gz \\\n"
            + "            --slave /usr/bin/nawk nawk /usr/bin/" + name + "\n"
            + "fi\n")
        .dir("./usr/bin/", 0755)
        .file("./usr/bin/" + name, name, 0755)
        .dir("./usr/share/man/man1/", 0755)
        .file("./usr/share/man/man1/" + name + ".1.gz", "manual", 0644);
  }

  private List<UnpackedPackage> unpacked;

  private FileTree unpack(DebBuilder... builders) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder builder : builders) {
      inputs.add(builder.writeInput(work));
    }
    FileTree tree = new FileTree(BUILD_TIME);
    unpacked = PackageUnpacker.unpack(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache), tree);
    MergedUsr.createTopLevelLinks(tree, BUILD_TIME);
    return tree;
  }

  private List<AlternativeRegistration> registrations(FileTree tree, BuildListener listener) {
    return PostinstScripts.read(tree, unpacked, new Diversions(), listener);
  }

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void openJdkPostinstRead() throws IOException {
    FileTree tree = unpack(jre(17));

    List<AlternativeRegistration> found = registrations(tree, BuildListener.NONE);

    String jvm = "/usr/lib/jvm/java-17-openjdk-amd64";
    assertEquals(List.of(
        new AlternativeRegistration("java", "/usr/bin/java", jvm + "/bin/java", 1711,
            List.of(new AlternativeRegistration.Slave("java.1.gz",
                "/usr/share/man/man1/java.1.gz", jvm + "/man/man1/java.1.gz"))),
        new AlternativeRegistration("keytool", "/usr/bin/keytool", jvm + "/bin/keytool", 1711)),
        found);
  }

  @Test
  void linksAndStateFileWritten() throws IOException {
    FileTree tree = unpack(jre(17));

    Alternatives.apply(tree, registrations(tree, BuildListener.NONE), BUILD_TIME,
        BuildListener.NONE);

    FileEntry generic = tree.get("usr/bin/java").orElseThrow();
    assertEquals(EntryType.SYMLINK, generic.type());
    assertEquals("/etc/alternatives/java", generic.linkTarget());
    assertEquals("/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
        tree.get("etc/alternatives/java").orElseThrow().linkTarget());
    assertEquals("java 17", new String(tree.resolve("usr/bin/java").orElseThrow().content()
        .readAllBytes(), StandardCharsets.UTF_8));
    assertEquals("auto\n/usr/bin/java\njava.1.gz\n/usr/share/man/man1/java.1.gz\n\n"
            + "/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n1711\n"
            + "/usr/lib/jvm/java-17-openjdk-amd64/man/man1/java.1.gz\n\n",
        text(tree, "var/lib/dpkg/alternatives/java"));
    assertEquals("/etc/alternatives/java.1.gz",
        tree.get("usr/share/man/man1/java.1.gz").orElseThrow().linkTarget());
    assertTrue(tree.get("usr/bin/README").isEmpty());
  }

  @Test
  void followerWithoutFileSkipped() throws IOException {
    FileTree tree = unpack(jre(17));
    List<AlternativeRegistration> found = new ArrayList<>(registrations(tree, BuildListener.NONE));
    AlternativeRegistration java = found.remove(0);
    found.add(new AlternativeRegistration(java.name(), java.link(), java.path(), java.priority(),
        List.of(new AlternativeRegistration.Slave("java.1.gz", "/usr/share/man/man1/java.1.gz",
            "/usr/lib/jvm/missing.1.gz"))));

    Alternatives.apply(tree, found, BUILD_TIME, BuildListener.NONE);

    assertTrue(tree.get("usr/share/man/man1/java.1.gz").isEmpty());
    assertTrue(tree.get("etc/alternatives/java.1.gz").isEmpty());
    assertTrue(text(tree, "var/lib/dpkg/alternatives/java").contains("/usr/lib/jvm/missing.1.gz"));
  }

  @Test
  void highestPriorityWins() throws IOException {
    FileTree tree = unpack(jre(21), jre(17));

    Alternatives.apply(tree, registrations(tree, BuildListener.NONE), BUILD_TIME,
        BuildListener.NONE);

    assertEquals("/usr/lib/jvm/java-21-openjdk-amd64/bin/java",
        tree.get("etc/alternatives/java").orElseThrow().linkTarget());
    assertEquals("auto\n/usr/bin/keytool\n\n"
        + "/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool\n1711\n"
        + "/usr/lib/jvm/java-21-openjdk-amd64/bin/keytool\n2111\n\n",
        text(tree, "var/lib/dpkg/alternatives/keytool"));
  }

  @Test
  void packageFileAtLinkKeptWithWarning() throws IOException {
    FileTree tree = unpack(jre(17),
        new DebBuilder("other", "1", "amd64").file("./usr/bin/keytool", "other", 0755));
    List<String> warnings = new ArrayList<>();

    Alternatives.apply(tree, registrations(tree, BuildListener.NONE), BUILD_TIME,
        collecting(warnings));

    assertEquals(EntryType.REGULAR, tree.get("usr/bin/keytool").orElseThrow().type());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("other"), warnings.get(0));
    assertEquals(EntryType.SYMLINK, tree.get("usr/bin/java").orElseThrow().type());
  }

  @Test
  void unreadableCallReported() throws IOException {
    FileTree tree = unpack(new DebBuilder("tool", "1", "amd64")
        .controlFile("postinst", "#!/bin/sh\n"
            + "target=$(command -v tool)\n"
            + "update-alternatives --install /usr/bin/t t \"$target\" 10\n")
        .file("./usr/bin/tool", "tool", 0755));
    List<String> warnings = new ArrayList<>();

    List<AlternativeRegistration> found = registrations(tree, collecting(warnings));

    assertEquals(List.of(), found);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("package tool postinst"), warnings.get(0));
    assertTrue(warnings.get(0).contains("update-alternatives --install /usr/bin/t"),
        warnings.get(0));
  }

  /**
   * Runs the calls that the fixtures' postinst scripts make through the real update-alternatives
   * on a copy of the unpacked tree, and compares every link and state file with ours.
   */
  @Test
  void agreesWithUpdateAlternatives() throws Exception {
    assumeTrue(Files.isExecutable(UPDATE_ALTERNATIVES), "update-alternatives is not installed");
    FileTree tree = unpack(awk("gawk", 10), awk("mawk", 5), awk("original-awk", 10), jre(17),
        jre(21));
    TreeWriter.write(tree, oracleRoot, false);
    Files.createDirectories(oracleRoot.resolve("etc/alternatives"));
    Files.createDirectories(oracleRoot.resolve("var/lib/dpkg/alternatives"));
    String jvm17 = "/usr/lib/jvm/java-17-openjdk-amd64";
    String jvm21 = "/usr/lib/jvm/java-21-openjdk-amd64";
    // The calls in the order our unpacking (package name order) reads them.
    List<List<String>> calls = new ArrayList<>();
    for (String awk : List.of("gawk", "mawk")) {
      calls.add(List.of("--install", "/usr/bin/awk", "awk", "/usr/bin/" + awk,
          awk.equals("gawk") ? "10" : "5",
          "--slave", "/usr/share/man/man1/awk.1.gz", "awk.1.gz",
          "/usr/share/man/man1/" + awk + ".1.gz", "--slave", "/usr/bin/nawk", "nawk",
          "/usr/bin/" + awk));
    }
    for (String jvm : List.of(jvm17, jvm21)) {
      String priority = jvm.equals(jvm17) ? "1711" : "2111";
      calls.add(List.of("--install", "/usr/bin/java", "java", jvm + "/bin/java", priority,
          "--slave", "/usr/share/man/man1/java.1.gz", "java.1.gz",
          jvm + "/man/man1/java.1.gz"));
      calls.add(List.of("--install", "/usr/bin/keytool", "keytool", jvm + "/bin/keytool",
          priority));
    }
    calls.add(List.of("--install", "/usr/bin/awk", "awk", "/usr/bin/original-awk", "10",
        "--slave", "/usr/share/man/man1/awk.1.gz", "awk.1.gz",
        "/usr/share/man/man1/original-awk.1.gz", "--slave", "/usr/bin/nawk", "nawk",
        "/usr/bin/original-awk"));
    for (List<String> call : calls) {
      List<String> command = new ArrayList<>(List.of(UPDATE_ALTERNATIVES.toString(), "--root",
          oracleRoot.toString()));
      command.addAll(call);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.waitFor(), output);
    }

    Alternatives.apply(tree, registrations(tree, BuildListener.NONE), BUILD_TIME,
        BuildListener.NONE);

    assertEquals(oracleView(oracleRoot), treeView(tree));
  }

  /** Maps each symbolic link to its target and each alternatives state file to its text. */
  private static Map<String, String> oracleView(Path root) throws IOException {
    Map<String, String> view = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        String relative = root.relativize(path).toString();
        if (Files.isSymbolicLink(path) && !MergedUsr.isFoldedDirectory(relative)) {
          view.put(relative, "-> " + Files.readSymbolicLink(path));
        } else if (relative.startsWith("var/lib/dpkg/alternatives/")) {
          view.put(relative, Files.readString(path));
        }
      }
    }
    return view;
  }

  private static Map<String, String> treeView(FileTree tree) throws IOException {
    Map<String, String> view = new TreeMap<>();
    for (FileEntry entry : tree.entries()) {
      if (entry.type() == EntryType.SYMLINK && !MergedUsr.isFoldedDirectory(entry.path())) {
        view.put(entry.path(), "-> " + entry.linkTarget());
      } else if (entry.path().startsWith("var/lib/dpkg/alternatives/")) {
        view.put(entry.path(), new String(entry.content().readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return view;
  }

  static BuildListener collecting(List<String> warnings) {
    return new BuildListener() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }

      @Override
      public void debug(String message) {}
    };
  }
}
