package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks where the loader fetches an index from: the by-hash path when the Release file offers
 * Acquire-By-Hash, the file name when the mirror lacks the by-hash file, and the next compression
 * when the mirror lacks a compressed file.
 */
class IndexFallbackTest {

  private static final String INDEX_DIRECTORY = "/dists/stable/main/binary-amd64/";

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

  private IndexLoader.Universe load(TestArchive archive) {
    DownloadCache cache = new DownloadCache(cacheDir, new HttpDownloader(BuildListener.NONE), false);
    SourceSpec source = archive.source(server.uri(), archiveKey);
    return new IndexLoader(cache, BuildListener.NONE).load(List.of(source), TestArchive.ARCHITECTURE);
  }

  /**
   * Adds {@code Acquire-By-Hash: yes} to the archive's Release file, signs it again as InRelease,
   * and copies the compressed index to its by-hash path unless {@code withByHashFile} is false.
   */
  private void offerByHash(TestArchive archive, boolean withByHashFile) throws Exception {
    String release = Files.readString(archive.release(), StandardCharsets.UTF_8)
        .replace("Description:", "Acquire-By-Hash: yes\nDescription:");
    Files.write(archive.inRelease(), archiveKey.clearsign(release));
    Files.delete(archive.release());
    Files.delete(archive.releaseSignature());
    if (withByHashFile) {
      Path xz = archive.packagesIndex(".xz");
      Path byHash = xz.resolveSibling("by-hash/SHA256/" + Sha256.hex(xz));
      Files.createDirectories(byHash.getParent());
      Files.copy(xz, byHash);
    }
  }

  private TestArchive serve() throws IOException {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    server = ArchiveServer.start(archive.root());
    return archive;
  }

  private List<String> indexRequests() {
    return server.requests().stream().filter(path -> path.startsWith(INDEX_DIRECTORY)).toList();
  }

  @Test
  void byHashPathIsUsed() throws Exception {
    TestArchive archive = serve();
    offerByHash(archive, true);

    IndexLoader.Universe universe = load(archive);

    assertFalse(universe.packages().isEmpty());
    String hash = Sha256.hex(archive.packagesIndex(".xz"));
    assertEquals(List.of(INDEX_DIRECTORY + "by-hash/SHA256/" + hash), indexRequests());
  }

  @Test
  void missingByHashFallsBackToFileName() throws Exception {
    TestArchive archive = serve();
    offerByHash(archive, false);

    IndexLoader.Universe universe = load(archive);

    assertFalse(universe.packages().isEmpty());
    String hash = Sha256.hex(archive.packagesIndex(".xz"));
    assertEquals(
        List.of(INDEX_DIRECTORY + "by-hash/SHA256/" + hash, INDEX_DIRECTORY + "Packages.xz"), indexRequests());
  }

  @Test
  void missingXzFallsBackToUncompressed() throws Exception {
    TestArchive archive = serve();
    Files.delete(archive.packagesIndex(".xz"));

    IndexLoader.Universe universe = load(archive);

    assertTrue(universe.packages().stream().anyMatch(pkg -> pkg.name().equals("hello")), universe.packages().toString());
    assertEquals(List.of(INDEX_DIRECTORY + "Packages.xz", INDEX_DIRECTORY + "Packages"), indexRequests());
  }

  @Test
  void indexMissingEverywhereNamesEachLocation() throws Exception {
    TestArchive archive = serve();
    offerByHash(archive, false);
    Files.delete(archive.packagesIndex(".xz"));
    Files.delete(archive.packagesIndex(""));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> load(archive));

    assertTrue(e.getMessage().startsWith("index main/binary-amd64/Packages of suite stable"), e.getMessage());
    assertTrue(e.getMessage().contains(server.uri() + INDEX_DIRECTORY + "Packages.xz"), e.getMessage());
    assertTrue(e.getMessage().contains(server.uri() + INDEX_DIRECTORY + "Packages were not found"), e.getMessage());
    assertTrue(e.getMessage().contains("by-hash/SHA256/"), e.getMessage());
    assertTrue(e.getMessage().contains("retry later or use another mirror"), e.getMessage());
  }

  @Test
  void changedIndexAtFileNameIsStillRejected() throws Exception {
    TestArchive archive = serve();
    offerByHash(archive, false);
    Files.write(archive.packagesIndex(".xz"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> load(archive));

    assertTrue(e.getMessage().contains("mismatch for " + server.uri() + INDEX_DIRECTORY + "Packages.xz"), e.getMessage());
  }
}
