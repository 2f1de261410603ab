package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loads and verifies real Debian indexes (component main) through {@link IndexLoader} with the
 * bundled archive keys. The mirror is the {@code DEBIMAGE_TEST_DEBIAN_MIRROR} environment
 * variable, or else the host's first apt source whose URI ends with {@code /debian}. The security
 * suites come from {@code DEBIMAGE_TEST_DEBIAN_SECURITY_MIRROR}, or else the host's first apt
 * source whose URI ends with {@code /debian-security}. Each test is skipped when its mirror is not
 * named or does not respond. Indexes are cached in the normal per-user cache, so only the first
 * run downloads them (about 9 MB each for bookworm and trixie main).
 */
class RealArchiveTest {

  private static Optional<URI> mirror;
  private static Optional<URI> securityMirror;

  @BeforeAll
  static void findMirrors() {
    mirror = configuredMirror("DEBIMAGE_TEST_DEBIAN_MIRROR", "/debian")
        .filter(uri -> reachable(uri, "bookworm"));
    securityMirror = configuredMirror("DEBIMAGE_TEST_DEBIAN_SECURITY_MIRROR", "/debian-security")
        .filter(uri -> reachable(uri, "bookworm-security"));
  }

  /** Returns the URI in {@code variable}, or else the host's first http source whose path ends with {@code pathEnd}. */
  private static Optional<URI> configuredMirror(String variable, String pathEnd) {
    String fromEnvironment = System.getenv(variable);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(URI.create(fromEnvironment.strip()));
    }
    List<SourceSpec> hostSources;
    try {
      hostSources = HostAptSources.read(Path.of("/etc/apt"));
    } catch (ImageBuildException e) {
      return Optional.empty();
    }
    for (SourceSpec source : hostSources) {
      for (URI uri : source.uris()) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.replaceAll("/+$", "").endsWith(pathEnd) && uri.getScheme().startsWith("http")) {
          return Optional.of(uri);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean reachable(URI uri, String suite) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI release = URI.create(uri.toString().replaceAll("/+$", "") + "/dists/" + suite + "/Release");
    HttpRequest request =
        HttpRequest.newBuilder(release).timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static URI mirror() {
    assumeTrue(mirror.isPresent(), "no reachable Debian mirror in DEBIMAGE_TEST_DEBIAN_MIRROR or /etc/apt");
    return mirror.get();
  }

  private static URI securityMirror() {
    assumeTrue(securityMirror.isPresent(),
        "no reachable Debian security mirror in DEBIMAGE_TEST_DEBIAN_SECURITY_MIRROR or /etc/apt");
    return securityMirror.get();
  }

  private static SourceSpec source(URI uri, String suite) {
    return new SourceSpec(List.of(uri), List.of(suite), List.of("main"), List.of(), Optional.empty(), "RealArchiveTest");
  }

  private static DownloadCache cache(boolean offline) {
    return new DownloadCache(ImageSpec.defaultCacheDirectory(), new HttpDownloader(BuildListener.NONE), offline);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"bookworm, amd64", "bookworm, arm64", "trixie, amd64", "trixie, arm64"})
  void mainIndexVerifiesAndListsBash(String suite, String architecture) {
    DownloadCache cache = cache(false);

    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE).load(List.of(source(mirror(), suite)), architecture);

