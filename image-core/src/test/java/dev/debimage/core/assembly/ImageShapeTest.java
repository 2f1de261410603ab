package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageShapeTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private FileTree assemble(ImageShape shape) throws IOException {
    return Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", TIME, cache).withShape(shape));
  }

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.resolve(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void usersAndGroupsAdded() throws IOException {
    FileTree tree = assemble(new ImageShape(
        List.of(new UserAccount("app", 1000, 1000, null, null),
            new UserAccount("batch", 1001, 2000, "/srv/batch", "/usr/sbin/nologin")),
        List.of(new GroupAccount("workers", 2000, List.of("app"))),
        List.of()));

    String passwd = text(tree, "etc/passwd");
    assertTrue(passwd.contains("\napp:x:1000:1000:app:/home/app:/bin/sh\n"), passwd);
    assertTrue(passwd.contains("\nbatch:x:1001:2000:batch:/srv/batch:/usr/sbin/nologin\n"),
        passwd);
    String group = text(tree, "etc/group");
    assertTrue(group.contains("\nworkers:x:2000:app\n"), group);
    assertTrue(group.contains("\napp:x:1000:\n"), group);
    assertTrue(text(tree, "etc/gshadow").contains("\nworkers:*::app\n"));
    assertTrue(text(tree, "etc/shadow").contains("\napp:*:"));
    FileEntry home = tree.get("home/app").orElseThrow();
    assertEquals(1000, home.uid());
    assertEquals(1000, home.gid());
    assertEquals(0750, home.mode());
    assertEquals(1001, tree.get("srv/batch").orElseThrow().uid());
  }

  @Test
  void takenNameOrIdRejected() {
    ImageBuildException name = assertThrows(ImageBuildException.class, () -> assemble(
        new ImageShape(List.of(new UserAccount("root", 1000, 1000, null, null)), List.of(),
            List.of())));
    assertTrue(name.getMessage().contains("'root'"), name.getMessage());

    ImageBuildException id = assertThrows(ImageBuildException.class, () -> assemble(
        new ImageShape(List.of(new UserAccount("app", 65532, 1000, null, null)), List.of(),
            List.of())));
    assertTrue(id.getMessage().contains("65532"), id.getMessage());
    assertTrue(id.getMessage().contains("nonroot"), id.getMessage());
  }

  @Test
  void ownGroupClashNamesTheUser() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> assemble(
        new ImageShape(List.of(new UserAccount("app", 20002, 20002, null, null)),
            List.of(new GroupAccount("app", 10001, List.of())), List.of())));
    assertTrue(e.getMessage().startsWith("user app has GID 20002, which no group has"), e.getMessage());
    assertTrue(e.getMessage().contains("'app:x:10001:'"), e.getMessage());
  }

  @Test
  void unknownMemberRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> assemble(
        new ImageShape(List.of(), List.of(new GroupAccount("g", 3000, List.of("ghost"))),
            List.of())));
    assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
  }

  @Test
  void invalidValuesNamed() {
    assertMessage("'App'", () -> new UserAccount("App", 1, 1, null, null));
    assertMessage("-1", () -> new UserAccount("app", -1, 1, null, null));
    assertMessage("'home'", () -> new UserAccount("app", 1, 1, "home", null));
    assertMessage("'sh'", () -> new UserAccount("app", 1, 1, null, "sh"));
    assertMessage("4294967295", () -> new GroupAccount("g", 4294967295L, List.of()));
    assertMessage("'relative/path'", () -> new PathDirective.Directory("relative/path", 0755, 0, 0));
    assertMessage("'/a/../b'", () -> new PathDirective.Directory("/a/../b", 0755, 0, 0));
    assertMessage("'/'", () -> new PathDirective.Symlink("/", "x"));
    assertMessage("'0999'", () -> PathDirective.parseMode("0999", "/data"));
    assertMessage("/data", () -> PathDirective.parseMode("rwx", "/data"));
    assertMessage("/x", () -> new PathDirective.Permissions("/x", null, null, null, false));
    assertMessage("twice", () -> new ImageShape(List.of(new UserAccount("a", 1, 1, null, null),
        new UserAccount("a", 2, 2, null, null)), List.of(), List.of()));
  }

  private static void assertMessage(String expected, Runnable action) {
    ImageBuildException e = assertThrows(ImageBuildException.class, action::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void pathsApplied() throws IOException {
    FileTree tree = assemble(new ImageShape(List.of(), List.of(), List.of(
        new PathDirective.Directory("/app/data", 0770, 65532, 65532),
        new PathDirective.File("/app/config.properties",
            "mode=prod\n".getBytes(StandardCharsets.UTF_8), 0640, 0, 65532),
        new PathDirective.Symlink("/app/current", "data"),
        new PathDirective.Directory("/tmp", 01777, 0, 0),
        new PathDirective.Permissions("/etc/issue", 0600, null, 65532L, false),
        new PathDirective.Permissions("/app", null, 65532L, null, true))));

    FileEntry data = tree.get("app/data").orElseThrow();
    assertEquals(EntryType.DIRECTORY, data.type());
    assertEquals(0770, data.mode());
    assertEquals(65532, data.gid());
    assertEquals("mode=prod\n", text(tree, "app/config.properties"));
    assertEquals(0640, tree.get("app/config.properties").orElseThrow().mode());
    assertEquals("data", tree.get("app/current").orElseThrow().linkTarget());
    FileEntry issue = tree.get("etc/issue").orElseThrow();
    assertEquals(0600, issue.mode());
    assertEquals(0, issue.uid());
    assertEquals(65532, issue.gid());
    assertEquals(65532, tree.get("app").orElseThrow().uid());
    assertEquals(65532, tree.get("app/config.properties").orElseThrow().uid());
    assertEquals(0755, tree.get("app").orElseThrow().mode());
  }

  @Test
  void permissionsOnMissingPathRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> assemble(
        new ImageShape(List.of(), List.of(),
            List.of(new PathDirective.Permissions("/missing", 0700, null, null, false)))));
    assertTrue(e.getMessage().contains("/missing"), e.getMessage());
  }

  @Test
  void shapeChangesCacheKey() {
    AssemblyOptions plain = new AssemblyOptions("amd64", TIME, cache);
    AssemblyOptions shaped = plain.withShape(new ImageShape(List.of(), List.of(),
        List.of(new PathDirective.Symlink("/a", "b"))));

    assertNotEquals(plain.treeSettingsKey(), shaped.treeSettingsKey());
  }
}
