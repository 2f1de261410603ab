package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.resolution.DebianVersion;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads Ubuntu noble, noble-updates and noble-security (component main, amd64) from a real
 * Ubuntu archive with the bundled Ubuntu keys, then resolves, fetches and assembles a small
 * package set. The archive is the URI in {@value #MIRROR_VARIABLE}, such as {@code
 * http://HOST/ubuntu}, and the security suite comes from {@value #SECURITY_MIRROR_VARIABLE}, or
 * from the same URI when that is unset. Without {@value #MIRROR_VARIABLE} every test is skipped.
 * Indexes and packages go to a cache in {@code target/ubuntu-archive-cache}, so only the first run
 * after {@code mvn clean} downloads them.
 */
class UbuntuArchiveTest {

  static final String MIRROR_VARIABLE = "DEBIMAGE_UBUNTU_MIRROR";
  static final String SECURITY_MIRROR_VARIABLE = "DEBIMAGE_UBUNTU_SECURITY_MIRROR";

  private static final String ARCHITECTURE = "amd64";
  private static final Path CACHE_DIRECTORY = Path.of("target", "ubuntu-archive-cache").toAbsolutePath();
  private static final String SKIPPED =
      MIRROR_VARIABLE + " is not set: set it to an Ubuntu archive URI such as http://HOST/ubuntu"
          + " (and optionally " + SECURITY_MIRROR_VARIABLE + " for noble-security) to run the Ubuntu"
          + " archive tests";

  @TempDir Path dir;

  private static Optional<URI> environmentUri(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(URI.create(value.strip().replaceAll("/+$", "")));
  }

  private static URI mirror() {
    Optional<URI> mirror = environmentUri(MIRROR_VARIABLE);
    assumeTrue(mirror.isPresent(), SKIPPED);
    return mirror.get();
  }

  private static URI securityMirror() {
    return environmentUri(SECURITY_MIRROR_VARIABLE).orElseGet(UbuntuArchiveTest::mirror);
  }

  /** Returns the URI that serves {@code suite}: the security URI for the security suite. */
  private static URI uriFor(String suite) {
    return suite.endsWith("-security") ? securityMirror() : mirror();
  }

  private static SourceSpec source(URI uri, String suite, Optional<String> signedBy) {
    return new SourceSpec(
        List.of(uri), List.of(suite), List.of("main"), List.of(), signedBy, "UbuntuArchiveTest " + suite);
  }

  /** Returns noble's three suites as an Ubuntu image names them: two sources, one per archive. */
  private static List<SourceSpec> nobleSources() {
    return List.of(
        new SourceSpec(List.of(mirror()), List.of("noble", "noble-updates"), List.of("main"), List.of(),
            Optional.empty(), "UbuntuArchiveTest archive"),
        source(securityMirror(), "noble-security", Optional.empty()));
  }

  /**
   * Returns a cache in the build directory, not the per-user one, because tests that assemble
   * every package in the per-user cache expect only Debian packages there.
   */
  private static DownloadCache cache(BuildListener listener) {
    return new DownloadCache(CACHE_DIRECTORY, new HttpDownloader(listener), false);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"noble", "noble-updates", "noble-security"})
  void suiteVerifiesWithBundledKeys(String suite) {
    URI uri = uriFor(suite);
    RecordingListener listener = new RecordingListener();

    IndexLoader.Universe universe =
        new IndexLoader(cache(listener), listener).load(List.of(source(uri, suite, Optional.empty())), ARCHITECTURE);

    assertEquals(1, universe.suites().size());
    ReleaseFile release = universe.suites().get(0).release();
    assertEquals(Optional.of("Ubuntu"), release.origin());
    assertEquals(Optional.of(suite), release.suite());
    assertEquals(Optional.of("noble"), release.codename());
    String inRelease = uri + "/dists/" + suite + "/InRelease";
    assertTrue(listener.infos.stream().anyMatch(message -> message.startsWith("Verified " + inRelease)),
        "no verified InRelease in " + listener.infos);
    assertTrue(listener.warnings.isEmpty(), listener.warnings.toString());
    for (BinaryPackage pkg : universe.packages()) {
      assertEquals(suite, pkg.suite(), pkg.toString());
      assertEquals("main", pkg.component(), pkg.toString());
      assertTrue(pkg.architecture().equals(ARCHITECTURE) || pkg.architecture().equals("all"), pkg.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"noble", "noble-security"})
  void suiteVerifiesWithNamedUbuntuKeyring(String suite) {
    SourceSpec source = source(uriFor(suite), suite, Optional.of(Keyring.BUNDLED_UBUNTU));

    IndexLoader.Universe universe = new IndexLoader(cache(BuildListener.NONE), BuildListener.NONE)
        .load(List.of(source), ARCHITECTURE);

    assertEquals(Optional.of(suite), universe.suites().get(0).release().suite());
  }

  @Test
  void debianKeyringRejectsNoble() {
    SourceSpec source = source(mirror(), "noble", Optional.of(Keyring.BUNDLED_DEBIAN));
    IndexLoader loader = new IndexLoader(cache(BuildListener.NONE), BuildListener.NONE);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> loader.load(List.of(source), ARCHITECTURE));

    assertTrue(e.getMessage().startsWith("unknown signing key"), e.getMessage());
    assertTrue(e.getMessage().contains("bundled:debian"), e.getMessage());
  }

  @Test
  void nobleMainIndexHasCorePackages() {
    IndexLoader.Universe universe = new IndexLoader(cache(BuildListener.NONE), BuildListener.NONE)
        .load(List.of(source(mirror(), "noble", Optional.empty())), ARCHITECTURE);

    assertTrue(universe.packages().size() > 5_000, "only " + universe.packages().size() + " packages");
    for (String name : List.of("libc6", "ca-certificates", "base-files", "openssl")) {
      assertTrue(universe.packages().stream().anyMatch(pkg -> pkg.name().equals(name)), "no " + name + " in noble");
    }
    // Ubuntu lists architecture all packages in binary-amd64, since its Release file offers no binary-all.
    assertFalse(universe.suites().get(0).release().architectures().contains("all"));
    assertTrue(universe.packages().stream().anyMatch(pkg -> pkg.architecture().equals("all")),
        "no architecture all packages in noble");
  }

  /**
   * A mirror that serves noble-updates' validly signed InRelease as noble-backports' must be
   * rejected by the Suite and Codename check, because the signature is valid for both paths. A
   * server on 127.0.0.1 plays that mirror.
   */
  @Test
  void substitutedSuiteIsRejected() throws Exception {
    byte[] updates = download(URI.create(mirror() + "/dists/noble-updates/InRelease"));
    Path release = dir.resolve("ubuntu/dists/noble-backports/InRelease");
    Files.createDirectories(release.getParent());
    Files.write(release, updates);
    DownloadCache cache = new DownloadCache(dir.resolve("cache"), new HttpDownloader(BuildListener.NONE), false);

    try (ArchiveServer server = ArchiveServer.start(dir)) {
      SourceSpec source = source(URI.create(server.uri() + "/ubuntu"), "noble-backports", Optional.empty());
      IndexLoader loader = new IndexLoader(cache, BuildListener.NONE);

      ImageBuildException e = assertThrows(ImageBuildException.class, () -> loader.load(List.of(source), ARCHITECTURE));

      assertTrue(e.getMessage().startsWith("wrong suite in Release file"), e.getMessage());
      assertTrue(e.getMessage().contains("'noble-backports'"), e.getMessage());
      assertTrue(e.getMessage().contains("Suite 'noble-updates'"), e.getMessage());
    }
  }

  @Test
  void smallSetResolvesFetchesAndAssembles() throws Exception {
    DownloadCache cache = cache(BuildListener.NONE);
    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE).load(nobleSources(), ARCHITECTURE);
    assertEquals(3, universe.suites().size());

    Resolution resolution =
        new Resolver(universe.packages(), ARCHITECTURE, Resolver.notAutomaticSuites(universe.suites()))
            .resolve(List.of("ca-certificates", "libc6"));

    List<String> names = resolution.packages().stream().map(BinaryPackage::name).toList();
    assertTrue(names.contains("libc6"), names.toString());
    assertTrue(names.contains("ca-certificates"), names.toString());
    assertTrue(names.contains("openssl"), "ca-certificates depends on openssl: " + names);
    BinaryPackage libc6 = resolution.packages().stream().filter(pkg -> pkg.name().equals("libc6")).findFirst().orElseThrow();
    assertEquals(newestVersion(universe, "libc6"), libc6.version());

    PackageFetcher.Fetched fetched = new PackageFetcher(cache, BuildListener.NONE).fetch(resolution.packages());
    assertEquals(resolution.packages().size(), fetched.files().size());
    for (Map.Entry<BinaryPackage, Path> entry : fetched.files().entrySet()) {
      assertEquals(entry.getKey().sha256(), Sha256.hex(Files.readAllBytes(entry.getValue())), entry.getKey().toString());
    }

    List<AssemblyInput> inputs = new ArrayList<>();
    fetched.files().forEach((pkg, file) -> inputs.add(new AssemblyInput(pkg, file)));
    FileTree tree = Assembler.assemble(
        inputs, new AssemblyOptions(ARCHITECTURE, Instant.EPOCH, dir.resolve("data")));

    assertTrue(tree.resolve("usr/lib/x86_64-linux-gnu/libc.so.6").isPresent(), "no libc.so.6 in the tree");
    FileEntry bundle = tree.get("etc/ssl/certs/ca-certificates.crt").orElseThrow();
    long bundleSize = bundle.content().size();
    assertTrue(bundleSize > 100_000, "ca-certificates.crt has only " + bundleSize + " bytes");
    String status = text(tree, "var/lib/dpkg/status");
    assertTrue(status.contains("Package: libc6\n"), "libc6 is missing from the dpkg status");
    assertTrue(status.contains("Package: ca-certificates\n"), "ca-certificates is missing from the dpkg status");
    assertTrue(status.contains("Package: libc6\nStatus: install ok installed\n"), "libc6 is not installed");
    assertTrue(status.contains("Version: " + libc6.version() + "\n"), "libc6 " + libc6.version() + " is not in the dpkg status");
  }

  /** Returns a regular file of the tree as UTF-8 text, following symbolic links. */
  private static String text(FileTree tree, String path) throws IOException {
    FileEntry entry = tree.resolve(path).orElseThrow(() -> new AssertionError("no " + path + " in the tree"));
    return new String(entry.content().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String newestVersion(IndexLoader.Universe universe, String name) {
    List<String> versions = universe.packages().stream().filter(pkg -> pkg.name().equals(name)).map(BinaryPackage::version).toList();
    String newest = versions.get(0);
    for (String version : versions) {
      if (DebianVersion.parse(version).compareTo(DebianVersion.parse(newest)) > 0) {
        newest = version;
      }
    }
    return newest;
  }

  private static byte[] download(URI uri) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), "GET " + uri);
    return response.body();
  }

  /** Records info messages and warnings. */
  private static final class RecordingListener implements BuildListener {
    final List<String> infos = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();

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
  }
}
