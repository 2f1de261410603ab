package dev.debimage.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.layers.TarLayerWriter;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.report.ImageReport;
import dev.debimage.core.report.LayerContents;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCheckTest {

  private static final Instant TIME = Instant.parse("2026-01-02T03:04:05Z");
  private static final URI ARCHIVE = URI.create("http://127.0.0.1:9/debian");

  @TempDir Path temp;

  private static BinaryPackage binary(String name, String installedSize) {
    Stanza stanza = new Stanza(Map.of(
        "Package", name, "Version", "1.0", "Architecture", "amd64", "Installed-Size", installedSize));
    return new BinaryPackage(name, "1.0", "amd64", stanza, "pool/" + name + ".deb", 100,
        "0".repeat(64), ARCHIVE, "bookworm", "main");
  }

  /** Returns a report where app (requested) needs passwd, which needs dash, and tools is requested too. */
  private ImageReport report() {
    FileTree tree = new FileTree(TIME);
    tree.addGeneratedSymlink("bin", "usr/bin", TIME);
    tree.addGeneratedFile("usr/bin/dash", bytes("#!dash\n"), 0755, 0, 0, TIME);
    tree.addGeneratedSymlink("usr/bin/sh", "dash", TIME);
    tree.addGeneratedFile("usr/bin/passwd", bytes("passwd binary"), 04755, 0, 0, TIME);
    tree.addGeneratedFile("usr/bin/wall", bytes("wall binary"), 02755, 0, 5, TIME);
    tree.addGeneratedFile("usr/bin/app", bytes("app"), 0755, 0, 0, TIME);
    tree.addGeneratedFile("var/lib/dpkg/info/dash.list", bytes("/.\n/bin\n/bin/dash\n/bin/sh\n"), 0644, 0, 0, TIME);
    tree.addGeneratedFile("var/lib/dpkg/info/passwd.list", bytes("/.\n/usr/bin/passwd\n"), 0644, 0, 0, TIME);
    tree.addGeneratedFile("var/lib/dpkg/info/tools:amd64.list", bytes("/.\n/usr/bin/wall\n"), 0644, 0, 0, TIME);
    LayerContents layer = LayerContents.read(TarLayerWriter.write(tree, temp.resolve("blobs")).path());

    Resolution resolution = new Resolution(
        List.of(binary("app", "10"), binary("dash", "200"), binary("passwd", "3000"), binary("tools", "40")),
        Map.of("app", "requested", "passwd", "needed by app", "dash", "needed by passwd", "tools", "requested"),
        List.of());
    ReleaseFile release = ReleaseFile.parse("Origin: Debian\nSuite: bookworm\nVersion: 12.5\n", "test Release");
    SourceSpec source = new SourceSpec(List.of(ARCHIVE), List.of("bookworm"), List.of("main"), List.of(), Optional.empty(), "test");
    ImageSpec spec = ImageSpec.builder().addPackage("app").addPackage("tools").imageReference("test:1")
        .timestamp(TIME).outputDirectory(temp.resolve("out")).build();
    return ImageReport.create(
        resolution, Distribution.of(List.of(new IndexLoader.Suite(source, ARCHIVE, "bookworm", release))), layer,
        spec);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ImagePolicy policy(List<String> packages, List<String> paths, boolean setuid, OptionalLong max) {
    return new ImagePolicy(packages, paths, setuid, max);
  }

  @Test
  void emptyPolicyPasses() {
    assertEquals(List.of(), PolicyCheck.check(ImagePolicy.NONE, report()));
    PolicyCheck.enforce(ImagePolicy.NONE, report());
  }

  @Test
  void forbiddenPackageTracesToRequest() {
    List<PolicyViolation> violations =
        PolicyCheck.check(policy(List.of("dash", "bash"), List.of(), false, OptionalLong.empty()), report());
    assertEquals(1, violations.size());
    assertEquals("forbidden package", violations.get(0).rule());
    assertEquals(List.of("dash <- passwd <- app (requested)"), violations.get(0).chains());
  }

  @Test
  void forbiddenPathFollowsMergedUsr() {
    List<PolicyViolation> violations = PolicyCheck.check(
        policy(List.of(), List.of("/bin/sh", "/usr/bin/sh", "/bin/bash"), false, OptionalLong.empty()), report());
    assertEquals(2, violations.size());
    assertEquals("/bin/sh (a symbolic link to dash)", violations.get(0).subject());
    assertEquals(List.of("dash <- passwd <- app (requested)"), violations.get(0).chains());
    assertEquals("/usr/bin/sh (a symbolic link to dash)", violations.get(1).subject());
    assertEquals(List.of("dash <- passwd <- app (requested)"), violations.get(1).chains());
  }

  @Test
  void setuidAndSetgidFilesAreFound() {
    List<PolicyViolation> violations =
        PolicyCheck.check(policy(List.of(), List.of(), true, OptionalLong.empty()), report());
    assertEquals(2, violations.size());
    assertEquals("/usr/bin/passwd (mode 4755)", violations.get(0).subject());
    assertEquals(List.of("passwd <- app (requested)"), violations.get(0).chains());
    assertEquals("/usr/bin/wall (mode 2755)", violations.get(1).subject());
    assertEquals(List.of("tools (requested)"), violations.get(1).chains());
  }

  @Test
  void sizeCeilingNamesLargestPackages() {
    LayerContents layer = report().packagesLayer();
    long size = layer.fileBytes();
    assertEquals(List.of(), PolicyCheck.check(policy(List.of(), List.of(), false, OptionalLong.of(size)), report()));
    List<PolicyViolation> violations =
        PolicyCheck.check(policy(List.of(), List.of(), false, OptionalLong.of(size - 1)), report());
    assertEquals(1, violations.size());
    assertEquals("installed size", violations.get(0).rule());
    assertEquals("3000 KiB passwd <- app (requested)", violations.get(0).chains().get(0));
  }

  @Test
  void pathWithoutOwnerSaysSo() {
    List<PolicyViolation> violations = PolicyCheck.check(
        policy(List.of(), List.of("/usr/bin/app"), false, OptionalLong.empty()), report());
    assertEquals(1, violations.size());
    assertEquals("/usr/bin/app, which no package's file list names", violations.get(0).subject());
    assertEquals(List.of(), violations.get(0).chains());
  }

  @Test
  void enforceListsEveryViolation() {
    ImagePolicy policy = policy(List.of("dash"), List.of("/bin/sh"), true, OptionalLong.empty());
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> PolicyCheck.enforce(policy, report()));
    assertTrue(e.getMessage().contains("(4 violations)"), e.getMessage());
    assertTrue(e.getMessage().contains("forbidden path: /bin/sh (a symbolic link to dash), from dash <- passwd <- app (requested)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("setuid file: /usr/bin/passwd"), e.getMessage());
  }

  @Test
  void invalidPolicyValuesAreRejected() {
    ImageBuildException path = assertThrows(ImageBuildException.class,
        () -> policy(List.of(), List.of("bin/sh"), false, OptionalLong.empty()));
    assertTrue(path.getMessage().contains("'bin/sh'"), path.getMessage());
    ImageBuildException name = assertThrows(ImageBuildException.class,
        () -> policy(List.of("Bash"), List.of(), false, OptionalLong.empty()));
    assertTrue(name.getMessage().contains("'Bash'"), name.getMessage());
    assertThrows(ImageBuildException.class, () -> policy(List.of(), List.of(), false, OptionalLong.of(-1)));
  }
}
