package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.BuildListener;
import dev.debimage.core.BuildResult;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.ImageBuilder;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.lock.PlatformLockfiles;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the sample's package set, {@code openjdk-17-jre-headless}, for amd64 and arm64 in one
 * build from the host's apt sources, and checks the arm64 image by the ELF headers of its
 * binaries. Runs the arm64 image under podman only where qemu-user-static is registered with
 * binfmt_misc. Skipped when the host has no apt sources or their first mirror does not respond.
 * The first run downloads about 150 MB of indexes and packages into the shared cache.
 */
class MultiPlatformArchiveTest {

  /** ELF {@code e_machine} of AArch64. */
  private static final int EM_AARCH64 = 183;

  /** ELF {@code e_machine} of x86-64. */
  private static final int EM_X86_64 = 62;

  private static final Path QEMU_AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path temp;

  private static Path output;
  private static BuildResult result;
  private static ImageSpec spec;

  @BeforeAll
  static void buildBothPlatforms() throws IOException {
    List<SourceSpec> host = HostAptSources.readHost();
    Assumptions.assumeFalse(host.isEmpty(), "the host has no apt sources");
    Assumptions.assumeTrue(reachable(host.get(0).uris().get(0)), "the host's first apt mirror does not answer");
    output = temp.resolve("image");
    Path greeting = Files.writeString(temp.resolve("greeting.txt"), "hello from every platform\n");
    spec = ImageSpec.builder()
        .addPackage("openjdk-17-jre-headless")
        .addApplicationLayer(new ApplicationLayer("resources", List.of(new ApplicationLayer.Entry(greeting, "/app/greeting.txt"))))
        .platforms(List.of("linux/amd64,linux/arm64"))
        .entrypoint(List.of("java"))
        .cmd(List.of("-version"))
        .timestamp(Instant.parse("2025-01-01T00:00:00Z"))
        .imageReference("localhost/debimage-multiplatform-test:1")
        .outputDirectory(output)
        .build();
    result = new ImageBuilder(BuildListener.NONE).build(spec);
  }

  @Test
  void indexNamesBothPlatforms() throws Exception {
    JsonNode index = readIndex();
    JsonNode manifests = index.path("manifests");

    assertEquals(result.manifestDigest(), Files.readString(output.resolve("digest")).strip());
    assertEquals(2, manifests.size());
    assertEquals("amd64", manifests.get(0).path("platform").path("architecture").asText());
    assertEquals("arm64", manifests.get(1).path("platform").path("architecture").asText());
    assertEquals("v8", manifests.get(1).path("platform").path("variant").asText());
    assertEquals("linux", manifests.get(1).path("platform").path("os").asText());
  }

  @Test
  void arm64BinariesAreAarch64() throws Exception {
    Map<String, Integer> machines = elfMachines(manifestOf("arm64"));

    assertEquals(EM_AARCH64, machines.get("java"), machines.toString());
    assertEquals(EM_AARCH64, machines.get("libc.so.6"), machines.toString());
  }

  @Test
  void amd64BinariesAreX8664() throws Exception {
    Map<String, Integer> machines = elfMachines(manifestOf("amd64"));

    assertEquals(EM_X86_64, machines.get("java"), machines.toString());
    assertEquals(EM_X86_64, machines.get("libc.so.6"), machines.toString());
  }

  @Test
  void applicationLayersAreShared() throws Exception {
    JsonNode amd64 = manifestOf("amd64").path("layers");
    JsonNode arm64 = manifestOf("arm64").path("layers");

    // The package layers come first, then the application's resources layer and the SBOM layer.
    int amd64Count = amd64.size();
    int arm64Count = arm64.size();
    assertTrue(amd64Count >= 3, "amd64 has " + amd64Count + " layers");
    assertTrue(arm64Count >= 3, "arm64 has " + arm64Count + " layers");
    assertTrue(!amd64.get(0).path("digest").equals(arm64.get(0).path("digest")), "the packages layers differ");
    assertEquals(amd64.get(amd64Count - 2).path("digest"), arm64.get(arm64Count - 2).path("digest"),
        "the resources layer is shared");
    assertTrue(!amd64.get(amd64Count - 1).path("digest").equals(arm64.get(arm64Count - 1).path("digest")),
        "each SBOM lists its platform");
  }

  @Test
  void packageListsPerPlatform() throws Exception {
    String arm64 = Files.readString(output.resolve("arm64/packages.txt"));
    String amd64 = Files.readString(output.resolve("amd64/packages.txt"));

    assertTrue(arm64.contains("openjdk-17-jre-headless "), arm64);
    assertTrue(arm64.contains(" arm64\n"), arm64);
    assertTrue(!arm64.contains(" amd64\n"), arm64);
    assertTrue(amd64.contains(" amd64\n"), amd64);
    assertTrue(!amd64.contains(" arm64\n"), amd64);
  }

  @Test
  void lockHoldsEveryPlatform() throws Exception {
    PlatformLockfiles locks = new ImageBuilder(BuildListener.NONE).lockPlatforms(spec);
    Path file = temp.resolve("image.lock.json");
    locks.write(file);

    PlatformLockfiles read = PlatformLockfiles.read(file);
    assertEquals(List.of("amd64", "arm64"), read.architectures());
    Lockfile arm64 = read.require("arm64", file.toString());
    assertTrue(arm64.packages().stream().allMatch(pkg -> pkg.architecture().equals("arm64")
        || pkg.architecture().equals("all")), "arm64 lock holds only arm64 and all packages");
    assertTrue(arm64.packages().stream().anyMatch(pkg -> pkg.name().equals("libc6")));
  }

