package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiversionsTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");
  static final Path DPKG_DIVERT = Path.of("/usr/bin/dpkg-divert");

  @TempDir Path work;
  @TempDir Path cache;
  @TempDir Path oracleRoot;

  private FileTree assemble(DebBuilder... builders) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder builder : builders) {
      inputs.add(builder.writeInput(work));
    }
    return Assembler.assemble(inputs, new AssemblyOptions("amd64", TIME, cache));
  }

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  private static DebBuilder diverter() {
    return new DebBuilder("zz-diverter", "1", "amd64")
        .controlFile("preinst", "#!/bin/sh\nset -e\n"
            + "if [ \"$1\" = install ]; then\n"
            + "  dpkg-divert --package zz-diverter --add --rename \\\n"
            + "      --divert /usr/bin/tool.real /bin/tool\n"
            + "fi\n")
        .dir("./usr/bin/", 0755)
        .file("./usr/bin/tool", "wrapper", 0755);
  }

  @Test
  void otherPackagesFileDiverted() throws IOException {
    FileTree tree = assemble(diverter(),
        new DebBuilder("alpha", "1", "amd64").dir("./usr/bin/", 0755)
            .file("./usr/bin/tool", "real tool", 0755));

    assertEquals("wrapper", text(tree, "usr/bin/tool"));
    assertEquals("zz-diverter", tree.get("usr/bin/tool").orElseThrow().owner());
    assertEquals("real tool", text(tree, "usr/bin/tool.real"));
    assertEquals("alpha", tree.get("usr/bin/tool.real").orElseThrow().owner());
    assertEquals("/bin/tool\n/usr/bin/tool.real\nzz-diverter\n",
        text(tree, "var/lib/dpkg/diversions"));
    // dpkg lists the package's own path, and the diversion records where the file is.
    assertTrue(text(tree, "var/lib/dpkg/info/alpha.list").contains("/usr/bin/tool\n"));
  }

  @Test
  void noDiversionsGivesEmptyFile() throws IOException {
    FileTree tree = assemble(new DebBuilder("alpha", "1", "amd64").file("./etc/a", "a", 0644));

    assertEquals("", text(tree, "var/lib/dpkg/diversions"));
  }

  @Test
  void clashingDiversionsRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> assemble(diverter(),
        new DebBuilder("other-diverter", "1", "amd64").controlFile("preinst",
            "#!/bin/sh\ndpkg-divert --package other-diverter --add --divert /usr/bin/tool.x"
                + " /usr/bin/tool\n")));

    assertTrue(e.getMessage().contains("other-diverter"), e.getMessage());
    assertTrue(e.getMessage().contains("zz-diverter"), e.getMessage());
  }

  @Test
  void postinstRenameMovesFile() throws IOException {
    FileTree tree = assemble(
        new DebBuilder("alpha", "1", "amd64").file("./usr/bin/sh", "alpha shell", 0755),
        new DebBuilder("beta", "1", "amd64").controlFile("postinst",
            "#!/bin/sh\ndpkg-divert --package beta --rename --divert /usr/bin/sh.distrib"
                + " --add /usr/bin/sh\n"));

    assertEquals("alpha shell", text(tree, "usr/bin/sh.distrib"));
    assertTrue(tree.get("usr/bin/sh").isEmpty());
  }

  /** Writes diversions with the real dpkg-divert and compares the file byte for byte. */
  @Test
  void fileAgreesWithDpkgDivert() throws Exception {
    assumeTrue(Files.isExecutable(DPKG_DIVERT), "dpkg-divert is not installed");
    Files.createDirectories(oracleRoot.resolve("var/lib/dpkg"));
    List<Diversion> diversions = List.of(
        new Diversion("/bin/sh", "/bin/sh.distrib", "dash", false),
        new Diversion("/usr/share/man/man1/sh.1.gz", "/usr/share/man/man1/sh.distrib.1.gz",
            "dash", false),
        new Diversion("/etc/issue", "/etc/issue.orig", null, false),
        new Diversion("/usr/bin/a", "/usr/bin/a.x", "p", false),
        new Diversion("/usr/bin/b", "/usr/bin/b.x", "p", false),
        new Diversion("/usr/bin/c", "/usr/bin/c.x", "p", false),
        new Diversion("/usr/bin/d", "/usr/bin/d.x", "p", false),
        new Diversion("/usr/lib/caf\u00e9", "/usr/lib/caf\u00e9.x", "p", false));
    Diversions ours = new Diversions();
    for (Diversion diversion : diversions) {
      ours.add(diversion);
      List<String> command = new ArrayList<>(List.of(DPKG_DIVERT.toString(), "--root",
          oracleRoot.toString()));
      command.addAll(diversion.divertingPackage() == null ? List.of("--local")
          : List.of("--package", diversion.divertingPackage()));
      command.addAll(List.of("--no-rename", "--divert", diversion.divertedTo(), "--add",
          diversion.path()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.waitFor(), output);
    }

    assertEquals(Files.readString(oracleRoot.resolve("var/lib/dpkg/diversions")), ours.format());
  }

  @Test
  void mergedUsrAliasReported() throws IOException {
    List<String> warnings = new ArrayList<>();
    List<AssemblyInput> inputs = List.of(
        new DebBuilder("alpha", "1", "amd64").dir("./bin/", 0755)
            .file("./bin/tool", "alpha", 0755).writeInput(work),
        new DebBuilder("beta", "1", "amd64").dir("./usr/bin/", 0755)
            .file("./usr/bin/tool", "beta", 0755).writeInput(work));

    FileTree tree = Assembler.assemble(inputs, new AssemblyOptions("amd64", TIME, cache,
        AlternativesTest.collecting(warnings)));

    assertEquals("beta", text(tree, "usr/bin/tool"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("/bin/tool"), warnings.get(0));
    assertTrue(warnings.get(0).contains("/usr/bin/tool"), warnings.get(0));
    assertTrue(warnings.get(0).contains("beta"), warnings.get(0));
    // Both packages keep the path in their lists, as dpkg does not see the alias.
    assertTrue(text(tree, "var/lib/dpkg/info/alpha.list").contains("/bin/tool\n"));
    assertTrue(text(tree, "var/lib/dpkg/info/beta.list").contains("/usr/bin/tool\n"));
  }

  @Test
  void earlierPackageReplacingKeepsFile() throws IOException {
    FileTree tree = assemble(
        new DebBuilder("alpha", "2", "amd64").field("Replaces", "beta (<< 3)")
            .file("./usr/bin/tool", "alpha", 0755),
        new DebBuilder("beta", "1", "amd64").file("./usr/bin/tool", "beta", 0755)
            .file("./usr/bin/other", "other", 0755));

    assertEquals("alpha", text(tree, "usr/bin/tool"));
    assertTrue(text(tree, "var/lib/dpkg/info/alpha.list").contains("/usr/bin/tool\n"));
    assertTrue(!text(tree, "var/lib/dpkg/info/beta.list").contains("/usr/bin/tool\n"));
    assertTrue(text(tree, "var/lib/dpkg/info/beta.list").contains("/usr/bin/other\n"));
  }

  @Test
  void laterPackageReplacingTakesFileFromList() throws IOException {
    FileTree tree = assemble(
        new DebBuilder("alpha", "1", "amd64").file("./usr/bin/tool", "alpha", 0755),
        new DebBuilder("beta", "1", "amd64").field("Replaces", "alpha")
            .file("./usr/bin/tool", "beta", 0755));

    assertEquals("beta", text(tree, "usr/bin/tool"));
    assertTrue(!text(tree, "var/lib/dpkg/info/alpha.list").contains("/usr/bin/tool\n"));
    assertTrue(text(tree, "var/lib/dpkg/info/beta.list").contains("/usr/bin/tool\n"));
  }

  @Test
  void bucketMatchesDpkgHash() {
    // FNV-1a of "a" is 0xe40c292c; modulo dpkg's 262139 buckets that is 83515.
    assertEquals(83515, Diversions.bucket("/a"));
    assertEquals(Diversions.bucket("a"), Diversions.bucket("///a"));
  }
}
