package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.MissingFromCacheException;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads, resolves and fetches from a signed test archive served on 127.0.0.1. */
class IndexLoaderArchiveTest {

  private static TestKey archiveKey;

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;

  private ArchiveServer server;

  @BeforeAll
  static void generateKey() throws Exception {
    archiveKey = TestKey.generate("Test Archive <archive@example.org>");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private DownloadCache cache(boolean offline) {
    return new DownloadCache(cacheDir, new HttpDownloader(BuildListener.NONE), offline);
  }

  private List<BinaryPackage> resolveAndFetch(TestArchive archive, DownloadCache cache) {
    IndexLoader.Universe universe =
        new IndexLoader(cache, BuildListener.NONE)
            .load(List.of(archive.source(server.uri(), archiveKey)), TestArchive.ARCHITECTURE);
    Resolution resolution = new Resolver(universe.packages(), TestArchive.ARCHITECTURE).resolve(List.of("hello"));
    PackageFetcher.Fetched fetched = new PackageFetcher(cache, BuildListener.NONE).fetch(resolution.packages());
    for (Map.Entry<BinaryPackage, Path> entry : fetched.files().entrySet()) {
      assertEquals(entry.getKey().sha256(), Sha256.hex(entry.getValue()), entry.getKey().name());
    }
    return resolution.packages();
  }

  private static TreeSet<String> names(List<BinaryPackage> packages) {
    TreeSet<String> names = new TreeSet<>();
    packages.forEach(pkg -> names.add(pkg.name()));
    return names;
  }

  @Test
  void inReleaseArchiveResolvesAndFetches() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());

    List<BinaryPackage> packages = resolveAndFetch(archive, cache(false));

