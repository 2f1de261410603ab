package dev.debimage.core.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileContent;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs hooks on small trees as the build user and checks what is read back. */
class TreeCustomizerTest {

  private static final Instant PACKAGE_TIME = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path dir;

  /** Collects what the build reports. */
  static final class Recorder implements BuildListener {
    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @Override
    public void info(String message) {
      infos.add(message);
    }

    @Override
    public void warn(String message) {
      warnings.add(message);
    }

    @Override
    public void debug(String message) {}
  }

  private static FileTree sampleTree() {
    FileTree tree = new FileTree(PACKAGE_TIME);
    tree.addGeneratedDirectory("etc", 0755, 0, 0, PACKAGE_TIME);
    tree.addGeneratedDirectory("var/mail", 02775, 0, 8, PACKAGE_TIME);
    tree.addGeneratedFile("etc/kept", bytes("kept\n"), 0640, 1000, 42, PACKAGE_TIME);
    tree.addGeneratedFile("etc/rewritten", bytes("old\n"), 0644, 1000, 1000, PACKAGE_TIME);
    tree.addGeneratedFile("etc/removed", bytes("gone\n"), 0644, 0, 0, PACKAGE_TIME);
    tree.addGeneratedFile("etc/chmodded", bytes("mode\n"), 0644, 7, 7, PACKAGE_TIME);
    tree.addGeneratedFile("usr/bin/tool", bytes("#!/bin/sh\n"), 04755, 0, 0, PACKAGE_TIME);
    tree.addGeneratedSymlink("etc/outside", "/", PACKAGE_TIME);
    return tree;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Path script(String name, String body) throws IOException {
    Path script = dir.resolve("scripts").resolve(name);
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\nset -e\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private TreeCustomizer.Context context(BuildListener listener) {
    return new TreeCustomizer.Context("amd64", BUILD_TIME, dir.resolve("work"), List.of(), listener);
  }

  private CustomizedTree customize(FileTree tree, List<Path> hooks, BuildListener listener) {
    return TreeCustomizer.apply(tree,
        new ScriptSettings(hooks, MaintainerScriptMode.OFF, MultistrapScripts.NONE), context(listener));
  }

  private static String text(FileEntry entry) throws IOException {
    return new String(entry.content().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void hookChangesAreReadBack() throws Exception {
    FileTree tree = sampleTree();
    Path hook = script("customize.sh", String.join("\n",
        "echo new > \"$1/etc/added\"",
        "echo rewritten > \"$1/etc/rewritten\"",
        "rm \"$1/etc/removed\"",
        "chmod 600 \"$1/etc/chmodded\"",
        "mkdir \"$1/opt\"",
        "ln -s ../etc/added \"$1/opt/link\"",
        "ln \"$1/etc/added\" \"$1/opt/hard\"",
        "echo done", ""));
    Recorder recorder = new Recorder();

    try (CustomizedTree customized = customize(tree, List.of(hook), recorder)) {
      FileTree result = customized.tree();

      FileEntry kept = result.get("etc/kept").orElseThrow();
      assertEquals(tree.get("etc/kept").orElseThrow(), kept);
      assertEquals(1000, kept.uid());
      assertEquals(0640, kept.mode());
      assertEquals(PACKAGE_TIME, kept.mtime());
      assertEquals(04755, result.get("usr/bin/tool").orElseThrow().mode());
      assertEquals(02775, result.get("var/mail").orElseThrow().mode());
      assertEquals(8, result.get("var/mail").orElseThrow().gid());

      FileEntry rewritten = result.get("etc/rewritten").orElseThrow();
      assertEquals("rewritten\n", text(rewritten));
      assertEquals(0, rewritten.uid());
      assertEquals(0, rewritten.gid());
      assertEquals(BUILD_TIME, rewritten.mtime());
      assertInstanceOf(FileContent.TarSlice.class, rewritten.content());

      FileEntry added = result.get("etc/added").orElseThrow();
      assertEquals("new\n", text(added));
      assertEquals(EntryType.REGULAR, added.type());
      assertEquals(0, added.uid());
      assertEquals(BUILD_TIME, added.mtime());

      FileEntry chmodded = result.get("etc/chmodded").orElseThrow();
      assertEquals(0600, chmodded.mode());
      assertEquals(0, chmodded.uid());

      assertTrue(result.get("etc/removed").isEmpty(), "a removed file is still in the tree");
      assertEquals(EntryType.DIRECTORY, result.get("opt").orElseThrow().type());
      assertEquals("../etc/added", result.get("opt/link").orElseThrow().linkTarget());
      FileEntry hard = result.get("opt/hard").orElseThrow();
      assertEquals(EntryType.HARDLINK, hard.type());
      assertEquals("etc/added", hard.linkTarget());
      assertEquals("/", result.get("etc/outside").orElseThrow().linkTarget());

      assertTrue(recorder.infos.contains("[customize.sh] done"), "hook output not reported: " + recorder.infos);
    }
  }

  @Test
  void contentFileDeletedOnClose() throws Exception {
    Path hook = script("write.sh", "echo x > \"$1/etc/x\"\n");
    FileTree result;
    CustomizedTree customized = customize(sampleTree(), List.of(hook), BuildListener.NONE);
    result = customized.tree();
    FileContent.TarSlice content = (FileContent.TarSlice) result.get("etc/x").orElseThrow().content();
    assertTrue(Files.exists(content.tar()));
    customized.close();
    assertFalse(Files.exists(content.tar()), "the content file outlived close()");
    try (Stream<Path> left = Files.list(dir.resolve("work"))) {
      assertEquals(List.of(), left.toList(), "the temporary tree was not deleted");
    }
  }

  @Test
  void rerunsGiveEqualTrees() throws Exception {
    Path hook = script("stamp.sh", "date +%s%N > \"$1/etc/stamp\"\ntouch \"$1/etc/kept2\"\n");
    List<String> first;
    try (CustomizedTree customized = customize(sampleTree(), List.of(hook), BuildListener.NONE)) {
      first = describe(customized.tree());
    }
    Thread.sleep(1100);
    try (CustomizedTree customized = customize(sampleTree(), List.of(hook), BuildListener.NONE)) {
      List<String> second = describe(customized.tree());
      // Only the content of the stamp file differs; every owner, mode and time is the same.
      assertEquals(first.size(), second.size());
      for (int i = 0; i < first.size(); i++) {
        if (!first.get(i).startsWith("etc/stamp ")) {
          assertEquals(first.get(i), second.get(i));
        }
      }
    }
  }

  private static List<String> describe(FileTree tree) throws IOException {
    List<String> lines = new ArrayList<>();
    for (FileEntry entry : tree.entries()) {
      String content = entry.content() == null ? "" : text(entry);
      lines.add(entry.path() + " " + entry.type() + " " + Integer.toOctalString(entry.mode()) + " "
          + entry.uid() + ":" + entry.gid() + " " + entry.mtime() + " " + entry.linkTarget() + " "
          + content);
    }
    return lines;
  }

  @Test
  void fifoLeftOutWithWarning() throws Exception {
    Path hook = script("fifo.sh", "mkfifo \"$1/etc/pipe\"\n");
    Recorder recorder = new Recorder();
    try (CustomizedTree customized = customize(sampleTree(), List.of(hook), recorder)) {
      assertTrue(customized.tree().get("etc/pipe").isEmpty());
      assertEquals(1, recorder.warnings.size(), recorder.warnings.toString());
      assertTrue(recorder.warnings.get(0).contains("/etc/pipe"), recorder.warnings.get(0));
    }
  }

  @Test
  void failingHookNamesExitCodeAndOutput() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      body.append("echo line").append(i).append('\n');
    }
    body.append("echo broken >&2\nexit 3\n");
    Path hook = script("broken.sh", body.toString());

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> customize(sampleTree(), List.of(hook), BuildListener.NONE));

    assertTrue(e.getMessage().contains("customize hook broken.sh"), e.getMessage());
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("broken"), e.getMessage());
    assertTrue(e.getMessage().contains("line30"), e.getMessage());
    assertFalse(e.getMessage().contains("line5\n"), "more than the last lines: " + e.getMessage());
  }

