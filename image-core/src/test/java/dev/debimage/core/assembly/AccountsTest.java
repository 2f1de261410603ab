package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountsTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  private static String text(FileTree tree, String path) throws IOException {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  private static void addFile(FileTree tree, String path, String text) {
    tree.addGeneratedFile(path, text.getBytes(StandardCharsets.UTF_8), 0644, 0, 0, BUILD_TIME);
  }

  @Test
  void minimalSetWithoutShell() throws IOException {
    FileTree tree = new FileTree(BUILD_TIME);

    Accounts.write(tree, BUILD_TIME);

    assertEquals("root:x:0:0:root:/root:/usr/sbin/nologin\n"
        + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        + "nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n",
        text(tree, "etc/passwd"));
    assertEquals("root:x:0:\nshadow:x:42:\nnogroup:x:65534:\nnonroot:x:65532:\n",
        text(tree, "etc/group"));
    long days = 20240; // 2025-06-01 is day 20240 after 1970-01-01
    assertEquals("root:*:" + days + ":0:99999:7:::\nnobody:*:" + days + ":0:99999:7:::\n"
        + "nonroot:*:" + days + ":0:99999:7:::\n", text(tree, "etc/shadow"));
    assertEquals("root:*::\nshadow:*::\nnogroup:*::\nnonroot:*::\n", text(tree, "etc/gshadow"));
  }

  @Test
  void shadowFilesReadableByShadowGroupOnly() {
    FileTree tree = new FileTree(BUILD_TIME);

    Accounts.write(tree, BUILD_TIME);

    for (String path : new String[] {"etc/shadow", "etc/gshadow"}) {
      FileEntry entry = tree.get(path).orElseThrow();
      assertEquals(0640, entry.mode(), path);
      assertEquals(0, entry.uid(), path);
      assertEquals(42, entry.gid(), path);
    }
    assertEquals(0644, tree.get("etc/passwd").orElseThrow().mode());
  }

  @Test
  void directoriesCreated() {
    FileTree tree = new FileTree(BUILD_TIME);

    Accounts.write(tree, BUILD_TIME);

    FileEntry home = tree.get("home/nonroot").orElseThrow();
    assertEquals(0750, home.mode());
    assertEquals(65532, home.uid());
    assertEquals(65532, home.gid());
    assertEquals(BUILD_TIME, home.mtime());
    assertEquals(0700, tree.get("root").orElseThrow().mode());
    assertEquals(01777, tree.get("tmp").orElseThrow().mode());
    assertEquals(01777, tree.get("var/tmp").orElseThrow().mode());
    assertTrue(tree.get("run").orElseThrow().isDirectory());
    assertTrue(tree.get("home").orElseThrow().isDirectory());
  }

  @Test
  void baseDashPasswdMasterFilesUsed() throws IOException {
    FileTree tree = new FileTree(BUILD_TIME);
    addFile(tree, "usr/bin/sh", "shell");
    addFile(tree, "usr/share/base-passwd/passwd.master",
        "root:*:0:0:root:/root:/bin/bash\ndaemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
    addFile(tree, "usr/share/base-passwd/group.master",
        "root:*:0:\ndaemon:*:1:\nshadow:*:42:\n");

    Accounts.write(tree, BUILD_TIME);

    assertEquals("root:x:0:0:root:/root:/bin/sh\n"
        + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        + "nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n", text(tree, "etc/passwd"));
    assertEquals("root:x:0:\ndaemon:x:1:\nshadow:x:42:\nnonroot:x:65532:\n",
        text(tree, "etc/group"));
  }

  @Test
  void rootShellKeptWhenInstalled() throws IOException {
    FileTree tree = new FileTree(BUILD_TIME);
    addFile(tree, "usr/bin/bash", "bash");
    addFile(tree, "usr/share/base-passwd/passwd.master", "root:*:0:0:root:/root:/bin/bash\n");
    addFile(tree, "usr/share/base-passwd/group.master", "root:*:0:\nshadow:*:42:\n");

    Accounts.write(tree, BUILD_TIME);

    assertTrue(text(tree, "etc/passwd").startsWith("root:x:0:0:root:/root:/bin/bash\n"));
  }
}
