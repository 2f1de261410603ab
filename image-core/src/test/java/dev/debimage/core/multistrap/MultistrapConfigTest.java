package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.multistrap.MultistrapConfig.Section;
import dev.debimage.core.multistrap.MultistrapConfig.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultistrapConfigTest {

  @TempDir Path dir;

  private MultistrapConfig parse(String text) {
    return MultistrapConfig.parse(text, dir.resolve("main.conf"));
  }

  private List<String> packages(Section section) {
    return section.all("packages").stream().flatMap(value -> value.words().stream()).toList();
  }

  @Test
  void sectionsAndKeysIgnoreCase() {
    MultistrapConfig config = parse("""
        [GENERAL]
        Arch=arm64
        BootStrap=Debian
        [debian]
        Packages=hello
        SOURCE=http://archive.invalid/debian
        Suite=bookworm
        """);

    assertEquals("arm64", config.general("arch").orElseThrow().text());
    assertEquals("Debian", config.general("bootstrap").orElseThrow().text());
    Section section = config.sections().get("debian");
    assertEquals("debian", section.name());
    assertEquals(List.of("hello"), packages(section));
    assertEquals("http://archive.invalid/debian", section.value("source").orElseThrow().text());
  }

  @Test
  void repeatedPackagesKeysAddUp() {
    MultistrapConfig config = parse("""
        [General]
        bootstrap=Debian
        [Debian]
        packages=udev mtd-utils
        packages=busybox
        Packages = netbase  ifupdown
        """);

    assertEquals(List.of("udev", "mtd-utils", "busybox", "netbase", "ifupdown"),
        packages(config.sections().get("debian")));
  }

  @Test
  void commentsAndBlankLinesSkipped() {
    MultistrapConfig config = parse("""
        # leading comment
        [General]
          # indented comment
        ; semicolon comment

        arch=amd64
        """);

    assertEquals(List.of("arch"), List.copyOf(config.generalKeys()));
  }

  @Test
  void valueLineNumbersAndFile() {
    MultistrapConfig config = parse("""
        [General]

        arch=amd64
        """);

    Value arch = config.general("arch").orElseThrow();
    assertEquals(3, arch.line());
    assertEquals(dir.resolve("main.conf"), arch.file());
  }

  @Test
  void continuationLineRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("""
        [Debian]
        packages=udev
          busybox
        """));

    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("main.conf"), e.getMessage());
    assertTrue(e.getMessage().contains("packages="), e.getMessage());
  }

  @Test
  void repeatedOtherKeyRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("""
        [Debian]
        suite=bookworm
        suite=trixie
        """));

    assertTrue(e.getMessage().contains("'suite'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void unknownKeyRejectedWithFileAndLine() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("""
        [General]
        arch=amd64
        archs=arm64
        """));

    assertTrue(e.getMessage().contains("unknown key 'archs'"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("main.conf") + " line 3"), e.getMessage());
  }

  @Test
  void keyInWrongSectionRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("""
        [Debian]
        arch=amd64
        """));

    assertTrue(e.getMessage().contains("'arch'"), e.getMessage());
    assertTrue(e.getMessage().contains("belongs in [General]"), e.getMessage());
  }

  @Test
  void keyOutsideSectionRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("arch=amd64\n"));

    assertTrue(e.getMessage().contains("outside any section"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void invalidSectionHeaderRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> parse("[General\n"));

    assertTrue(e.getMessage().contains("invalid section header"), e.getMessage());
  }

  @Test
  void includingFileTakesPrecedence() throws IOException {
    Files.createDirectories(dir.resolve("common"));
    Files.writeString(dir.resolve("common/base.conf"), """
        [General]
        arch=armel
        directory=/srv/base
        cleanup=true
        bootstrap=Base
        aptsources=Base
        [Base]
        packages=udev
        source=http://archive.invalid/debian
        suite=bookworm
        """);

    MultistrapConfig config = parse("""
        [General]
        arch=arm64
        cleanup=false
        include=common/base.conf
        bootstrap=Extra
        [Extra]
        packages=busybox
        source=http://archive.invalid/debian
        suite=bookworm
        """);

    assertEquals("arm64", config.general("arch").orElseThrow().text());
    assertEquals("false", config.general("cleanup").orElseThrow().text());
    assertEquals("/srv/base", config.general("directory").orElseThrow().text());
    assertEquals(List.of("Extra", "Base"),
        config.generalAll("bootstrap").stream().map(Value::text).toList());
    assertEquals(List.of("extra", "base"), List.copyOf(config.sections().keySet()));
    assertEquals(dir.resolve("common/base.conf"), config.sections().get("base").file());
    assertEquals(List.of(dir.resolve("common/base.conf")), config.includes());
  }

  @Test
  void nestedIncludeRelativeToIncludingFile() throws IOException {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/first.conf"), "[General]\ninclude=b/second.conf\n");
    Files.writeString(dir.resolve("a/b/second.conf"), "[General]\narch=riscv64\n");

    MultistrapConfig config = parse("[General]\ninclude=a/first.conf\n");

    assertEquals("riscv64", config.general("arch").orElseThrow().text());
    assertEquals(dir.resolve("a/b/second.conf"), config.general("arch").orElseThrow().file());
  }

  @Test
  void includeFromPathReadsFile() throws IOException {
    Path file = dir.resolve("top.conf");
    Files.writeString(dir.resolve("other.conf"), "[General]\narch=arm64\n");
    Files.writeString(file, "[General]\ninclude=other.conf\n");

    MultistrapConfig config = MultistrapConfig.parse(file);

    assertEquals("arm64", config.general("arch").orElseThrow().text());
    assertEquals(file, config.file());
  }

  @Test
  void missingIncludeRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> parse("[General]\ninclude=absent.conf\n"));

    assertTrue(e.getMessage().contains("'absent.conf'"), e.getMessage());
    assertTrue(e.getMessage().contains("main.conf line 2"), e.getMessage());
  }

  @Test
  void includeCycleRejected() throws IOException {
    Files.writeString(dir.resolve("a.conf"), "[General]\ninclude=b.conf\n");
    Files.writeString(dir.resolve("b.conf"), "[General]\ninclude=a.conf\n");

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> MultistrapConfig.parse(dir.resolve("a.conf")));

    assertTrue(e.getMessage().contains("include cycle"), e.getMessage());
  }

  @Test
  void sectionInTwoFilesRejected() throws IOException {
    Files.writeString(dir.resolve("base.conf"), "[debian]\nsuite=bookworm\n");

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> parse("[General]\ninclude=base.conf\n[Debian]\nsuite=trixie\n"));

    assertTrue(e.getMessage().contains("base.conf"), e.getMessage());
    assertTrue(e.getMessage().contains("unique"), e.getMessage());
  }

  @Test
  void missingFileRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> MultistrapConfig.parse(dir.resolve("absent.conf")));

    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void everyDocumentedKeyParses() {
    for (MultistrapKeys.Key key : MultistrapKeys.ALL) {
      String section = key.scope() == MultistrapKeys.Scope.GENERAL ? "[General]" : "[Debian]";
      MultistrapConfig config = parse(section + "\n" + key.name().toUpperCase() + "=\n");

      boolean present = key.scope() == MultistrapKeys.Scope.GENERAL
          ? config.general(key.name()).isPresent()
          : config.sections().get("debian").value(key.name()).isPresent();
      assertTrue(present, key.name());
    }
  }
}
