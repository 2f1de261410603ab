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
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loads and verifies real Debian indexes (component main) through {@link IndexLoader} with the
 * bundled archive keys. The mirror is the {@code DEBIMAGE_TEST_DEBIAN_MIRROR} environment
 * variable, or else the host's first apt source whose URI ends with {@code /debian}. The tests
 * are skipped when neither names a mirror or the mirror does not answer. Indexes are cached in
 * the normal per-user cache, so only the first run downloads them (about 9 MB each).
 */
class RealArchiveTest {

  private static Optional<URI> mirror;

  @BeforeAll
  static void findMirror() {
    mirror = configuredMirror().filter(RealArchiveTest::reachable);
  }

  private static Optional<URI> configuredMirror() {
    String fromEnvironment = System.getenv("DEBIMAGE_TEST_DEBIAN_MIRROR");
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
        if (path.replaceAll("/+$", "").endsWith("/debian") && uri.getScheme().startsWith("http")) {
          return Optional.of(uri);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean reachable(URI uri) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI release = URI.create(uri.toString().replaceAll("/+$", "") + "/dists/bookworm/Release");
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

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"bookworm, amd64", "bookworm, arm64", "trixie, amd64", "trixie, arm64"})
  void mainIndexVerifiesAndListsBash(String suite, String architecture) {
    assumeTrue(mirror.isPresent(), "no reachable Debian mirror in DEBIMAGE_TEST_DEBIAN_MIRROR or /etc/apt");
    SourceSpec source = new SourceSpec(
        List.of(mirror.get()), List.of(suite), List.of("main"), List.of(), Optional.empty(),
        "RealArchiveTest");
    DownloadCache cache = new DownloadCache(
        ImageSpec.defaultCacheDirectory(), new HttpDownloader(BuildListener.NONE), false);

    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE).load(List.of(source), architecture);

    assertEquals(1, universe.suites().size());
    assertTrue(universe.packages().size() > 50_000, "only " + universe.packages().size() + " packages");
    List<BinaryPackage> bash = universe.packages().stream().filter(pkg -> pkg.name().equals("bash")).toList();
    assertFalse(bash.isEmpty(), "no bash in " + suite + " " + architecture);
    assertEquals(architecture, bash.get(0).architecture());
    assertEquals("main", bash.get(0).component());
    assertTrue(universe.packages().stream().anyMatch(pkg -> pkg.architecture().equals("all")),
        "no architecture all packages in " + suite);
  }
}
