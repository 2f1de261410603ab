package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibraryPathCheckTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  private static void file(FileTree tree, String path, String text) {
    tree.addGeneratedFile(path, text.getBytes(), 0644, 0, 0, TIME);
  }

  @Test
  void warnsAboutConfiguredLibraryDirectory() {
    FileTree tree = new FileTree(TIME);
    file(tree, "etc/ld.so.conf.d/x86_64-linux-gnu.conf",
        "# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n"
            + "/usr/lib/x86_64-linux-gnu\n");
    file(tree, "etc/ld.so.conf.d/fakeroot.conf", "/usr/lib/x86_64-linux-gnu/libfakeroot/\n");
    file(tree, "usr/lib/x86_64-linux-gnu/libc.so.6", "libc");
    file(tree, "usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so", "lib");
    List<String> warnings = new ArrayList<>();

    List<String> unsearched =
        LibraryPathCheck.check(tree, new CaCertificatesTest.RecordingListener(warnings));

    assertEquals(List.of("/usr/lib/x86_64-linux-gnu/libfakeroot"), unsearched);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("/etc/ld.so.conf.d/fakeroot.conf"), warnings.get(0));
  }

  @Test
  void systemDirectories() {
    assertTrue(LibraryPathCheck.isSystemDirectory("/lib"));
    assertTrue(LibraryPathCheck.isSystemDirectory("/usr/lib"));
    assertTrue(LibraryPathCheck.isSystemDirectory("/lib/aarch64-linux-gnu"));
    assertTrue(LibraryPathCheck.isSystemDirectory("/usr/lib/arm-linux-gnueabihf"));
    assertFalse(LibraryPathCheck.isSystemDirectory("/usr/local/lib"));
    assertFalse(LibraryPathCheck.isSystemDirectory("/usr/lib/x86_64-linux-gnu/libfakeroot"));
  }
}
