package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes, reads and validates lockfiles, and computes the inputs digest. */
class LockfileTest {

  private static final URI ROOT = URI.create("http://127.0.0.1:8080/debian");
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  @TempDir Path dir;

  private static BinaryPackage binary(String name, String version, String architecture, String source, String sha256) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    if (source != null) {
      fields.put("Source", source);
    }
    fields.put("Version", version);
    fields.put("Architecture", architecture);
    String filename = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + architecture + ".deb";
    return new BinaryPackage(
        name, version, architecture, new Stanza(fields), filename, 1234, sha256, ROOT, "bookworm", "main");
  }

  private static final Distribution DEBIAN_12 = new Distribution("debian", "debian-12");

  private static Lockfile sample() {
    return new Lockfile(
        "sha256:" + "0".repeat(64),
        "amd64",
        List.of(
            new LockedSuite(ROOT, "bookworm-updates", Optional.empty()),
            new LockedSuite(ROOT, "bookworm", Optional.of(Instant.parse("2025-05-17T09:14:57Z")))),
        List.of(
            LockedPackage.of(binary("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib (1:1.2.13.dfsg-1)", SHA_B), "needed by curl"),
            LockedPackage.of(binary("curl", "7.88.1-10+deb12u12", "amd64", null, SHA_A), "requested")),
        DEBIAN_12);
  }

  @Test
  void writesSortedIndentedJson() {
    String expected =
        """
        {
          "architecture": "amd64",
          "distribution": {
            "distro": "debian-12",
            "namespace": "debian"
          },
          "inputsDigest": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
          "lockfileVersion": 1,
          "packages": [
            {
              "archiveRoot": "http://127.0.0.1:8080/debian",
              "architecture": "amd64",
              "component": "main",
              "filename": "pool/main/c/curl/curl_7.88.1-10+deb12u12_amd64.deb",
              "name": "curl",
              "reason": "requested",
              "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "size": 1234,
              "source": "curl",
              "sourceVersion": "7.88.1-10+deb12u12",
              "suite": "bookworm",
              "version": "7.88.1-10+deb12u12"
            },
            {
              "archiveRoot": "http://127.0.0.1:8080/debian",
              "architecture": "amd64",
              "component": "main",
              "filename": "pool/main/z/zlib1g/zlib1g_1:1.2.13.dfsg-1_amd64.deb",
              "name": "zlib1g",
              "reason": "needed by curl",
              "sha256": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              "size": 1234,
              "source": "zlib",
              "sourceVersion": "1:1.2.13.dfsg-1",
              "suite": "bookworm",
              "version": "1:1.2.13.dfsg-1"
            }
          ],
          "suites": [
            {
              "date": "2025-05-17T09:14:57Z",
              "suite": "bookworm",
              "uri": "http://127.0.0.1:8080/debian"
            },
            {
              "suite": "bookworm-updates",
              "uri": "http://127.0.0.1:8080/debian"
            }
          ]
        }
        """;
    assertEquals(expected, sample().toJson());
  }

  @Test
  void readsBackWhatItWrites() {
    Path file = dir.resolve("image.lock.json");
    sample().write(file);
    Lockfile read = Lockfile.read(file);
    assertEquals(sample(), read);
    assertEquals(sample().toJson(), read.toJson());
  }

  @Test
  void sourceFieldGivesSourceNameAndVersion() {
    LockedPackage plain = LockedPackage.of(binary("libc6", "2.36-9", "amd64", "glibc", SHA_A), "requested");
    assertEquals("glibc", plain.source());
    assertEquals("2.36-9", plain.sourceVersion());
    LockedPackage binNmu = LockedPackage.of(binary("app", "1.0+b1", "amd64", "app (1.0)", SHA_A), "requested");
    assertEquals("app", binNmu.source());
    assertEquals("1.0", binNmu.sourceVersion());
    LockedPackage none = LockedPackage.of(binary("dash", "0.5.12-2", "amd64", null, SHA_A), "requested");
    assertEquals("dash", none.source());
    assertEquals("0.5.12-2", none.sourceVersion());
  }

  @Test
  void lockedPackageRoundTrips() {
    BinaryPackage original = binary("app", "1.0+b1", "amd64", "app (1.0)", SHA_A);
    BinaryPackage back = LockedPackage.of(original, "requested").toBinaryPackage();
    assertEquals(original.debUri(), back.debUri());
    assertEquals(original.sha256(), back.sha256());
    assertEquals(original.size(), back.size());
    assertEquals(original.suite(), back.suite());
    assertEquals(original.component(), back.component());
    assertEquals("app (1.0)", back.stanza().get("Source", ""));
    assertEquals(original.toString(), back.toString());
    assertEquals(LockedPackage.of(original, "requested"), LockedPackage.of(back, "requested"));
  }

  private String withPackageField(String field, String json) {
    return sample().toJson().replaceFirst("\"" + field + "\": [^\n]*?(,?)\n", "\"" + field + "\": " + json + "$1\n");
  }

  private ImageBuildException readError(String text) throws Exception {
    Path file = dir.resolve("image.lock.json");
    Files.writeString(file, text);
    return assertThrows(ImageBuildException.class, () -> Lockfile.read(file));
  }

  private void assertRejected(String text, String... fragments) throws Exception {
    String message = readError(text).getMessage();
    assertTrue(message.contains(dir.resolve("image.lock.json").toString()), message);
    assertTrue(message.contains("mvn image:lock"), message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
    }
  }

  @Test
  void rejectsInvalidFieldsNamingTheEntry() throws Exception {
    assertRejected(withPackageField("sha256", "\"ABC\""), "packages[0] (curl)", "'sha256'", "64 lower-case hex");
    assertRejected(withPackageField("size", "-1"), "packages[0] (curl)", "'size'");
    assertRejected(withPackageField("size", "\"12\""), "'size'");
    assertRejected(withPackageField("version", "\"1.0 beta\""), "'version'", "not a Debian version");
    assertRejected(
        sample().toJson().replaceFirst("\"architecture\": \"amd64\",\n      \"component\"", "\"architecture\": \"arm64\",\n      \"component\""),
        "packages[0] (curl)", "'architecture'", "amd64 or all");
    assertRejected(withPackageField("filename", "\"../etc/passwd\""), "'filename'", "relative path");
    assertRejected(withPackageField("filename", "\"/pool/x.deb\""), "'filename'");
    assertRejected(withPackageField("archiveRoot", "\"not a uri\""), "'archiveRoot'", "absolute");
    assertRejected(withPackageField("suite", "\"sid\""), "suite sid", "not among the lockfile's suites");
    assertRejected(withPackageField("source", "\"Bad Name\""), "'source'");
    assertRejected(withPackageField("reason", "\"\""), "'reason'");
    assertRejected(withPackageField("name", "null"), "missing field 'name'");
    assertRejected(sample().toJson().replace("\"reason\": \"requested\",", ""), "packages[0] (curl)", "missing field 'reason'");
    assertRejected(sample().toJson().replace("\"component\": \"main\",\n", "\"component\": \"main\",\n\"colour\": 1,\n"),
        "unknown field 'colour'");
  }

  @Test
  void rejectsBadTopLevelFields() throws Exception {
    assertRejected(sample().toJson().replace("\"lockfileVersion\": 1", "\"lockfileVersion\": 2"), "lockfileVersion 2");
    assertRejected(sample().toJson().replace("\"inputsDigest\": \"sha256:", "\"inputsDigest\": \"md5:"), "'inputsDigest'");
    assertRejected(sample().toJson().replace("\"architecture\": \"amd64\",\n  \"distribution", "\"architecture\": \"AMD 64\",\n  \"distribution"),
        "'architecture'");
    assertRejected(sample().toJson().replace("\"namespace\": \"debian\"", "\"namespace\": \"\""), "distribution");
    assertRejected(sample().toJson().replace("\"date\": \"2025-05-17T09:14:57Z\"", "\"date\": \"yesterday\""),
        "suites[0]", "'date'");
    assertRejected("{\"lockfileVersion\": 1,", "not valid JSON");
    assertRejected("[]", "expected a JSON object");
    assertRejected(sample().toJson().replace("\"lockfileVersion\": 1,", "\"lockfileVersion\": 1, \"lockfileVersion\": 1,"),
        "not valid JSON", "Duplicate field");
  }

  @Test
  void rejectsDuplicatePackages() throws Exception {
    String json = sample().toJson().replace("\"name\": \"zlib1g\"", "\"name\": \"curl\"");
    assertRejected(json, "packages[1] (curl)", "listed twice");
  }

  @Test
  void missingFileIsReported() {
    Path file = dir.resolve("absent.json");
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> Lockfile.read(file));
    assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
  }

  private static SourceSpec source(String suites, Optional<String> signedBy) {
    return new SourceSpec(List.of(ROOT), List.of(suites.split(" ")), List.of("main"), List.of(), signedBy, "test");
  }

  @Test
  void inputsDigestIgnoresRequestOrder() {
    List<SourceSpec> sources = List.of(source("bookworm bookworm-updates", Optional.empty()));
    String digest = LockInputs.digest(sources, List.of("curl", "nginx"), "amd64");
    assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
    assertEquals(digest, LockInputs.digest(sources, List.of("nginx", "curl", "curl"), "amd64"));
    assertNotEquals(digest, LockInputs.digest(sources, List.of("curl", "nginx=1.22.1-9"), "amd64"));
    assertNotEquals(digest, LockInputs.digest(sources, List.of("curl", "nginx"), "arm64"));
    assertNotEquals(digest, LockInputs.digest(List.of(source("bookworm", Optional.empty())), List.of("curl", "nginx"), "amd64"));
    assertNotEquals(digest, LockInputs.digest(
        List.of(source("bookworm bookworm-updates", Optional.of("/etc/keyring.gpg"))), List.of("curl", "nginx"), "amd64"));
    assertEquals(
        "{\"architecture\":\"amd64\",\"packages\":[\"curl\",\"nginx\"],\"sources\":[{\"components\":[\"main\"],"
            + "\"signedBy\":null,\"suites\":[\"bookworm\",\"bookworm-updates\"],\"uris\":[\"" + ROOT + "\"]}]}",
        LockInputs.canonical(sources, List.of("nginx", "curl"), "amd64"));
  }

  @Test
  void inputsDigestCoversSourceOptions() {
    SourceSpec plain = source("bookworm", Optional.empty());
    String digest = LockInputs.digest(List.of(plain), List.of("curl"), "amd64");
    SourceSpec armOnly = new SourceSpec(
        List.of(ROOT), List.of("bookworm"), List.of("main"), List.of("arm64"), Optional.empty(), "test");

    assertNotEquals(digest, LockInputs.digest(List.of(plain.withTrusted(true)), List.of("curl"), "amd64"));
    assertNotEquals(digest, LockInputs.digest(List.of(plain.withAllowExpiredKeys(true)), List.of("curl"), "amd64"));
    assertNotEquals(digest, LockInputs.digest(List.of(armOnly), List.of("curl"), "amd64"));
  }

  @Test
  void diffNamesAddedRemovedUpgradedAndDowngradedPackages() {
    Lockfile before = new Lockfile("sha256:" + "0".repeat(64), "amd64", List.of(new LockedSuite(ROOT, "bookworm", Optional.empty())),
        List.of(
            LockedPackage.of(binary("curl", "7.88.1-10", "amd64", null, SHA_A), "requested"),
            LockedPackage.of(binary("gone", "1.0", "all", null, SHA_A), "requested"),
            LockedPackage.of(binary("libc6", "2.36-9+deb12u1", "amd64", "glibc", SHA_A), "needed by curl"),
            LockedPackage.of(binary("same", "1.0", "amd64", null, SHA_A), "requested"),
            LockedPackage.of(binary("rebuilt", "1.0", "amd64", null, SHA_A), "requested")),
        DEBIAN_12);
    Lockfile after = new Lockfile("sha256:" + "0".repeat(64), "amd64", List.of(new LockedSuite(ROOT, "bookworm", Optional.empty())),
        List.of(
            LockedPackage.of(binary("curl", "7.88.1-10+deb12u5", "amd64", null, SHA_A), "requested"),
            LockedPackage.of(binary("libc6", "2.36-9", "amd64", "glibc", SHA_A), "needed by curl"),
            LockedPackage.of(binary("new", "2.0", "amd64", null, SHA_A), "requested"),
            LockedPackage.of(binary("same", "1.0", "amd64", null, SHA_A), "requested"),
            LockedPackage.of(binary("rebuilt", "1.0", "amd64", null, SHA_B), "requested")),
        DEBIAN_12);
    LockDiff diff = LockDiff.between(before, after);
    assertEquals(
        List.of(
            "added: new 2.0",
            "removed: gone 1.0",
            "upgraded: curl 7.88.1-10 -> 7.88.1-10+deb12u5",
            "downgraded: libc6 2.36-9+deb12u1 -> 2.36-9",
            "changed: rebuilt 1.0 (SHA256 " + SHA_A + " -> " + SHA_B + ")"),
        diff.lines());
    assertTrue(LockDiff.between(after, after).isEmpty());
  }
}
