package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseFilesSetupTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private static DebBuilder baseFiles() {
    return new DebBuilder("base-files", "12.4", "amd64")
        .dir("./etc/dpkg/origins/", 0755)
        .file("./etc/dpkg/origins/debian", "Vendor: Debian\n", 0644)
        .dir("./usr/share/base-files/", 0755)
        .file("./usr/share/base-files/profile", "# profile\n", 0644)
        .file("./usr/share/base-files/dot.bashrc", "# bashrc\n", 0644)
        .dir("./var/run/", 0755)
        .dir("./var/lock/", 0755);
  }

  private FileTree assemble(List<String> warnings, DebBuilder... builders) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder builder : builders) {
      inputs.add(builder.writeInput(work));
    }
    return Assembler.assemble(inputs, new AssemblyOptions("amd64", TIME, cache,
        AlternativesTest.collecting(warnings)));
  }

  @Test
  void defaultsDirectoriesAndLinksWritten() throws IOException {
    FileTree tree = assemble(new ArrayList<>(), baseFiles());

    assertEquals("debian", tree.get("etc/dpkg/origins/default").orElseThrow().linkTarget());
    assertEquals("# profile\n", new String(tree.get("etc/profile").orElseThrow().content()
        .readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(tree.get("root/.bashrc").isPresent());
    assertTrue(tree.get("etc/motd").isEmpty(), "no default motd in the package, so none copied");
    assertEquals("/run", tree.get("var/run").orElseThrow().linkTarget());
    assertEquals("/run/lock", tree.get("var/lock").orElseThrow().linkTarget());
    assertEquals(01777, tree.get("run/lock").orElseThrow().mode());
    FileEntry mail = tree.get("var/mail").orElseThrow();
    assertEquals(02775, mail.mode());
    assertEquals(BaseFilesSetup.MAIL_GID, mail.gid());
    assertEquals("../mail", tree.get("var/spool/mail").orElseThrow().linkTarget());
    assertEquals("share/man", tree.get("usr/local/man").orElseThrow().linkTarget());
    for (String directory : List.of("mnt", "srv", "opt", "media", "usr/local/bin")) {
      assertTrue(tree.get(directory).orElseThrow().isDirectory(), directory);
    }
  }

  @Test
  void nonEmptyVarRunKeptWithWarning() throws IOException {
    List<String> warnings = new ArrayList<>();
    FileTree tree = assemble(warnings, baseFiles(),
        new DebBuilder("daemon", "1", "amd64").dir("./var/run/daemon/", 0755));

    assertTrue(tree.get("var/run").orElseThrow().isDirectory());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("/var/run"), warnings.get(0));
  }

  @Test
  void withoutBaseFilesNothingWritten() throws IOException {
    FileTree tree = assemble(new ArrayList<>(),
        new DebBuilder("other", "1", "amd64").file("./etc/other", "x", 0644));

    assertTrue(tree.get("var/run").isEmpty());
    assertTrue(tree.get("usr/local").isEmpty());
  }

  @Test
  void nsswitchCopiedFromLibcBin() throws IOException {
    FileTree tree = assemble(new ArrayList<>(), new DebBuilder("libc-bin", "2.36-9", "amd64")
        .dir("./usr/share/libc-bin/", 0755)
        .file("./usr/share/libc-bin/nsswitch.conf", "hosts: files dns\n", 0644));

    FileEntry config = tree.get(NameServiceSwitch.CONFIG).orElseThrow();
    assertEquals("hosts: files dns\n", new String(config.content().readAllBytes(),
        StandardCharsets.UTF_8));
    assertEquals(0644, config.mode());
    assertEquals(DebBuilder.PACKAGE_TIME, config.mtime());
  }
}
