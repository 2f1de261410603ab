package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeZoneConfigTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  private static FileTree treeWithZones() {
    FileTree tree = new FileTree(TIME);
    tree.addGeneratedFile("usr/share/zoneinfo/Etc/UTC", "TZif".getBytes(), 0644, 0, 0, TIME);
    tree.addGeneratedFile("usr/share/zoneinfo/Europe/Berlin", "TZif".getBytes(), 0644, 0, 0, TIME);
    tree.addGeneratedSymlink("usr/share/zoneinfo/UTC", "Etc/UTC", TIME);
    return tree;
  }

  private static String text(FileTree tree, String path) throws Exception {
    return new String(tree.get(path).orElseThrow().content().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void defaultZoneIsUtc() throws Exception {
    FileTree tree = treeWithZones();

    TimeZoneConfig.apply(tree, true, AssemblyOptions.DEFAULT_TIMEZONE, TIME, BuildListener.NONE);

    assertEquals("/usr/share/zoneinfo/Etc/UTC", tree.get("etc/localtime").orElseThrow().linkTarget());
    assertEquals("Etc/UTC\n", text(tree, "etc/timezone"));
  }

  @Test
  void chosenZoneAndLinkedZone() throws Exception {
    FileTree tree = treeWithZones();

    TimeZoneConfig.apply(tree, true, "Europe/Berlin", TIME, BuildListener.NONE);

    assertEquals("/usr/share/zoneinfo/Europe/Berlin",
        tree.get("etc/localtime").orElseThrow().linkTarget());
    assertEquals("Europe/Berlin\n", text(tree, "etc/timezone"));

    TimeZoneConfig.apply(tree, true, "UTC", TIME, BuildListener.NONE);
    assertEquals("/usr/share/zoneinfo/UTC", tree.get("etc/localtime").orElseThrow().linkTarget());
  }

  @Test
  void missingZoneRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> TimeZoneConfig.apply(treeWithZones(), true, "Mars/Olympus", TIME, BuildListener.NONE));

    assertTrue(e.getMessage().contains("'Mars/Olympus'"), e.getMessage());
    assertTrue(e.getMessage().contains("/usr/share/zoneinfo/Mars/Olympus"), e.getMessage());
  }

  @Test
  void invalidNameRejected() {
    for (String zone : List.of("", "/Etc/UTC", "../etc/passwd", "Europe//Berlin", "Etc/UTC/")) {
      ImageBuildException e = assertThrows(ImageBuildException.class,
          () -> TimeZoneConfig.checkName(zone), zone);
      assertTrue(e.getMessage().contains("'" + zone + "'"), e.getMessage());
    }
  }

  @Test
  void withoutTzdataWritesNothing() {
    FileTree tree = treeWithZones();
    List<String> warnings = new ArrayList<>();

    TimeZoneConfig.apply(tree, false, AssemblyOptions.DEFAULT_TIMEZONE, TIME, BuildListener.NONE);
    TimeZoneConfig.apply(tree, false, "Europe/Berlin", TIME,
        new CaCertificatesTest.RecordingListener(warnings));

    assertFalse(tree.get("etc/localtime").isPresent());
    assertFalse(tree.get("etc/timezone").isPresent());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("tzdata"), warnings.get(0));
  }

  @Test
  void assemblerSetsZoneFromOptions() throws Exception {
    AssemblyInput tzdata = new DebBuilder("tzdata", "2025b-0+deb12u1", "all")
        .dir("./usr/share/zoneinfo/", 0755).dir("./usr/share/zoneinfo/Asia/", 0755)
        .file("./usr/share/zoneinfo/Asia/Tokyo", "TZif", 0644)
        .writeInput(work);

    FileTree tree = Assembler.assemble(List.of(tzdata),
        new AssemblyOptions("amd64", TIME, cache).withTimezone("Asia/Tokyo"));

    assertEquals("/usr/share/zoneinfo/Asia/Tokyo", tree.get("etc/localtime").orElseThrow().linkTarget());
    assertEquals("TZif", text(tree, "usr/share/zoneinfo/Asia/Tokyo"));
  }
}