  @Test
  void singlePlatformLockIsRejected() {
    Path file = temp.resolve("amd64-only.lock.json");
    new ImageBuilder(BuildListener.NONE).lock(spec).write(file);
    ImageSpec locked = ImageSpec.builder()
        .addPackage("openjdk-17-jre-headless")
        .platforms(List.of("amd64", "arm64"))
        .entrypoint(List.of("java"))
        .lockfile(file)
        .imageReference("localhost/debimage-multiplatform-test:locked")
        .outputDirectory(temp.resolve("locked"))
        .build();

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> new ImageBuilder(BuildListener.NONE).build(locked));

    assertTrue(e.getMessage().contains("is for architecture amd64 but the image is for arm64"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn image:lock"), e.getMessage());
  }

  @Test
  void skopeoReadsIndex() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("skopeo"), "skopeo is not installed");
    TestImages.Result raw = TestImages.run(List.of("skopeo", "inspect", "--raw", "oci:" + output.resolve("oci") + ":1"));

    assertEquals(0, raw.status(), raw.output());
    byte[] blob = Files.readAllBytes(blob(result.manifestDigest()));
    assertEquals(new String(blob, StandardCharsets.UTF_8), raw.output().strip());
    assertEquals(ImageIndex.MEDIA_TYPE, JSON.readTree(raw.output()).path("mediaType").asText());
  }

  @Test
  void arm64ImageRunsUnderEmulation() throws Exception {
    Assumptions.assumeTrue(TestImages.onPath("podman"), "podman is not installed");
    Assumptions.assumeTrue(
        Files.isRegularFile(QEMU_AARCH64) && Files.readString(QEMU_AARCH64).startsWith("enabled"),
        "arm64 emulation is not available: " + QEMU_AARCH64 + " is missing or disabled (install"
            + " qemu-user-static where binfmt_misc is mounted)");
    List<String> podman = List.of(
        "podman", "--storage-driver", "vfs", "--root", temp.resolve("storage").toString(),
        "--runroot", temp.resolve("run").toString());
    TestImages.Result load = TestImages.run(concat(podman,
        List.of("load", "-i", MultiPlatformOutputWriter.archive(output, "arm64").toString())));
    assertEquals(0, load.status(), load.output());

    TestImages.Result run = TestImages.run(concat(podman, List.of(
        "--runtime", "runc", "--cgroup-manager=cgroupfs", "run", "--rm", "--network", "none",
        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--platform", "linux/arm64",
        "localhost/debimage-multiplatform-test:1")));

    assertEquals(0, run.status(), run.output());
    assertTrue(run.output().contains("openjdk version \"17."), run.output());
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static JsonNode readIndex() throws IOException {
    return JSON.readTree(Files.readAllBytes(blob(result.manifestDigest())));
  }

  private static JsonNode manifestOf(String architecture) throws IOException {
    for (JsonNode descriptor : readIndex().path("manifests")) {
      if (descriptor.path("platform").path("architecture").asText().equals(architecture)) {
        return JSON.readTree(Files.readAllBytes(blob(descriptor.path("digest").asText())));
      }
    }
    throw new AssertionError("no " + architecture + " manifest in the index");
  }

  private static Path blob(String digest) {
    return output.resolve("oci/blobs/sha256").resolve(Digests.hex(digest));
  }

  /**
   * Returns the ELF {@code e_machine} of the java launcher and of libc.so.6 in the image's
   * layers, keyed by file name.
   */
  private static Map<String, Integer> elfMachines(JsonNode manifest) throws IOException {
    Map<String, Integer> machines = new HashMap<>();
    for (JsonNode descriptor : manifest.path("layers")) {
      readElfMachines(blob(descriptor.path("digest").asText()), machines);
    }
    return machines;
  }

  /** Adds the {@code e_machine} of the java launcher and of libc.so.6 in {@code layer} to {@code machines}. */
  private static void readElfMachines(Path layer, Map<String, Integer> machines) throws IOException {
    try (InputStream file = Files.newInputStream(layer);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        boolean java = name.matches("(\\./)?usr/lib/jvm/java-17-openjdk-[a-z0-9]+/bin/java");
        boolean libc = name.matches("(\\./)?usr/lib/[a-z0-9_]+-linux-gnu[a-z0-9_]*/libc\\.so\\.6");
        if ((java || libc) && entry.isFile()) {
          byte[] header = tar.readNBytes(20);
          assertEquals("\u007fELF", new String(header, 0, 4, StandardCharsets.ISO_8859_1), name);
          // e_machine is the little-endian 16-bit field at offset 18 on both architectures.
          machines.put(java ? "java" : "libc.so.6", (header[18] & 0xff) | (header[19] & 0xff) << 8);
        }
      }
    }
  }

  private static boolean reachable(URI uri) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI release = URI.create(uri.toString().replaceAll("/+$", "") + "/dists/bookworm/InRelease");
    HttpRequest request = HttpRequest.newBuilder(release).timeout(Duration.ofSeconds(10))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