    assertEquals(1, universe.suites().size());
    ReleaseFile release = universe.suites().get(0).release();
    assertEquals(Optional.of("Debian"), release.origin());
    assertEquals(Optional.of(suite), release.codename());
    assertTrue(release.acquireByHash(), "the Release file of " + suite + " does not offer Acquire-By-Hash");
    assertTrue(universe.packages().size() > 50_000, "only " + universe.packages().size() + " packages");
    List<BinaryPackage> bash = universe.packages().stream().filter(pkg -> pkg.name().equals("bash")).toList();
    assertFalse(bash.isEmpty(), "no bash in " + suite + " " + architecture);
    assertEquals(architecture, bash.get(0).architecture());
    assertEquals("main", bash.get(0).component());
    assertTrue(universe.packages().stream().anyMatch(pkg -> pkg.architecture().equals("all")),
        "no architecture all packages in " + suite);
    for (BinaryPackage pkg : universe.packages()) {
      assertTrue(pkg.architecture().equals(architecture) || pkg.architecture().equals("all"), pkg.toString());
    }
  }

  /**
   * Counts the stanzas of the uncompressed index that the loader cached, line by line and without
   * the deb822 parser, and compares the count with the packages the loader returned.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"bookworm, amd64", "trixie, arm64"})
  void loadedPackagesMatchIndexStanzas(String suite, String architecture) throws IOException {
    DownloadCache cache = cache(false);
    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE).load(List.of(source(mirror(), suite)), architecture);
    ReleaseFile.IndexFile plain =
        universe.suites().get(0).release().sha256("main/binary-" + architecture + "/Packages").orElseThrow();

    Path index = cache.find(plain.sha256(), plain.size())
        .orElseThrow(() -> new AssertionError("the uncompressed index of " + suite + " " + architecture + " is not cached"));

    long stanzas;
    try (Stream<String> lines = Files.lines(index, StandardCharsets.UTF_8)) {
      stanzas = lines.filter(line -> line.startsWith("Package: ")).count();
    }
    assertEquals(stanzas, universe.packages().size());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "bookworm-updates, amd64", "bookworm-updates, arm64", "trixie-updates, amd64", "trixie-updates, arm64"
  })
  void updatesSuiteVerifies(String suite, String architecture) {
    IndexLoader.Universe universe =
        new IndexLoader(cache(false), BuildListener.NONE).load(List.of(source(mirror(), suite)), architecture);

    ReleaseFile release = universe.suites().get(0).release();
    assertEquals(Optional.of(suite), release.codename());
    assertFalse(universe.packages().isEmpty(), "no packages in " + suite + " " + architecture);
    assertTrue(universe.packages().stream().allMatch(pkg -> pkg.suite().equals(suite)), suite);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "bookworm-security, amd64", "bookworm-security, arm64", "trixie-security, amd64", "trixie-security, arm64"
  })
  void securitySuiteVerifies(String suite, String architecture) {
    IndexLoader.Universe universe =
        new IndexLoader(cache(false), BuildListener.NONE).load(List.of(source(securityMirror(), suite)), architecture);

    ReleaseFile release = universe.suites().get(0).release();
    assertEquals(Optional.of(suite), release.codename());
    assertEquals(Optional.of("Debian"), release.origin());
    assertFalse(universe.packages().isEmpty(), "no packages in " + suite + " " + architecture);
  }

  /** Suite names such as {@code stable} pass the Suite check, and the Codename names the release. */
  @Test
  void stableAndOldstableNameReleases() {
    IndexLoader loader = new IndexLoader(cache(false), BuildListener.NONE);

    IndexLoader.Universe stable = loader.load(List.of(source(mirror(), "stable")), "amd64");
    IndexLoader.Universe oldstable = loader.load(List.of(source(mirror(), "oldstable")), "amd64");

    ReleaseFile stableRelease = stable.suites().get(0).release();
    ReleaseFile oldstableRelease = oldstable.suites().get(0).release();
    assertEquals(Optional.of("stable"), stableRelease.suite());
    assertEquals(Optional.of("oldstable"), oldstableRelease.suite());
    assertTrue(stableRelease.codename().isPresent(), "stable has no Codename");
    assertTrue(oldstableRelease.codename().isPresent(), "oldstable has no Codename");
    assertFalse(stableRelease.codename().equals(oldstableRelease.codename()), "stable and oldstable share a Codename");
  }

  /** Four threads, each parsing a range of the cached bookworm index, return what one thread returns. */
  @Test
  void parallelLoadMatchesOneThread() {
    List<SourceSpec> sources = List.of(source(mirror(), "bookworm"));
    IndexLoader.Universe oneThread = new IndexLoader(cache(false), BuildListener.NONE, 1).load(sources, "amd64");

    IndexLoader.Universe fourThreads = new IndexLoader(cache(true), BuildListener.NONE, 4).load(sources, "amd64");

    assertEquals(oneThread.packages().size(), fourThreads.packages().size());
    for (int i = 0; i < oneThread.packages().size(); i++) {
      BinaryPackage expected = oneThread.packages().get(i);
      BinaryPackage actual = fourThreads.packages().get(i);
      assertEquals(expected.toString(), actual.toString(), "package " + i);
      assertEquals(expected.stanza().fields(), actual.stanza().fields(), "stanza of " + expected);
    }
  }

  /** After one online load, the same indexes load from the cache alone, as {@code mvn -o} does. */
  @Test
  void offlineLoadMatchesOnlineLoad() {
    List<SourceSpec> sources = List.of(source(mirror(), "bookworm"));
    IndexLoader.Universe online = new IndexLoader(cache(false), BuildListener.NONE).load(sources, "amd64");

    IndexLoader.Universe offline = new IndexLoader(cache(true), BuildListener.NONE).load(sources, "amd64");

    assertEquals(online.packages().size(), offline.packages().size());
    assertEquals(online.packages().stream().map(BinaryPackage::toString).toList(),
        offline.packages().stream().map(BinaryPackage::toString).toList());
    assertEquals(online.suites().get(0).release().date(), offline.suites().get(0).release().date());
  }
}