    assertEquals(new TreeSet<>(List.of("greet-data", "hello", "libgreet")), names(packages));
    assertTrue(server.requests().contains("/dists/stable/InRelease"), server.requests().toString());
    assertTrue(server.requests().contains("/dists/stable/main/binary-amd64/Packages.xz"));
    assertTrue(server.requests().contains("/pool/main/hello_2.10-3_amd64.deb"));
    assertFalse(server.requests().contains("/pool/main/unrelated_1.0-1_amd64.deb"));
    BinaryPackage hello = packages.stream().filter(p -> p.name().equals("hello")).findFirst().orElseThrow();
    assertEquals(Files.size(archive.deb("hello")), hello.size());
    assertEquals("stable", hello.suite());
    assertEquals(TestArchive.COMPONENT, hello.component());
  }

  @Test
  void releaseAndDetachedSignatureAreRead() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages())
        .withoutInRelease().write(archiveDir);
    server = ArchiveServer.start(archive.root());

    List<BinaryPackage> packages = resolveAndFetch(archive, cache(false));

    assertEquals(3, packages.size());
    assertTrue(server.requests().contains("/dists/stable/Release.gpg"), server.requests().toString());
  }

  @Test
  void codenameNamesTheSuiteToo() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    Files.move(archive.root().resolve("dists/stable"), archive.root().resolve("dists/bookworm"));
    SourceSpec source = archive.source(server.uri(), archiveKey);
    SourceSpec byCodename = new SourceSpec(
        source.uris(), List.of("bookworm"), source.components(), List.of(), source.signedBy(), "test");

    IndexLoader.Universe universe =
        new IndexLoader(cache(false), BuildListener.NONE).load(List.of(byCodename), TestArchive.ARCHITECTURE);

    assertEquals(4, universe.packages().size());
  }

  @Test
  void secondRunUsesCacheAndOfflineWorks() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    resolveAndFetch(archive, cache(false));
    int requestsAfterFirst = server.requests().size();

    List<BinaryPackage> offline = resolveAndFetch(archive, cache(true));

    assertEquals(3, offline.size());
    assertEquals(requestsAfterFirst, server.requests().size());
  }

  @Test
  void warmOnlineLoadRequestsOnlyInRelease() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    SourceSpec source = archive.source(server.uri(), archiveKey);
    IndexLoader.Universe first =
        new IndexLoader(cache(false), BuildListener.NONE).load(List.of(source), TestArchive.ARCHITECTURE);
    int requestsAfterFirst = server.requests().size();

    IndexLoader.Universe warm = new IndexLoader(cache(false), BuildListener.NONE).load(List.of(source), TestArchive.ARCHITECTURE);

    assertEquals(first.packages().size(), warm.packages().size());
    assertEquals(List.of("/dists/stable/InRelease"), server.requests().subList(requestsAfterFirst, server.requests().size()));
  }

  @Test
  void offlineMissListsEverySuite() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    SourceSpec source = archive.source(server.uri(), archiveKey);
    SourceSpec twoSuites = new SourceSpec(
        source.uris(), List.of("stable", "stable-updates"), source.components(), List.of(), source.signedBy(), "test");

    MissingFromCacheException error = assertThrows(MissingFromCacheException.class,
        () -> new IndexLoader(cache(true), BuildListener.NONE).load(List.of(twoSuites), TestArchive.ARCHITECTURE));

    assertEquals(2, error.missing().size(), error.getMessage());
    assertTrue(error.missing().get(0).endsWith("/dists/stable/InRelease"), error.getMessage());
    assertTrue(error.missing().get(1).endsWith("/dists/stable-updates/InRelease"), error.getMessage());
  }

  @Test
  void missingKeyringNamesTheSource() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    SourceSpec source = archive.source(java.net.URI.create("http://127.0.0.1:9/"), archiveKey);
    SourceSpec badKeyring = new SourceSpec(source.uris(), source.suites(), source.components(), List.of(),
        java.util.Optional.of("/nonexistent/keyring.gpg"), "<sources> entry 1 of the pom");

    ImageBuildException error = assertThrows(ImageBuildException.class,
        () -> new IndexLoader(cache(false), BuildListener.NONE).load(List.of(badKeyring), TestArchive.ARCHITECTURE));

    assertTrue(error.getMessage().contains("<sources> entry 1 of the pom"), error.getMessage());
    assertTrue(error.getMessage().contains("/nonexistent/keyring.gpg"), error.getMessage());
  }

  @Test
  void flatRepositoryResolvesAndFetches() throws Exception {
    TestArchive archive =
        TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).flat().write(archiveDir);
    server = ArchiveServer.start(archive.root());

    List<BinaryPackage> packages = resolveAndFetch(archive, cache(false));

    assertEquals(new TreeSet<>(List.of("greet-data", "hello", "libgreet")), names(packages));
    assertTrue(server.requests().contains("/InRelease"), server.requests().toString());
    assertTrue(server.requests().contains("/Packages.xz"), server.requests().toString());
    assertTrue(server.requests().contains("/pool/main/hello_2.10-3_amd64.deb"), server.requests().toString());
    BinaryPackage hello = packages.stream().filter(p -> p.name().equals("hello")).findFirst().orElseThrow();
    assertEquals("./pool/main/hello_2.10-3_amd64.deb", hello.filename());
    assertEquals(server.uri().resolve("/pool/main/hello_2.10-3_amd64.deb"), hello.debUri());
  }

  @Test
  void flatRepositoryWithDetachedSignature() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages())
        .flat().withoutInRelease().write(archiveDir);
    server = ArchiveServer.start(archive.root());

    List<BinaryPackage> packages = resolveAndFetch(archive, cache(false));

    assertEquals(3, packages.size());
    assertTrue(server.requests().contains("/Release.gpg"), server.requests().toString());
  }

  @Test
  void flatRepositoryFromHostAptSources() throws Exception {
    TestArchive archive =
        TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).flat().write(archiveDir);
    server = ArchiveServer.start(archive.root());
    Path etcApt = Files.createDirectories(cacheDir.resolve("etc-apt"));
    Path keyring = etcApt.resolve("test-archive.asc");
    Files.writeString(keyring, archiveKey.publicArmored());
    Files.createDirectories(etcApt.resolve("sources.list.d"));
    Files.writeString(etcApt.resolve("sources.list"),
        "deb [signed-by=" + keyring + "] " + server.uri() + "/ ./\n");
    Files.writeString(etcApt.resolve("sources.list.d/flat.sources"),
        "Types: deb\nURIs: " + server.uri() + "\nSuites: ./\nSigned-By: " + keyring + "\n");

    List<SourceSpec> sources = HostAptSources.read(etcApt);
    IndexLoader.Universe universe =
        new IndexLoader(cache(false), BuildListener.NONE).load(sources, TestArchive.ARCHITECTURE);

    assertEquals(2, sources.size());
    assertEquals(List.of(), sources.get(0).components());
    assertEquals(List.of("./"), sources.get(1).suites());
    assertEquals(8, universe.packages().size());
    assertEquals(2, universe.suites().size());
  }

  @Test
  void flatSuiteWithComponentsRejected() throws Exception {
    TestArchive archive =
        TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).flat().write(archiveDir);
    server = ArchiveServer.start(archive.root());
    SourceSpec source = archive.source(server.uri(), archiveKey);
    SourceSpec withComponents = new SourceSpec(
        source.uris(), source.suites(), List.of("main"), List.of(), source.signedBy(), "test source");

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new IndexLoader(cache(false), BuildListener.NONE).load(List.of(withComponents), "amd64"));

    assertTrue(e.getMessage().startsWith("invalid source in test source: suite './' ends with '/'"), e.getMessage());
  }

  @Test
  void uncompressedIndexIsCachedAndReused() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    String plainDigest = Sha256.hex(archive.packagesIndex(""));
    String xzDigest = Sha256.hex(archive.packagesIndex(".xz"));
    resolveAndFetch(archive, cache(false));
    Path cachedPlain = cacheDir.resolve("blobs/sha256").resolve(plainDigest);
    assertArrayEquals(Files.readAllBytes(archive.packagesIndex("")), Files.readAllBytes(cachedPlain));
    assertFalse(server.requests().contains("/dists/stable/main/binary-amd64/Packages"));

    Files.delete(cacheDir.resolve("blobs/sha256").resolve(xzDigest));
    List<BinaryPackage> offline = resolveAndFetch(archive, cache(true));

    assertEquals(3, offline.size());
  }

  @Test
  void corruptUncompressedCopyIsReplaced() throws Exception {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    String plainDigest = Sha256.hex(archive.packagesIndex(""));
    resolveAndFetch(archive, cache(false));
    Path cachedPlain = cacheDir.resolve("blobs/sha256").resolve(plainDigest);
    Files.writeString(cachedPlain, Files.readString(cachedPlain).replace("Package: hello", "Package: hellp"));

    List<BinaryPackage> packages = resolveAndFetch(archive, cache(false));

    assertEquals(new TreeSet<>(List.of("greet-data", "hello", "libgreet")), names(packages));
    assertEquals(plainDigest, Sha256.hex(cachedPlain));
  }
}