  @Test
  void hooksGetRootDirectory() throws Exception {
    Path log = dir.resolve("args.log");
    Path hook = script("args.sh", "echo \"$# $(test -d \"$1/etc\" && echo dir)\" >> " + log + "\n");
    try (CustomizedTree customized = customize(sampleTree(), List.of(hook, hook), BuildListener.NONE)) {
      assertEquals(List.of("1 dir", "1 dir"), Files.readAllLines(log));
    }
  }

  @Test
  void multistrapStagesRunInOrder() throws Exception {
    Path log = dir.resolve("stages.log");
    Path setup = script("setup.sh", "echo \"setup $# $2 $(basename \"$1\")\" >> " + log + "\n");
    Path download = script("download10", "echo \"download $#\" >> " + log + "\n");
    Path completion = script("completion", "echo \"completion $#\" >> " + log + "\n");
    Path customize = script("customize.sh", "echo \"customize $#\" >> " + log + "\n");
    MultistrapScripts multistrap = new MultistrapScripts(Optional.of(setup), List.of(download),
        List.of(), Optional.empty(), List.of(completion), false);

    try (CustomizedTree customized = TreeCustomizer.apply(sampleTree(),
        new ScriptSettings(List.of(customize), MaintainerScriptMode.OFF, multistrap),
        context(BuildListener.NONE))) {
      assertEquals(
          List.of("setup 2 amd64 root", "download 1", "completion 1", "customize 1"),
          Files.readAllLines(log));
    }
  }

