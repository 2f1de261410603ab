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
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampers with a signed test archive in the ways an attacker or a broken mirror could. Each change
 * must be rejected with a message that names the fault. The cache must keep no unverified file,
 * and the last good Release file must stay cached.
 */
class ArchiveAttackTest {

  private static TestKey archiveKey;
  private static TestKey otherKey;
  private static TestKey expiredKey;

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;

  private ArchiveServer server;

  @BeforeAll
  static void generateKeys() throws Exception {
    archiveKey = TestKey.generate("Test Archive <archive@example.org>");
    otherKey = TestKey.generate("Other <other@example.org>");
    expiredKey = TestKey.generateExpired("Expired <expired@example.org>");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private TestArchive.Builder archive(TestKey signingKey) {
    return TestArchive.builder(signingKey).addAll(TestArchive.samplePackages());
  }

  private TestArchive serve(TestArchive.Builder builder) throws IOException {
    TestArchive archive = builder.write(archiveDir);
    server = ArchiveServer.start(archive.root());
    return archive;
  }

  private DownloadCache cache() {
    return new DownloadCache(cacheDir, new HttpDownloader(BuildListener.NONE), false);
  }

  /** Loads the indexes, resolves {@code hello} and fetches its packages, as a build does. */
  private void build(SourceSpec source) {
    DownloadCache cache = cache();
    IndexLoader.Universe universe =
        new IndexLoader(cache, BuildListener.NONE).load(List.of(source), TestArchive.ARCHITECTURE);
    List<BinaryPackage> packages =
        new Resolver(universe.packages(), TestArchive.ARCHITECTURE).resolve(List.of("hello")).packages();
    new PackageFetcher(cache, BuildListener.NONE).fetch(packages);
  }

  private String buildFails(SourceSpec source) {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> build(source));
    assertCacheHoldsOnlyVerifiedBlobs();
    return e.getMessage();
  }

