package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlternativesTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private static DebBuilder jre(int major) {
    String jvm = "./usr/lib/jvm/java-" + major + "-openjdk-amd64/";
    return new DebBuilder("openjdk-" + major + "-jre-headless", major + ".0.1+1-1", "amd64")
        .dir(jvm, 0755)
        .dir(jvm + "bin/", 0755)
        .file(jvm + "bin/java", "java " + major, 0755)
        .file(jvm + "bin/keytool", "keytool " + major, 0755)
        .file(jvm + "bin/README", "not executable", 0644);
  }

  private FileTree unpack(DebBuilder... builders) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder builder : builders) {
      inputs.add(builder.writeInput(work));
    }
    FileTree tree = new FileTree(BUILD_TIME);
    PackageUnpacker.unpack(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache), tree);
    return tree;
  }

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void openJdkExecutablesRegistered() throws IOException {
    FileTree tree = unpack(jre(17));

    List<AlternativeRegistration> found = OpenJdkAlternatives.find(tree);

    assertEquals(List.of(
        new AlternativeRegistration("java", "/usr/bin/java",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", 1711),
        new AlternativeRegistration("keytool", "/usr/bin/keytool",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool", 1711)), found);
  }

  @Test
  void linksAndStateFileWritten() throws IOException {
    FileTree tree = unpack(jre(17));

    Alternatives.apply(tree, OpenJdkAlternatives.find(tree), BUILD_TIME, BuildListener.NONE);

    FileEntry generic = tree.get("usr/bin/java").orElseThrow();
    assertEquals(EntryType.SYMLINK, generic.type());
    assertEquals("/etc/alternatives/java", generic.linkTarget());
    assertEquals("/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
        tree.get("etc/alternatives/java").orElseThrow().linkTarget());
    assertEquals("java 17", new String(tree.resolve("usr/bin/java").orElseThrow().content()
        .readAllBytes(), StandardCharsets.UTF_8));
    assertEquals("auto\n/usr/bin/java\n\n/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n1711\n\n",
        text(tree, "var/lib/dpkg/alternatives/java"));
    assertTrue(tree.get("usr/bin/README").isEmpty());
  }

  @Test
  void highestPriorityWins() throws IOException {
    FileTree tree = unpack(jre(21), jre(17));

    Alternatives.apply(tree, OpenJdkAlternatives.find(tree), BUILD_TIME, BuildListener.NONE);

    assertEquals("/usr/lib/jvm/java-21-openjdk-amd64/bin/java",
        tree.get("etc/alternatives/java").orElseThrow().linkTarget());
    assertEquals("auto\n/usr/bin/java\n\n"
        + "/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n1711\n"
        + "/usr/lib/jvm/java-21-openjdk-amd64/bin/java\n2111\n\n",
        text(tree, "var/lib/dpkg/alternatives/java"));
  }

  @Test
  void packageFileAtLinkKeptWithWarning() throws IOException {
    FileTree tree = unpack(jre(17),
        new DebBuilder("other", "1", "amd64").file("./usr/bin/keytool", "other", 0755));
    List<String> warnings = new ArrayList<>();
    BuildListener listener = new BuildListener() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }

      @Override
      public void debug(String message) {}
    };

    Alternatives.apply(tree, OpenJdkAlternatives.find(tree), BUILD_TIME, listener);

    assertEquals(EntryType.REGULAR, tree.get("usr/bin/keytool").orElseThrow().type());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("other"), warnings.get(0));
    assertEquals(EntryType.SYMLINK, tree.get("usr/bin/java").orElseThrow().type());
  }

  @Test
  void stateFileFormatParsedByUpdateAlternatives() throws Exception {
    FileTree tree = unpack(jre(17));
    Alternatives.apply(tree, OpenJdkAlternatives.find(tree), BUILD_TIME, BuildListener.NONE);
    Path admin = work.resolve("alternatives-admin");
    java.nio.file.Files.createDirectories(admin);
    java.nio.file.Files.writeString(admin.resolve("java"),
        text(tree, "var/lib/dpkg/alternatives/java"));

    Process process = new ProcessBuilder("update-alternatives", "--admindir", admin.toString(),
        "--altdir", work.resolve("altdir").toString(), "--query", "java")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();

    assertTrue(output.contains("Status: auto"), output);
    assertTrue(output.contains("Alternative: /usr/lib/jvm/java-17-openjdk-amd64/bin/java"), output);
    assertTrue(output.contains("Priority: 1711"), output);
  }
}
