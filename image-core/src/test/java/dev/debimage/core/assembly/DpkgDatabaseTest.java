package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgDatabaseTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private FileTree tree;

  private List<UnpackedPackage> unpack() throws IOException {
    tree = new FileTree(BUILD_TIME);
    List<AssemblyInput> inputs = List.of(
        new DebBuilder("zlib1g", "1:1.2.13.dfsg-1", "amd64")
            .field("Multi-Arch", "same")
            .controlFile("md5sums", "0123456789abcdef0123456789abcdef  usr/lib/libz.so.1\n")
            .dir("./usr/", 0755).dir("./usr/lib/", 0755)
            .file("./usr/lib/libz.so.1", "z", 0644)
            .writeInput(work),
        new DebBuilder("base-files", "12.4", "amd64")
            .controlFile("conffiles", "/etc/issue\n")
            .dir("./etc/", 0755)
            .file("./etc/issue", "Debian\n", 0644)
            .dir("./bin/", 0755)
            .file("./bin/true", "t", 0755)
            .writeInput(work));
    List<UnpackedPackage> unpacked =
        PackageUnpacker.unpack(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache), tree);
    MergedUsr.createTopLevelLinks(tree, BUILD_TIME);
    DpkgDatabase.write(tree, unpacked, "amd64", BUILD_TIME);
    return unpacked;
  }

  private String text(String path) throws IOException {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  /** Copies the tree's var/lib/dpkg to disk so dpkg-query can read it. */
  private Path materializeAdminDir() throws IOException {
    Path admin = work.resolve("admin");
    for (Map.Entry<String, FileEntry> entry : tree.asMap().entrySet()) {
      if (!entry.getKey().startsWith("var/lib/dpkg/")) {
        continue;
      }
      Path target = admin.resolve(entry.getKey().substring("var/lib/dpkg/".length()));
      if (entry.getValue().isDirectory()) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        Files.write(target, entry.getValue().content().readAllBytes());
      }
    }
    return admin;
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  @Test
  void statusStanzasSortedWithStatusAfterPackage() throws IOException {
    unpack();

    String status = text("var/lib/dpkg/status");

    // dpkg's field order, whatever the order in the control file.
    assertTrue(status.startsWith("Package: base-files\nStatus: install ok installed\n"
        + "Maintainer: Test Maintainer <test@example.org>\nArchitecture: amd64\nVersion: 12.4\n"),
        status);
    assertTrue(status.endsWith("\n\n"), "dpkg ends the last stanza with an empty line too");
    assertTrue(status.contains("\n\nPackage: zlib1g\nStatus: install ok installed\n"), status);
    assertTrue(status.contains("Conffiles:\n /etc/issue "), status);
    assertEquals("amd64\n", text("var/lib/dpkg/arch"));
    assertTrue(tree.get("var/lib/dpkg/updates").orElseThrow().isDirectory());
    assertTrue(tree.get("var/lib/dpkg/triggers").orElseThrow().isDirectory());
    assertEquals("1\n", text("var/lib/dpkg/info/format"));
  }

  @Test
  void conffileMd5MatchesContent() throws Exception {
    unpack();
    Path issue = work.resolve("issue");
    Files.writeString(issue, "Debian\n");
    String md5 = run("md5sum", issue.toString()).split(" ")[0];

    assertTrue(text("var/lib/dpkg/status").contains("Conffiles:\n /etc/issue " + md5 + "\n"));
    assertEquals("/etc/issue\n", text("var/lib/dpkg/info/base-files.conffiles"));
  }

  @Test
  void infoFilesUseDpkgNames() throws IOException {
    unpack();

    assertEquals("/.\n/etc\n/etc/issue\n/bin\n/bin/true\n",
        text("var/lib/dpkg/info/base-files.list"));
    assertEquals("/.\n/usr\n/usr/lib\n/usr/lib/libz.so.1\n",
        text("var/lib/dpkg/info/zlib1g:amd64.list"));
    assertEquals("0123456789abcdef0123456789abcdef  usr/lib/libz.so.1\n",
        text("var/lib/dpkg/info/zlib1g:amd64.md5sums"));
    assertTrue(tree.get("var/lib/dpkg/info/zlib1g.list").isEmpty());
    assertTrue(tree.get("var/lib/dpkg/info/base-files.md5sums").isEmpty(),
        "no md5sums file when the package has none");
  }

  @Test
  void dpkgQueryReadsDatabase() throws Exception {
    unpack();
    Path admin = materializeAdminDir();

    String installed = run("dpkg-query", "--admindir=" + admin, "-W",
        "-f=${Package} ${Version} ${db:Status-Abbrev}\\n");
    String files = run("dpkg-query", "--admindir=" + admin, "-L", "zlib1g:amd64");
    String owner = run("dpkg-query", "--admindir=" + admin, "-S", "/bin/true");

    assertEquals("base-files 12.4 ii \nzlib1g 1:1.2.13.dfsg-1 ii \n", installed);
    assertTrue(files.contains("/usr/lib/libz.so.1"), files);
    assertEquals("base-files: /bin/true\n", owner);
  }
}
