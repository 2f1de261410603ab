package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.sources.UnverifiedSources;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-source trust options: allowExpiredKeys and trusted. */
class SourceTrustTest {

  @TempDir Path work;

  private ArchiveServer server;
  private final List<String> warnings = new ArrayList<>();
  private final List<String> infos = new ArrayList<>();

  private final BuildListener listener = new BuildListener() {
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
  };

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private TestArchive serve(TestArchive.Builder builder) throws Exception {
    TestArchive archive = builder.addAll(TestArchive.samplePackages()).write(work.resolve("archive"));
    server = ArchiveServer.start(archive.root());
    return archive;
  }

  private IndexLoader.Universe load(SourceSpec source) {
    DownloadCache cache = new DownloadCache(work.resolve("cache"), new HttpDownloader(BuildListener.NONE), false);
    return new IndexLoader(cache, listener).load(List.of(source), TestArchive.ARCHITECTURE);
  }

  @Test
  void expiredKeyRejectedByDefault() throws Exception {
    TestKey expired = TestKey.generateExpired("Old Archive <old@example.org>");
    TestArchive archive = serve(TestArchive.builder(expired));

    ImageBuildException error =
        assertThrows(ImageBuildException.class, () -> load(archive.source(server.uri(), expired)));

    assertTrue(error.getMessage().contains("expired"), error.getMessage());
  }

  @Test
  void expiredKeyAcceptedWithWarning() throws Exception {
    TestKey expired = TestKey.generateExpired("Old Archive <old@example.org>");
    TestArchive archive = serve(TestArchive.builder(expired));

    IndexLoader.Universe universe = load(archive.source(server.uri(), expired).withAllowExpiredKeys(true));

    assertEquals(4, universe.packages().size());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains(expired.fingerprint()), warnings.get(0));
    assertTrue(warnings.get(0).contains("expired on"), warnings.get(0));
  }

  @Test
  void expiredKeyFromReleaseGpgAccepted() throws Exception {
    TestKey expired = TestKey.generateExpired("Old Archive <old@example.org>");
    TestArchive archive = serve(TestArchive.builder(expired).withoutInRelease());

    IndexLoader.Universe universe = load(archive.source(server.uri(), expired).withAllowExpiredKeys(true));

    assertEquals(4, universe.packages().size());
    assertEquals(1, warnings.size(), warnings.toString());
  }

  @Test
  void revokedKeyStillRejected() throws Exception {
    TestKey expired = TestKey.generateExpired("Old Archive <old@example.org>");
    TestArchive archive = serve(TestArchive.builder(expired));
    SourceSpec source = new SourceSpec(
        List.of(server.uri()), List.of(archive.suite()), List.of(TestArchive.COMPONENT), List.of(),
        Optional.of(expired.revoked().publicArmored()), "the test archive")
        .withAllowExpiredKeys(true);

    ImageBuildException error = assertThrows(ImageBuildException.class, () -> load(source));

    assertTrue(error.getMessage().contains("revoked"), error.getMessage());
  }

  @Test
  void unknownKeyRejectedUnlessTrusted() throws Exception {
    TestKey archiveKey = TestKey.generate("Test Archive <archive@example.org>");
    TestKey otherKey = TestKey.generate("Other <other@example.org>");
    TestArchive archive = serve(TestArchive.builder(archiveKey));
    SourceSpec source = archive.source(server.uri(), otherKey);

    assertThrows(ImageBuildException.class, () -> load(source));

    IndexLoader.Universe universe = load(source.withTrusted(true));
    assertEquals(4, universe.packages().size());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("Not verifying"), warnings.get(0));
    assertTrue(warnings.get(0).contains("InRelease"), warnings.get(0));
    assertFalse(infos.stream().anyMatch(line -> line.startsWith("Verified")), infos.toString());
  }

  @Test
  void trustedReadsUnsignedRelease() throws Exception {
    TestKey archiveKey = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = serve(TestArchive.builder(archiveKey).withoutInRelease());
    Files.delete(archive.releaseSignature());
    SourceSpec source = archive.source(server.uri(), archiveKey);

    assertThrows(ImageBuildException.class, () -> load(source));

    IndexLoader.Universe universe = load(source.withTrusted(true));
    assertEquals(4, universe.packages().size());
    assertTrue(warnings.stream().anyMatch(line -> line.contains("Release ")), warnings.toString());
  }

  @Test
  void trustedStillChecksIndexes() throws Exception {
    TestKey archiveKey = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = serve(TestArchive.builder(archiveKey));
    Files.writeString(archive.packagesIndex(""), "Package: injected\n");
    Files.delete(archive.packagesIndex(".xz"));

    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> load(archive.source(server.uri(), archiveKey).withTrusted(true)));

    assertTrue(error.getMessage().contains("Packages"), error.getMessage());
  }

  @Test
  void labelListsTrustedSourceUris() {
    SourceSpec verified = new SourceSpec(
        List.of(URI.create("http://127.0.0.1/debian")), List.of("bookworm"), List.of("main"), List.of(),
        Optional.empty(), "pom");
    SourceSpec trusted = new SourceSpec(
        List.of(URI.create("http://127.0.0.1/local"), URI.create("file:///srv/repo")), List.of("./"), List.of(),
        List.of(), Optional.empty(), "pom").withTrusted(true);
    ImageConfig config = new ImageConfig(
        "amd64", List.of("/bin/true"), List.of(), new TreeMap<>(), "root", "/", Instant.EPOCH,
        new TreeSet<>(), new TreeSet<>(), new TreeMap<>(Map.of(UnverifiedSources.LABEL, "")), null,
        new TreeMap<>());

    assertEquals(config, UnverifiedSources.label(config, List.of(verified)));
    ImageConfig labelled = UnverifiedSources.label(config, List.of(verified, trusted));

    assertEquals("http://127.0.0.1/local file:///srv/repo", labelled.labels().get(UnverifiedSources.LABEL));
  }

  @Test
  void hostSourcesMapTrusted() throws Exception {
    Path etcApt = Files.createDirectories(work.resolve("etc-apt"));
    Files.createDirectory(etcApt.resolve("sources.list.d"));
    Files.writeString(etcApt.resolve("sources.list"), String.join("\n",
        "deb [trusted=yes] http://127.0.0.1/local bookworm main",
        "deb http://127.0.0.1/debian bookworm main",
        ""));
    Files.writeString(etcApt.resolve("sources.list.d").resolve("local.sources"), String.join("\n",
        "Types: deb",
        "URIs: http://127.0.0.1/other",
        "Suites: bookworm",
        "Components: main",
        "Trusted: yes",
        ""));

    List<SourceSpec> sources = HostAptSources.read(etcApt);

    List<Boolean> trusted = new ArrayList<>();
    sources.forEach(source -> trusted.add(source.trusted()));
    assertEquals(3, sources.size());
    assertEquals(List.of(true, false, true), trusted);
  }
}
