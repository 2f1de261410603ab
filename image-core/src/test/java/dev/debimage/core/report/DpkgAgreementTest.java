package dev.debimage.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.report.ImageTree.DpkgPackage;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images, unpacks their layers and checks that {@code packages.json}, both SBOMs and the
 * SPDX copy inside the image list exactly the packages, versions and architectures that {@code
 * dpkg --root=ROOT -l} reads from the image's own dpkg database.
 */
class DpkgAgreementTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code pkg:deb/NAMESPACE/NAME@VERSION?QUALIFIERS}, with NAME and VERSION percent-encoded. */
  private static final Pattern DEB_PURL = Pattern.compile("pkg:deb/[a-z]+/([^@]+)@([^?]+)\\?(.*)");

  /** The package that examples/hello-java installs; its dependencies make a real JRE image. */
  private static final String SAMPLE_PACKAGE = "openjdk-17-jre-headless";

  @TempDir Path temp;

  @Test
  void testArchiveImageAgreesWithDpkg() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is not installed");
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive =
        TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(temp.resolve("archive"));
    Path output = temp.resolve("out");
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      ImageSpec spec = ImageSpec.builder()
          .addSource(archive.source(server.uri(), key))
          .addPackage("hello")
          .architecture(TestArchive.ARCHITECTURE)
          .timestamp(Instant.parse("2026-01-01T00:00:00Z"))
          .imageReference("test/hello:1")
          .outputDirectory(output)
          .cacheDirectory(temp.resolve("cache"))
          .build();
      new ImageBuilder(BuildListener.NONE).build(spec);
    }

    Map<String, DpkgPackage> dpkg = assertInventoriesAgree(output);

    assertEquals(
        Map.of(
            "hello", new DpkgPackage("hello", "2.10-3", "amd64"),
            "libgreet", new DpkgPackage("libgreet", "1.2-1", "amd64"),
            "greet-data", new DpkgPackage("greet-data", "1.2-1", "all")),
        dpkg);
  }

  @Test
  void sampleImageFromMirrorAgreesWithDpkg() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is not installed");
    Optional<String> unreachable = hostSourcesUnreachable();
    assumeTrue(unreachable.isEmpty(), () -> "skipped: " + unreachable.get());
    Path output = temp.resolve("out");
    // The host's apt sources and the per-user cache, as the sample build uses them, so that only
    // the first run on a machine downloads the packages.
    ImageSpec spec = ImageSpec.builder()
        .addPackage(SAMPLE_PACKAGE)
        .architecture("amd64")
        .timestamp(Instant.parse("2026-01-01T00:00:00Z"))
        .imageReference("example/hello-java:1.0")
        .outputDirectory(output)
        .cacheDirectory(ImageSpec.defaultCacheDirectory())
        .build();
    new ImageBuilder(BuildListener.NONE).build(spec);

    Map<String, DpkgPackage> dpkg = assertInventoriesAgree(output);

    assertTrue(dpkg.containsKey(SAMPLE_PACKAGE), "dpkg lists no " + SAMPLE_PACKAGE + ": " + dpkg.keySet());
    assertTrue(dpkg.containsKey("libc6"), "dpkg lists no libc6");
    assertTrue(dpkg.size() > 20, "a JRE image with only " + dpkg.size() + " packages: " + dpkg.keySet());
  }

  /**
   * Unpacks the image under {@code output}, asserts that every inventory equals dpkg's list, and
   * returns dpkg's list.
   */
  private Map<String, DpkgPackage> assertInventoriesAgree(Path output) throws Exception {
    ImageTree tree = ImageTree.unpack(output.resolve("oci"), temp.resolve("rootfs"));
    Map<String, DpkgPackage> dpkg = tree.dpkgList();
    assertFalse(dpkg.isEmpty(), "dpkg lists no package");

    assertEquals(dpkg, fromPackagesJson(output.resolve(PackageReport.FILE_NAME)), "packages.json differs from dpkg -l");
    assertEquals(dpkg, fromSpdx(output.resolve(SpdxDocument.FILE_NAME)), "sbom.spdx.json differs from dpkg -l");
    assertEquals(dpkg, fromCycloneDx(output.resolve(CycloneDxDocument.FILE_NAME)), "sbom.cdx.json differs from dpkg -l");
    Path inImage = tree.root().resolve("usr/share/sbom/image.spdx.json");
    assertTrue(Files.isRegularFile(inImage), "the image has no " + inImage);
    assertEquals(dpkg, fromSpdx(inImage), "the SPDX document inside the image differs from dpkg -l");
    return dpkg;
  }

  private static Map<String, DpkgPackage> fromPackagesJson(Path file) throws IOException {
    Map<String, DpkgPackage> packages = new TreeMap<>();
    for (JsonNode pkg : JSON.readTree(file.toFile()).get("packages")) {
      String name = pkg.get("name").asText();
      packages.put(name, new DpkgPackage(name, pkg.get("version").asText(), pkg.get("architecture").asText()));
    }
    return packages;
  }

  private static Map<String, DpkgPackage> fromSpdx(Path file) throws IOException {
    Map<String, DpkgPackage> packages = new TreeMap<>();
    for (JsonNode pkg : JSON.readTree(file.toFile()).get("packages")) {
      Optional<DpkgPackage> fromPurl = Optional.empty();
      for (JsonNode reference : pkg.path("externalRefs")) {
        if (reference.path("referenceType").asText().equals("purl")) {
          fromPurl = debPurl(reference.get("referenceLocator").asText());
        }
      }
      if (fromPurl.isEmpty()) {
        continue;
      }
      DpkgPackage deb = fromPurl.get();
      assertEquals(deb.name(), pkg.get("name").asText(), "SPDX name and purl differ");
      assertEquals(deb.version(), pkg.get("versionInfo").asText(), "SPDX versionInfo and purl differ");
      packages.put(deb.name(), deb);
    }
    return packages;
  }

  private static Map<String, DpkgPackage> fromCycloneDx(Path file) throws IOException {
    Map<String, DpkgPackage> packages = new TreeMap<>();
    for (JsonNode component : JSON.readTree(file.toFile()).get("components")) {
      Optional<DpkgPackage> fromPurl = debPurl(component.path("purl").asText());
      if (fromPurl.isEmpty()) {
        continue;
      }
      DpkgPackage deb = fromPurl.get();
      assertEquals(deb.name(), component.get("name").asText(), "CycloneDX name and purl differ");
      assertEquals(deb.version(), component.get("version").asText(), "CycloneDX version and purl differ");
      packages.put(deb.name(), deb);
    }
    return packages;
  }

  /** Returns the name, version and {@code arch} qualifier of a Debian package URL. */
  private static Optional<DpkgPackage> debPurl(String purl) {
    Matcher matcher = DEB_PURL.matcher(purl);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String architecture = null;
    for (String qualifier : matcher.group(3).split("&")) {
      if (qualifier.startsWith("arch=")) {
        architecture = decode(qualifier.substring("arch=".length()));
      }
    }
    assertTrue(architecture != null, "no arch qualifier in " + purl);
    return Optional.of(new DpkgPackage(decode(matcher.group(1)), decode(matcher.group(2)), architecture));
  }

  private static String decode(String text) {
    // URLDecoder would turn + into a space, but a purl encodes + as %2B and leaves a literal + as is.
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Returns why the host's apt sources cannot serve a build, or empty when the first one responds. */
  private static Optional<String> hostSourcesUnreachable() {
    List<SourceSpec> sources;
    try {
      sources = HostAptSources.read(Path.of("/etc/apt"));
    } catch (ImageBuildException e) {
      return Optional.of("no usable apt sources: " + e.getMessage());
    }
    if (sources.isEmpty() || sources.get(0).uris().isEmpty()) {
      return Optional.of("the host has no apt sources");
    }
    SourceSpec first = sources.get(0);
    URI release = URI.create(first.uris().get(0).toString().replaceAll("/+$", "")
        + "/dists/" + first.suites().get(0) + "/Release");
    if (!release.getScheme().startsWith("http")) {
      return Optional.of("the first apt source is not served over HTTP: " + release);
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(release)
        .timeout(Duration.ofSeconds(10))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status == 200 ? Optional.empty() : Optional.of(release + " answered " + status);
    } catch (IOException e) {
      return Optional.of(release + " is unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }
}