  /** Checks that every blob has the digest it is named by and that no download is left over. */
  private void assertCacheHoldsOnlyVerifiedBlobs() {
    try (Stream<Path> blobs = Files.list(cacheDir.resolve("blobs/sha256"));
        Stream<Path> temporary = Files.list(cacheDir.resolve("tmp"))) {
      for (Path blob : blobs.toList()) {
        assertEquals(blob.getFileName().toString(), Sha256.hex(blob), "unverified blob " + blob);
      }
      assertEquals(List.of(), temporary.toList(), "temporary files left in the cache");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns the content of every cached Release, InRelease and Release.gpg file. */
  private List<byte[]> cachedReleaseFiles() throws IOException {
    List<byte[]> contents = new ArrayList<>();
    try (Stream<Path> files = Files.list(cacheDir.resolve("releases"))) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith("Release") || name.endsWith("Release.gpg")) {
          contents.add(Files.readAllBytes(file));
        }
      }
    }
    return contents;
  }

  /** Builds once from the good archive, then checks that a failing build keeps its Release files. */
  private String failsAfterGoodBuild(TestArchive archive, Tampering tampering) throws Exception {
    SourceSpec source = archive.source(server.uri(), archiveKey);
    build(source);
    List<byte[]> goodReleaseFiles = cachedReleaseFiles();
    assertFalse(goodReleaseFiles.isEmpty(), "the good build cached no Release file");

    tampering.apply();
    String message = buildFails(source);

    List<byte[]> afterFailure = cachedReleaseFiles();
    assertEquals(goodReleaseFiles.size(), afterFailure.size());
    for (int i = 0; i < goodReleaseFiles.size(); i++) {
      assertArrayEquals(goodReleaseFiles.get(i), afterFailure.get(i), "a cached Release file changed");
    }
    return message;
  }

  /** A change to the archive on disk. */
  private interface Tampering {
    void apply() throws Exception;
  }

  private static void replaceText(Path file, String from, String to) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains(from), from + " not in " + file);
    Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), to), StandardCharsets.UTF_8);
  }

  private static void flipByte(Path file, int offsetFromEnd) throws IOException {
    byte[] data = Files.readAllBytes(file);
    data[data.length - offsetFromEnd] ^= 0x01;
    Files.write(file, data);
  }

  @Test
  void changedByteInInReleaseRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));

    String message = failsAfterGoodBuild(archive, () -> replaceText(archive.inRelease(), "Label: Test", "Label: Tesu"));

    assertTrue(message.startsWith("bad signature on " + server.uri() + "/dists/stable/InRelease"), message);
    assertTrue(message.contains(archiveKey.fingerprint()), message);
  }

  @Test
  void textAfterSignatureRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));

    String message = failsAfterGoodBuild(archive, () -> Files.writeString(
        archive.inRelease(), "Acquire-By-Hash: yes\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND));

    assertTrue(message.contains("comes after the signature"), message);
    assertTrue(message.contains("must not have unsigned text"), message);
  }

  @Test
  void textBeforeSignedMessageRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));

    String message = failsAfterGoodBuild(archive, () -> {
      byte[] signed = Files.readAllBytes(archive.inRelease());
      byte[] prefix = "Suite: stable\n\n".getBytes(StandardCharsets.UTF_8);
      byte[] changed = new byte[prefix.length + signed.length];
      System.arraycopy(prefix, 0, changed, 0, prefix.length);
      System.arraycopy(signed, 0, changed, prefix.length, signed.length);
      Files.write(archive.inRelease(), changed);
    });

    assertTrue(message.contains("comes before the -----BEGIN PGP SIGNED MESSAGE----- line"), message);
  }

  @Test
  void unknownKeyRejected() throws Exception {
    TestArchive archive = serve(archive(otherKey));

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("unknown signing key for " + server.uri() + "/dists/stable/InRelease"), message);
    assertTrue(message.contains(otherKey.fingerprint()), message);
    assertTrue(message.contains("Signed-By of the test archive"), message);
  }

  @Test
  void expiredKeyRejected() throws Exception {
    TestArchive archive = serve(archive(expiredKey));

    String message = buildFails(archive.source(server.uri(), expiredKey));

    assertTrue(message.startsWith("no usable signature on " + server.uri()), message);
    assertTrue(message.contains("primary key " + expiredKey.fingerprint() + " expired on"), message);
  }

  @Test
  void pastValidUntilRejected() throws Exception {
    Instant now = Instant.now();
    TestArchive archive = serve(archive(archiveKey)
        .date(now.minus(Duration.ofDays(10))).validUntil(Optional.of(now.minus(Duration.ofDays(3)))));

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("expired Release file " + server.uri() + "/dists/stable/InRelease"), message);
    assertTrue(message.contains("Valid-Until"), message);
  }

  @Test
  void pastValidUntilAllowedForSnapshotSource() throws Exception {
    Instant now = Instant.now();
    TestArchive archive = serve(archive(archiveKey)
        .date(now.minus(Duration.ofDays(10))).validUntil(Optional.of(now.minus(Duration.ofDays(3)))));
    SourceSpec snapshot = archive.source(server.uri(), archiveKey).withAllowExpiredValidUntil(true);
    List<String> warnings = new ArrayList<>();
    BuildListener listener = new BuildListener() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }

      @Override
      public void debug(String message) {}
    };

    IndexLoader.Universe universe =
        new IndexLoader(cache(), listener).load(List.of(snapshot), TestArchive.ARCHITECTURE);

    assertEquals(4, universe.packages().size());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("Using the expired Release file " + server.uri()), warnings.get(0));
  }

  @Test
  void futureDateRejectedEvenForSnapshotSource() throws Exception {
    TestArchive archive = serve(archive(archiveKey).date(Instant.now().plus(Duration.ofDays(1))));
    SourceSpec snapshot = archive.source(server.uri(), archiveKey).withAllowExpiredValidUntil(true);

    String message = buildFails(snapshot);

    assertTrue(message.contains("is dated in the future"), message);
  }

  @Test
  void pastValidUntilReplacedByGoodCopyRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));
    Instant now = Instant.now();

    String message = failsAfterGoodBuild(archive, () -> TestArchive.builder(archiveKey)
        .addAll(TestArchive.samplePackages())
        .date(now.minus(Duration.ofDays(10))).validUntil(Optional.of(now.minus(Duration.ofDays(3))))
        .write(archiveDir));

    assertTrue(message.startsWith("expired Release file"), message);
  }

  @Test
  void suiteMismatchRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey).suite("oldstable", "bullseye"));
    Files.move(archiveDir.resolve("dists/oldstable"), archiveDir.resolve("dists/stable"));
    SourceSpec source = archive.source(server.uri(), archiveKey);
    SourceSpec askingForStable = new SourceSpec(
        source.uris(), List.of("stable"), source.components(), List.of(), source.signedBy(), source.origin());

    String message = buildFails(askingForStable);

    assertTrue(message.startsWith("wrong suite in Release file " + server.uri() + "/dists/stable/InRelease"), message);
    assertTrue(message.contains("asks for suite 'stable'"), message);
    assertTrue(message.contains("Suite 'oldstable', Codename 'bullseye'"), message);
  }

  @Test
  void changedIndexRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));
    String signedDigest = Sha256.hex(archive.packagesIndex(".xz"));
    flipByte(archive.packagesIndex(".xz"), 20);

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("SHA256 mismatch for " + server.uri() + "/dists/stable/main/binary-amd64/Packages.xz"),
        message);
    assertTrue(message.contains("expected " + signedDigest), message);
    assertTrue(message.contains("The file was not used"), message);
  }

  @Test
  void indexOfOtherSizeRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));
    Files.writeString(archive.packagesIndex(".xz"), "not an index");

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("size mismatch for " + server.uri() + "/dists/stable/main/binary-amd64/Packages.xz"),
        message);
  }

  @Test
  void changedDebRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));
    String signedDigest = Sha256.hex(archive.deb("libgreet"));
    flipByte(archive.deb("libgreet"), 10);

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("SHA256 mismatch for " + server.uri() + "/pool/main/libgreet_1.2-1_amd64.deb"),
        message);
    assertTrue(message.contains("expected " + signedDigest), message);
    assertTrue(message.contains("got " + Sha256.hex(archive.deb("libgreet"))), message);
    assertFalse(Files.exists(cacheDir.resolve("blobs/sha256").resolve(signedDigest)));
  }

  @Test
  void truncatedDebRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey));
    Path deb = archive.deb("hello");
    long signedSize = Files.size(deb);
    byte[] data = Files.readAllBytes(deb);
    Files.write(deb, java.util.Arrays.copyOf(data, data.length / 2));

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("size mismatch for " + server.uri() + "/pool/main/hello_2.10-3_amd64.deb"), message);
    assertTrue(message.contains("expected " + signedSize + " bytes"), message);
    assertTrue(message.contains("got " + data.length / 2), message);
  }

  @Test
  void changedReleaseBesideSignatureRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey).withoutInRelease());

    String message = failsAfterGoodBuild(archive, () -> replaceText(archive.release(), "Label: Test", "Label: Tesu"));

    assertTrue(message.startsWith("bad signature on " + server.uri() + "/dists/stable/Release"), message);
  }

  @Test
  void missingDetachedSignatureRejected() throws Exception {
    TestArchive archive = serve(archive(archiveKey).withoutInRelease());
    Files.delete(archive.releaseSignature());

    String message = buildFails(archive.source(server.uri(), archiveKey));

    assertTrue(message.startsWith("missing signature for " + server.uri() + "/dists/stable/Release"), message);
  }
}
