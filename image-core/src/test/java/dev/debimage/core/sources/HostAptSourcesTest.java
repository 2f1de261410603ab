package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAptSourcesTest {

  @TempDir Path etcApt;
  private Path listDirectory;

  @BeforeEach
  void createDirectory() throws Exception {
    listDirectory = Files.createDirectory(etcApt.resolve("sources.list.d"));
  }

  @Test
  void readFileReadsDeb822File() throws Exception {
    Path file = Files.writeString(etcApt.resolve("team.sources"), String.join("\n",
        "Types: deb deb-src",
        "URIs: http://127.0.0.1/ubuntu",
        "Suites: noble noble-updates",
        "Components: main universe",
        "Architectures: amd64",
        "Signed-By: bundled:ubuntu",
        ""));

    List<SourceSpec> sources = HostAptSources.readFile(file);

    assertEquals(1, sources.size());
    assertEquals(List.of(URI.create("http://127.0.0.1/ubuntu")), sources.get(0).uris());
    assertEquals(List.of("noble", "noble-updates"), sources.get(0).suites());
    assertEquals(List.of("main", "universe"), sources.get(0).components());
    assertEquals(List.of("amd64"), sources.get(0).architectures());
    assertEquals(Optional.of("bundled:ubuntu"), sources.get(0).signedBy());
    assertTrue(sources.get(0).origin().startsWith(file.toString()), sources.get(0).origin());
  }

  @Test
  void readFileReadsOneLineFile() throws Exception {
    Path file = Files.writeString(etcApt.resolve("team.list"), String.join("\n",
        "deb-src http://127.0.0.1/debian bookworm main",
        "deb [arch=arm64] http://127.0.0.1/debian bookworm main",
        "deb http://127.0.0.1/vendor ./",
        ""));

    List<SourceSpec> sources = HostAptSources.readFile(file);

    assertEquals(2, sources.size());
    assertEquals(List.of("arm64"), sources.get(0).architectures());
    assertEquals(file + " line 2", sources.get(0).origin());
    assertEquals(List.of("./"), sources.get(1).suites());
    assertEquals(List.of(), sources.get(1).components());
  }

  @Test
  void readFileRejectsOtherName() throws Exception {
    Path file = Files.writeString(etcApt.resolve("sources.txt"), "deb http://127.0.0.1/debian bookworm main\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.readFile(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("*.sources"), e.getMessage());
  }

  @Test
  void readFileNamesMissingFile() {
    Path file = etcApt.resolve("missing.sources");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.readFile(file));

    assertEquals("apt sources file not found: " + file + "; check the path", e.getMessage());
  }

  @Test
  void oneLineFormatIsRead() throws Exception {
    Path file = Files.writeString(etcApt.resolve("sources.list"), String.join("\n",
        "# comment line",
        "deb http://127.0.0.1/debian bookworm main contrib",
        "deb-src http://127.0.0.1/debian bookworm main",
        "",
        "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/test.gpg] http://127.0.0.1/debian bookworm-updates main # trailing",
        "deb [ arch=amd64 ] http://127.0.0.1/security bookworm-security main",
        ""));

    List<SourceSpec> sources = HostAptSources.read(etcApt);

    assertEquals(3, sources.size());
    SourceSpec plain = sources.get(0);
    assertEquals(List.of(URI.create("http://127.0.0.1/debian")), plain.uris());
    assertEquals(List.of("bookworm"), plain.suites());
    assertEquals(List.of("main", "contrib"), plain.components());
    assertEquals(List.of(), plain.architectures());
    assertEquals(Optional.empty(), plain.signedBy());
    assertEquals(file + " line 2", plain.origin());

    SourceSpec withOptions = sources.get(1);
    assertEquals(List.of("amd64", "arm64"), withOptions.architectures());
    assertEquals(Optional.of("/usr/share/keyrings/test.gpg"), withOptions.signedBy());
    assertEquals(List.of("bookworm-updates"), withOptions.suites());
    assertEquals(List.of("main"), withOptions.components());
    assertEquals(file + " line 5", withOptions.origin());

    assertEquals(List.of("amd64"), sources.get(2).architectures());
    assertEquals(List.of("bookworm-security"), sources.get(2).suites());
  }

  @Test
  void deb822FormatIsRead() throws Exception {
    Path file = Files.writeString(listDirectory.resolve("debian.sources"), String.join("\n",
        "Types: deb deb-src",
        "# http://127.0.0.1/snapshot",
        "URIs: http://127.0.0.1/debian http://127.0.0.1/mirror",
        "Suites: bookworm bookworm-updates",
        "Components: main",
        "Architectures: amd64",
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
        "",
        "Types: deb-src",
        "URIs: http://127.0.0.1/debian",
        "Suites: bookworm",
        "Components: main",
        "",
        "Types: deb",
        "Enabled: no",
        "URIs: http://127.0.0.1/disabled",
        "Suites: bookworm",
        "Components: main",
        "",
        "Types: deb",
        "URIs: http://127.0.0.1/security",
        "Suites: bookworm-security",
        "Components: main non-free-firmware",
        ""));

    List<SourceSpec> sources = HostAptSources.read(etcApt);

    assertEquals(2, sources.size());
    SourceSpec debian = sources.get(0);
    assertEquals(
        List.of(URI.create("http://127.0.0.1/debian"), URI.create("http://127.0.0.1/mirror")), debian.uris());
    assertEquals(List.of("bookworm", "bookworm-updates"), debian.suites());
    assertEquals(List.of("main"), debian.components());
    assertEquals(List.of("amd64"), debian.architectures());
    assertEquals(Optional.of("/usr/share/keyrings/debian-archive-keyring.gpg"), debian.signedBy());
    assertEquals(file + " stanza 1", debian.origin());

    SourceSpec security = sources.get(1);
    assertEquals(List.of("main", "non-free-firmware"), security.components());
    assertEquals(Optional.empty(), security.signedBy());
    assertEquals(file + " stanza 4", security.origin());
  }

  @Test
  void embeddedKeyBlockBecomesKeyring() throws Exception {
    TestKey key = TestKey.generate("Embedded <embedded@example.org>");
    StringBuilder field = new StringBuilder("Signed-By:\n");
    for (String line : key.publicArmored().strip().split("\n")) {
      field.append(' ').append(line.isBlank() ? "." : line).append('\n');
    }
    Files.writeString(listDirectory.resolve("embedded.sources"),
        "Types: deb\nURIs: http://127.0.0.1/repo\nSuites: stable\nComponents: main\n" + field);

    SourceSpec source = HostAptSources.read(etcApt).get(0);

    assertTrue(source.signedBy().orElseThrow().startsWith(Keyring.ARMORED_KEY_BLOCK_START));
    assertEquals(List.of(key.fingerprint()), Keyring.forSource(source).fingerprints());
  }

  @Test
  void filesReadInNameOrder() throws Exception {
    Files.writeString(etcApt.resolve("sources.list"), "deb http://127.0.0.1/first one main\n");
    Files.writeString(listDirectory.resolve("b.list"), "deb http://127.0.0.1/third three main\n");
    Files.writeString(listDirectory.resolve("a.sources"),
        "Types: deb\nURIs: http://127.0.0.1/second\nSuites: two\nComponents: main\n");
    Files.writeString(listDirectory.resolve("c.list.disabled"), "deb http://127.0.0.1/ignored x main\n");
    Files.writeString(listDirectory.resolve("d.sources.save"),
        "Types: deb\nURIs: http://127.0.0.1/ignored\nSuites: x\nComponents: main\n");

    List<String> suites = HostAptSources.read(etcApt).stream().map(s -> s.suites().get(0)).toList();

    assertEquals(List.of("one", "two", "three"), suites);
  }

  @Test
  void flatRepositoryKeepsSuite() throws Exception {
    Files.writeString(etcApt.resolve("sources.list"), "deb http://127.0.0.1/flat ./\n");
    Files.writeString(listDirectory.resolve("flat.sources"),
        "Types: deb\nURIs: http://127.0.0.1/flat\nSuites: ./\n");

    List<SourceSpec> sources = HostAptSources.read(etcApt);

    assertEquals(2, sources.size());
    for (SourceSpec source : sources) {
      assertEquals(List.of("./"), source.suites());
      assertEquals(List.of(), source.components());
    }
  }

  @Test
  void missingConfigurationYieldsNoSources() throws Exception {
    assertEquals(List.of(), HostAptSources.read(etcApt.resolve("absent")));
    assertEquals(List.of(), HostAptSources.read(etcApt));
  }

  @Test
  void stanzaWithoutUrisIsRejected() throws Exception {
    Path file = Files.writeString(listDirectory.resolve("broken.sources"),
        "Types: deb\nSuites: bookworm\nComponents: main\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.read(etcApt));

    assertTrue(e.getMessage().contains(file + " stanza 1"), e.getMessage());
    assertTrue(e.getMessage().contains("URIs"), e.getMessage());
  }

  @Test
  void stanzaWithoutTypesIsRejected() throws Exception {
    Files.writeString(listDirectory.resolve("broken.sources"),
        "URIs: http://127.0.0.1/debian\nSuites: bookworm\nComponents: main\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.read(etcApt));

    assertTrue(e.getMessage().contains("Types is missing"), e.getMessage());
  }

  @Test
  void stanzaWithoutComponentsIsRejected() throws Exception {
    Files.writeString(listDirectory.resolve("broken.sources"),
        "Types: deb\nURIs: http://127.0.0.1/debian\nSuites: bookworm\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.read(etcApt));

    assertTrue(e.getMessage().contains("Components"), e.getMessage());
  }

  @Test
  void invalidOneLineEntriesAreRejected() throws Exception {
    for (String line : List.of(
        "deb http://127.0.0.1/debian",
        "rpm http://127.0.0.1/debian bookworm main",
        "deb [arch=amd64 http://127.0.0.1/debian bookworm main",
        "deb relative/path bookworm main")) {
      Path file = Files.writeString(etcApt.resolve("sources.list"), "# header\n" + line + "\n");

      ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.read(etcApt), line);

      assertTrue(e.getMessage().contains(file + " line 2"), e.getMessage());
    }
  }

  @Test
  void howToConfigureShowsPlaceholder() {
    String message = HostAptSources.howToConfigure();

    assertTrue(message.contains("<sources>"), message);
    assertTrue(message.contains("MIRROR-URL"), message);
    assertFalse(message.contains("debian.org"), message);
  }

  @Test
  void checkValidUntilOptionIsRead() throws Exception {
    Files.writeString(etcApt.resolve("sources.list"),
        "deb [check-valid-until=no] http://127.0.0.1/snapshot bookworm main\n"
            + "deb [check-valid-until=yes] http://127.0.0.1/debian bookworm main\n"
            + "deb http://127.0.0.1/debian bookworm-updates main\n");
    Files.writeString(listDirectory.resolve("snapshot.sources"),
        "Types: deb\nURIs: http://127.0.0.1/snapshot\nSuites: bookworm\nComponents: main\n"
            + "Check-Valid-Until: no\n");

    List<SourceSpec> sources = HostAptSources.read(etcApt);

    assertEquals(4, sources.size());
    assertTrue(sources.get(0).allowExpiredValidUntil());
    assertFalse(sources.get(1).allowExpiredValidUntil());
    assertFalse(sources.get(2).allowExpiredValidUntil());
    assertTrue(sources.get(3).allowExpiredValidUntil());
  }

  @Test
  void invalidCheckValidUntilRejected() throws Exception {
    Files.writeString(etcApt.resolve("sources.list"),
        "deb [check-valid-until=maybe] http://127.0.0.1/debian bookworm main\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> HostAptSources.read(etcApt));

    assertTrue(e.getMessage().startsWith("invalid value 'maybe' of check-valid-until in "), e.getMessage());
    assertTrue(e.getMessage().endsWith("use yes or no"), e.getMessage());
  }
}
