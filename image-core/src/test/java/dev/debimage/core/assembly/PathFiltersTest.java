package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathFiltersTest {

  static final Instant TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;

  @Test
  void globMatchesLikeFnmatch() {
    assertTrue(Glob.matches("/usr/*/READ*", "/usr/share/doc/package/README"));
    assertTrue(Glob.matches("/usr/share/doc/*", "/usr/share/doc/a/b/c"));
    assertTrue(Glob.matches("/a?c", "/a/c"));
    assertTrue(Glob.matches("/x[0-9]", "/x7"));
    assertFalse(Glob.matches("/x[!0-9]", "/x7"));
    assertTrue(Glob.matches("/x[]]", "/x]"));
    assertTrue(Glob.matches("/x\\*", "/x*"));
    assertFalse(Glob.matches("/x\\*", "/xy"));
    assertTrue(Glob.matches("/x[", "/x["));
    assertFalse(Glob.matches("/usr/share/doc/*", "/usr/share/doc"));
  }

  @Test
  void lastMatchingRuleDecides() {
    PathFilters filters = PathFilters.APPLICATION_DEFAULT;

    assertTrue(filters.excludes("/usr/share/doc/libc6/changelog.gz", false));
    assertFalse(filters.excludes("/usr/share/doc/libc6/copyright", false));
    assertTrue(filters.excludes("/usr/share/man/man1/ls.1.gz", false));
    assertTrue(filters.excludes("/usr/share/locale/de/LC_MESSAGES/x.mo", false));
    assertFalse(filters.excludes("/usr/share/locale/locale.alias", false));
    assertTrue(filters.excludes("/usr/share/lintian/overrides/x", false));
    assertFalse(filters.excludes("/usr/bin/ls", false));
  }

  @Test
  void directoryKeptForIncludedContent() {
    PathFilters filters = PathFilters.APPLICATION_DEFAULT;

    assertFalse(filters.excludes("/usr/share/doc/libc6", true));
    assertTrue(filters.excludes("/usr/share/doc/libc6", false));
    assertTrue(filters.excludes("/usr/share/man/man1", true));

    PathFilters broad = PathFilters.parse(
        List.of("path-exclude=/usr/*", "path-include=/usr/share/doc/*/copyright"));
    assertFalse(broad.excludes("/usr/share", true), "a parent of re-included files is kept");
    assertTrue(broad.excludes("/usr/lib", true));
  }

  @Test
  void invalidRuleRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> PathFilters.parse(List.of("exclude=/usr/share/doc/*")));
    assertTrue(e.getMessage().contains("'exclude=/usr/share/doc/*'"), e.getMessage());

    e = assertThrows(ImageBuildException.class,
        () -> PathFilters.parse(List.of("path-exclude=usr/share/doc/*")));
    assertTrue(e.getMessage().contains("must start with /"), e.getMessage());
  }

  @Test
  void assemblyDropsFilteredMembers() throws Exception {
    AssemblyInput input = new DebBuilder("hello", "1.0", "amd64")
        .dir("./usr/", 0755).dir("./usr/bin/", 0755).file("./usr/bin/hello", "binary", 0755)
        .dir("./usr/share/", 0755).dir("./usr/share/doc/", 0755).dir("./usr/share/doc/hello/", 0755)
        .file("./usr/share/doc/hello/copyright", "GPL", 0644)
        .file("./usr/share/doc/hello/changelog.gz", "0123456789", 0644)
        .hardlink("./usr/share/doc/hello/NEWS.gz", "./usr/share/doc/hello/changelog.gz")
        .dir("./usr/share/man/", 0755).dir("./usr/share/man/man1/", 0755)
        .file("./usr/share/man/man1/hello.1.gz", "manual", 0644)
        .writeInput(work);

    AssemblyResult result = Assembler.assembleWithReport(List.of(input),
        new AssemblyOptions("amd64", TIME, cache).withPathFilters(PathFilters.APPLICATION_DEFAULT));
    FileTree tree = result.tree();

    assertTrue(tree.get("usr/bin/hello").isPresent());
    assertTrue(tree.get("usr/share/doc/hello/copyright").isPresent());
    assertFalse(tree.get("usr/share/doc/hello/changelog.gz").isPresent());
    assertFalse(tree.get("usr/share/doc/hello/NEWS.gz").isPresent());
    assertFalse(tree.get("usr/share/man/man1").isPresent());
    assertTrue(tree.get("usr/share/man").isPresent(), "the excluded pattern matches only below it");
    assertEquals(4, result.filteredFiles(), "changelog, NEWS hard link, man1, hello.1.gz");
    assertEquals(10 + 6, result.filteredBytes());
    String list = new String(tree.get("var/lib/dpkg/info/hello.list").orElseThrow().content()
        .readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(list.contains("/usr/share/doc/hello/changelog.gz\n"), "dpkg lists filtered files");
    assertTrue(list.contains("/usr/share/man/man1/hello.1.gz\n"));
    assertEquals(PathFilters.APPLICATION_DEFAULT.toDpkgConfig(), new String(
        tree.get(Assembler.PATH_FILTER_CONFIG).orElseThrow().content().readAllBytes(),
        StandardCharsets.UTF_8));
  }

  @Test
  void noFiltersKeepEverything() throws Exception {
    AssemblyInput input = new DebBuilder("hello", "1.0", "amd64")
        .dir("./usr/share/doc/hello/", 0755)
        .file("./usr/share/doc/hello/changelog.gz", "log", 0644)
        .writeInput(work);

    AssemblyResult result = Assembler.assembleWithReport(List.of(input),
        new AssemblyOptions("amd64", TIME, cache));

    assertTrue(result.tree().get("usr/share/doc/hello/changelog.gz").isPresent());
    assertEquals(0, result.filteredBytes());
    assertFalse(result.tree().get(Assembler.PATH_FILTER_CONFIG).isPresent());
  }

  @Test
  void imageSpecDefaultsAndValidation() {
    ImageSpec spec = ImageSpec.builder().addPackage("hello").outputDirectory(Path.of("out")).build();

    assertEquals(PathFilters.APPLICATION_DEFAULT_LINES, spec.pathFilters());
    assertEquals("Etc/UTC", spec.timezone());
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> ImageSpec.builder()
        .addPackage("hello").outputDirectory(Path.of("out")).pathFilters(List.of("doc")).build());
    assertTrue(e.getMessage().contains("'doc'"), e.getMessage());
    e = assertThrows(ImageBuildException.class, () -> ImageSpec.builder()
        .addPackage("hello").outputDirectory(Path.of("out")).timezone("../x").build());
    assertTrue(e.getMessage().contains("'../x'"), e.getMessage());
    assertFalse(PathFilters.parse(List.of("path-include=/*")).excludes("/usr/share/doc/x", false));
  }
}