  @Test
  void nativeHooksSkippedWithoutMode() throws Exception {
    Path log = dir.resolve("native.log");
    Path nativeHook = script("native", "echo native >> " + log + "\n");
    MultistrapScripts multistrap = new MultistrapScripts(Optional.empty(), List.of(),
        List.of(nativeHook), Optional.empty(), List.of(), false);
    Recorder recorder = new Recorder();

    try (CustomizedTree customized = TreeCustomizer.apply(sampleTree(),
        new ScriptSettings(List.of(), MaintainerScriptMode.OFF, multistrap), context(recorder))) {
      assertFalse(Files.exists(log), "a native hook ran without maintainer scripts");
      assertEquals(1, recorder.warnings.size());
      assertTrue(recorder.warnings.get(0).contains("<maintainerScripts>"), recorder.warnings.get(0));
    }
  }

  @Test
  void configScriptNeedsMode() throws Exception {
    Path config = script("config.sh", "dpkg --configure -a\n");
    MultistrapScripts multistrap = new MultistrapScripts(Optional.empty(), List.of(), List.of(),
        Optional.of(config), List.of(), false);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> TreeCustomizer.apply(
        sampleTree(), new ScriptSettings(List.of(), MaintainerScriptMode.OFF, multistrap),
        context(BuildListener.NONE)));

    assertTrue(e.getMessage().contains("configscript"), e.getMessage());
    assertTrue(e.getMessage().contains("<maintainerScripts>auto</maintainerScripts>"), e.getMessage());
  }

  @Test
  void modeNeedsDpkgAndShell() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> TreeCustomizer.apply(
        sampleTree(), new ScriptSettings(List.of(), MaintainerScriptMode.AUTO, MultistrapScripts.NONE),
        context(BuildListener.NONE)));

    assertTrue(e.getMessage().contains("/usr/bin/dpkg"), e.getMessage());
    assertTrue(e.getMessage().contains("<maintainerScripts>off</maintainerScripts>"), e.getMessage());
  }

  @Test
  void noScriptsLeavesTreeAlone() {
    FileTree tree = sampleTree();
    try (CustomizedTree customized = TreeCustomizer.apply(tree, ScriptSettings.NONE, context(BuildListener.NONE))) {
      assertTrue(customized.tree() == tree);
    }
    assertFalse(Files.exists(dir.resolve("work")));
  }

  @Test
  void writerRejectsLinkedParent() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root);
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Files.createSymbolicLink(root.resolve("etc"), outside);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DirectoryWriter.locate(root, "etc/passwd"));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    assertThrows(ImageBuildException.class, () -> DirectoryWriter.locate(root, "../x"));
  }

  @Test
  void writerKeepsModesAndLinks() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root);
    FileTree tree = sampleTree();
    tree.addGeneratedDirectory("proc", 0555, 0, 0, PACKAGE_TIME);
    tree.addGeneratedFile("proc/inside", bytes("x"), 0644, 0, 0, PACKAGE_TIME);

    DirectoryWriter.write(tree, root, false);

    assertEquals(04755, (Integer) Files.getAttribute(root.resolve("usr/bin/tool"), "unix:mode") & 07777);
    assertEquals(0555, (Integer) Files.getAttribute(root.resolve("proc"), "unix:mode") & 07777);
    assertEquals("/", Files.readSymbolicLink(root.resolve("etc/outside")).toString());
    assertArrayEquals(bytes("kept\n"), Files.readAllBytes(root.resolve("etc/kept")));
    assertEquals(PACKAGE_TIME, Files.getLastModifiedTime(root.resolve("etc/kept")).toInstant());
    Files.setAttribute(root.resolve("proc"), "unix:mode", 0755);
  }
}
