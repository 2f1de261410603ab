package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private FileTree unpack(DebBuilder... builders) throws IOException {
    List<AssemblyInput> inputs = new ArrayList<>();
    for (DebBuilder builder : builders) {
      inputs.add(builder.writeInput(work));
    }
    FileTree tree = new FileTree(BUILD_TIME);
    PackageUnpacker.unpack(inputs, new AssemblyOptions("amd64", BUILD_TIME, cache), tree);
    return tree;
  }

  private static String text(FileEntry entry) throws IOException {
    return new String(entry.content().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void regularFileSymlinkAndHardlinkKept() throws IOException {
    FileTree tree = unpack(new DebBuilder("p", "1", "amd64")
        .dir("./usr/", 0755)
        .dir("./usr/bin/", 0755)
        .file("./usr/bin/su", "su binary", 04755)
        .file("./usr/bin/wall", "wall binary", 02755)
        .symlink("./usr/bin/link", "su")
        .hardlink("./usr/bin/su2", "./usr/bin/su"));

    FileEntry su = tree.get("usr/bin/su").orElseThrow();
    assertEquals(EntryType.REGULAR, su.type());
    assertEquals(04755, su.mode());
    assertEquals("p", su.owner());
    assertEquals("su binary", text(su));
    assertEquals(02755, tree.get("usr/bin/wall").orElseThrow().mode());
    FileEntry link = tree.get("usr/bin/link").orElseThrow();
    assertEquals(EntryType.SYMLINK, link.type());
    assertEquals("su", link.linkTarget());
    FileEntry hard = tree.get("usr/bin/su2").orElseThrow();
    assertEquals(EntryType.HARDLINK, hard.type());
    assertEquals("usr/bin/su", hard.linkTarget());
    assertEquals(04755, hard.mode());
    assertEquals("su binary", text(hard));
  }

  @Test
  void entriesSortedWithParentsFirst() throws IOException {
    FileTree tree = unpack(new DebBuilder("p", "1", "amd64")
        .file("./usr/share/b", "", 0644)
        .file("./usr/share-x", "", 0644)
        .file("./usr/share/a/deep", "", 0644));

    List<String> paths = tree.entries().stream().map(FileEntry::path).toList();

    assertEquals(List.of("usr", "usr/share", "usr/share-x", "usr/share/a", "usr/share/a/deep",
        "usr/share/b"), paths);
    assertEquals(BUILD_TIME, tree.get("usr/share/a").orElseThrow().mtime(),
        "implicit parents get the build timestamp");
  }

  @Test
  void mtimeClampedToBuildTimestamp() throws IOException {
    Instant future = Instant.parse("2030-01-01T00:00:00Z");
    FileTree tree = unpack(new DebBuilder("p", "1", "amd64")
        .fileAt("./etc/new", "x", 0644, future)
        .file("./etc/old", "x", 0644));

    assertEquals(BUILD_TIME, tree.get("etc/new").orElseThrow().mtime());
    assertEquals(DebBuilder.PACKAGE_TIME, tree.get("etc/old").orElseThrow().mtime());
  }

  @Test
  void mergedUsrFoldsTopLevelDirectories() throws IOException {
    FileTree tree = unpack(new DebBuilder("libc6", "2.36-9", "amd64")
        .dir("./bin/", 0755)
        .file("./bin/sh", "shell", 0755)
        .dir("./lib/", 0755)
        .dir("./lib/x86_64-linux-gnu/", 0755)
        .file("./lib/x86_64-linux-gnu/libc.so.6", "libc", 0755)
        .file("./lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "loader", 0755)
        .dir("./lib64/", 0755)
        .symlink("./lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        .hardlink("./sbin/sh-again", "./bin/sh")
        .file("./sbin/ldconfig", "ldconfig", 0755));
    MergedUsr.createTopLevelLinks(tree, BUILD_TIME);

    assertEquals("shell", text(tree.get("usr/bin/sh").orElseThrow()));
    assertTrue(tree.get("usr/lib/x86_64-linux-gnu/libc.so.6").isPresent());
    FileEntry loader = tree.get("usr/lib64/ld-linux-x86-64.so.2").orElseThrow();
    assertEquals("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", loader.linkTarget(),
        "absolute link targets are not rewritten");
    assertEquals("usr/bin/sh", tree.get("usr/sbin/sh-again").orElseThrow().linkTarget(),
        "hard link targets are folded");
    for (String top : List.of("bin", "sbin", "lib", "lib64")) {
      FileEntry link = tree.get(top).orElseThrow();
      assertEquals(EntryType.SYMLINK, link.type(), top);
      assertEquals("usr/" + top, link.linkTarget(), top);
    }
    assertFalse(tree.get("lib32").isPresent(), "lib32 only when something landed there");
    assertFalse(tree.get("bin/sh").isPresent(), "nothing is stored below a link");
    assertEquals("shell", text(tree.resolve("bin/sh").orElseThrow()));
    assertEquals("loader", text(tree.resolve("lib64/ld-linux-x86-64.so.2").orElseThrow()),
        "the absolute target resolves through the top-level links");
  }

  @Test
  void mergedUsrLinkFromPackageKept() throws IOException {
    FileTree tree = unpack(new DebBuilder("base-files", "13", "amd64")
        .symlink("./bin", "usr/bin")
        .dir("./usr/", 0755)
        .dir("./usr/bin/", 0755));
    MergedUsr.createTopLevelLinks(tree, BUILD_TIME);

    FileEntry bin = tree.get("bin").orElseThrow();
    assertEquals("usr/bin", bin.linkTarget());
    assertEquals("base-files", bin.owner());
  }

  @Test
  void foreignLinkAtFoldedDirectoryRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").symlink("./lib", "/etc")));

    assertTrue(e.getMessage().contains("/lib -> /etc"), e.getMessage());
  }

  @Test
  void implicitParentTakesPackageMetadata() throws IOException {
    FileTree tree = unpack(
        new DebBuilder("a-early", "1", "amd64").file("./tmp/x", "x", 0644),
        new DebBuilder("b-base", "1", "amd64").dir("./tmp/", 01777));

    FileEntry tmp = tree.get("tmp").orElseThrow();
    assertEquals(01777, tmp.mode());
    assertEquals("b-base", tmp.owner());
  }

  @Test
  void directoriesMergeFirstPackageWins() throws IOException {
    FileTree tree = unpack(
        new DebBuilder("b", "1", "amd64").dir("./etc/", 0700).file("./etc/b", "b", 0644),
        new DebBuilder("a", "1", "amd64").dir("./etc/", 0755).file("./etc/a", "a", 0644));

    FileEntry etc = tree.get("etc").orElseThrow();
    assertEquals(0755, etc.mode());
    assertEquals("a", etc.owner());
    assertTrue(tree.get("etc/a").isPresent());
    assertTrue(tree.get("etc/b").isPresent());
  }

  @Test
  void conflictingFileWithoutReplacesRejected() throws IOException {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("alpha", "1", "amd64").file("./usr/bin/tool", "alpha", 0755),
        new DebBuilder("beta", "1", "amd64").file("./usr/bin/tool", "beta", 0755)));

    assertTrue(e.getMessage().contains("/usr/bin/tool"), e.getMessage());
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    assertTrue(e.getMessage().contains("beta"), e.getMessage());
    assertTrue(e.getMessage().contains("Replaces"), e.getMessage());
  }

  @Test
  void conflictingFileWithReplacesOverwrites() throws IOException {
    FileTree tree = unpack(
        new DebBuilder("alpha", "1.5", "amd64").file("./usr/bin/tool", "alpha", 0755),
        new DebBuilder("beta", "1", "amd64").field("Replaces", "alpha (<< 2), other")
            .file("./usr/bin/tool", "beta", 0755));

    FileEntry tool = tree.get("usr/bin/tool").orElseThrow();
    assertEquals("beta", tool.owner());
    assertEquals("beta", text(tool));
  }

  @Test
  void replacesVersionConstraintChecked() {
    assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("alpha", "2.1", "amd64").file("./usr/bin/tool", "alpha", 0755),
        new DebBuilder("beta", "1", "amd64").field("Replaces", "alpha (<< 2)")
            .file("./usr/bin/tool", "beta", 0755)));
  }

  @Test
  void directoryAgainstFileRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("alpha", "1", "amd64").dir("./opt/thing/", 0755),
        new DebBuilder("beta", "1", "amd64").field("Replaces", "alpha")
            .file("./opt/thing", "file", 0644)));

    assertTrue(e.getMessage().contains("/opt/thing"), e.getMessage());
  }

  @Test
  void dotDotRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").file("./usr/../../etc/passwd", "x", 0644)));

    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    assertTrue(e.getMessage().contains("evil"), e.getMessage());
  }

  @Test
  void absolutePathRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").file("/etc/passwd", "x", 0644)));

    assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
  }

  @Test
  void deviceNodeRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").characterDevice("./dev/null")));

    assertTrue(e.getMessage().contains("character device"), e.getMessage());
    assertTrue(e.getMessage().contains("./dev/null"), e.getMessage());
  }

  @Test
  void fifoRejected() {
    assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").fifo("./run/pipe")));
  }

  @Test
  void hardlinkToMissingPathRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").hardlink("./usr/bin/x", "./etc/shadow")));

    assertTrue(e.getMessage().contains("./etc/shadow"), e.getMessage());
  }

  @Test
  void hardlinkIntoOtherPackageRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("a", "1", "amd64").file("./etc/secret", "s", 0600),
        new DebBuilder("b", "1", "amd64").hardlink("./usr/copy", "./etc/secret")));

    assertTrue(e.getMessage().contains("package b"), e.getMessage());
  }

  @Test
  void hardlinkWithDotDotRejected() {
    assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("evil", "1", "amd64").file("./usr/a", "a", 0644)
            .hardlink("./usr/b", "./usr/../../a")));
  }

  @Test
  void symlinkedParentDirectoryFollowed() throws IOException {
    FileTree tree = unpack(
        new DebBuilder("a-base", "1", "amd64").dir("./run/", 0755).dir("./var/", 0755)
            .symlink("./var/run", "/run"),
        new DebBuilder("b-daemon", "1", "amd64").dir("./var/run/", 0755)
            .file("./var/run/daemon.conf", "conf", 0644));

    assertEquals(EntryType.SYMLINK, tree.get("var/run").orElseThrow().type());
    assertEquals("conf", text(tree.get("run/daemon.conf").orElseThrow()));
  }

  @Test
  void fileBelowFileRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> unpack(
        new DebBuilder("p", "1", "amd64").file("./etc/x", "x", 0644).file("./etc/x/y", "y", 0644)));

    assertTrue(e.getMessage().contains("/etc/x"), e.getMessage());
  }

  @Test
  void generatedFileReplacesAndKeepsBytes() throws IOException {
    FileTree tree = new FileTree(BUILD_TIME);
    tree.addGeneratedFile("/etc/hostname", "a\n".getBytes(StandardCharsets.UTF_8), 0644, 0, 0,
        BUILD_TIME);
    tree.addGeneratedFile("etc/hostname", "b\n".getBytes(StandardCharsets.UTF_8), 0600, 0, 0,
        BUILD_TIME);
    tree.addGeneratedDirectory("tmp", 01777, 0, 0, BUILD_TIME);
    tree.addGeneratedDirectory("tmp", 0700, 0, 0, BUILD_TIME);

    FileEntry hostname = tree.get("etc/hostname").orElseThrow();
    assertEquals("b\n", text(hostname));
    assertEquals(0600, hostname.mode());
    assertNull(hostname.owner());
    assertArrayEquals(new byte[] {'b', '\n'}, hostname.content().readAllBytes());
    assertEquals(01777, tree.get("tmp").orElseThrow().mode(), "an existing directory is kept");
    assertThrows(ImageBuildException.class,
        () -> tree.addGeneratedFile("tmp", new byte[0], 0644, 0, 0, BUILD_TIME));
  }

  @Test
  void symlinkLoopDetected() {
    FileTree tree = new FileTree(BUILD_TIME);
    tree.addGeneratedSymlink("a", "b", BUILD_TIME);
    tree.addGeneratedSymlink("b", "a", BUILD_TIME);

    assertTrue(tree.resolve("a").isEmpty());
    assertThrows(ImageBuildException.class,
        () -> tree.addGeneratedFile("a/file", new byte[0], 0644, 0, 0, BUILD_TIME));
  }

  @Test
  void linkOutOfTreeStaysInside() throws IOException {
    FileTree tree = unpack(new DebBuilder("escape", "1", "amd64")
        .dir("./usr/", 0755)
        .symlink("./usr/up", "../../../../../../tmp/outside")
        .symlink("./usr/abs", "/etc")
        .file("./usr/up/pwned", "x", 0644)
        .file("./usr/abs/passwd-copy", "y", 0644));

    // Followed as inside a chroot: '..' stops at the root and '/' is the image's root.
    assertEquals("x", text(tree.get("tmp/outside/pwned").orElseThrow()));
    assertEquals("y", text(tree.get("etc/passwd-copy").orElseThrow()));
    for (FileEntry entry : tree.entries()) {
      assertFalse(entry.path().startsWith("/") || entry.path().contains(".."), entry.path());
    }
  }
}
