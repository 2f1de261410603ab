package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two archives, one per architecture, as Ubuntu serves amd64 and arm64 from different roots. */
class SourceArchitecturesTest {

  private static TestKey archiveKey;

  @TempDir Path work;

  private ArchiveServer amd64Server;
  private ArchiveServer arm64Server;
  private List<SourceSpec> sources;

  @BeforeAll
  static void generateKey() throws Exception {
    archiveKey = TestKey.generate("Test Archive <archive@example.org>");
  }

  @BeforeEach
  void startArchives() throws Exception {
    TestArchive amd64 = TestArchive.builder(archiveKey)
        .add(new DebBuilder("hello", "2.10-3", "amd64").dir("./usr/", 0755))
        .write(work.resolve("main-archive"));
    TestArchive arm64 = TestArchive.builder(archiveKey)
        .architecture("arm64")
        .add(new DebBuilder("hello", "2.10-3", "arm64").dir("./usr/", 0755))
        .add(new DebBuilder("arm-only", "1.0-1", "arm64").dir("./usr/", 0755))
        .write(work.resolve("ports-archive"));
    amd64Server = ArchiveServer.start(amd64.root());
    arm64Server = ArchiveServer.start(arm64.root());
    sources = List.of(
        withArchitectures(amd64.source(amd64Server.uri(), archiveKey), List.of("amd64")),
        withArchitectures(arm64.source(arm64Server.uri(), archiveKey), List.of("arm64")));
  }

  @AfterEach
  void stopArchives() {
    amd64Server.close();
    arm64Server.close();
  }

  private static SourceSpec withArchitectures(SourceSpec source, List<String> architectures) {
    return new SourceSpec(
        source.uris(), source.suites(), source.components(), architectures, source.signedBy(),
        source.origin(), source.allowExpiredValidUntil());
  }

  private IndexLoader loader() {
    return new IndexLoader(
        new DownloadCache(work.resolve("cache"), new HttpDownloader(BuildListener.NONE), false),
        BuildListener.NONE);
  }

  private static TreeSet<String> namesAndArchitectures(IndexLoader.Universe universe) {
    TreeSet<String> names = new TreeSet<>();
    universe.packages().forEach(pkg -> names.add(pkg.name() + ":" + pkg.architecture()));
    return names;
  }

  @Test
  void amd64ReadsOnlyItsSource() {
    IndexLoader.Universe universe = loader().load(sources, "amd64");

    assertEquals(new TreeSet<>(List.of("hello:amd64")), namesAndArchitectures(universe));
    assertEquals(1, universe.suites().size());
    assertEquals(List.of(), arm64Server.requests());
  }

  @Test
  void arm64ReadsOnlyItsSource() {
    IndexLoader.Universe universe = loader().load(sources, "arm64");

    assertEquals(new TreeSet<>(List.of("arm-only:arm64", "hello:arm64")), namesAndArchitectures(universe));
    assertEquals(List.of(), amd64Server.requests());
  }

  @Test
  void noSourceForArchitectureIsRejected() {
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> loader().load(sources, "riscv64"));

    assertTrue(error.getMessage().contains("'riscv64'"), error.getMessage());
    assertEquals(List.of(), amd64Server.requests());
  }

  @Test
  void emptyArchitecturesServesEvery() {
    SourceSpec any = withArchitectures(sources.get(0), List.of());
    assertTrue(any.servesArchitecture("amd64"));
    assertTrue(any.servesArchitecture("arm64"));
  }
}
