package dev.debimage.core.outdated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.lock.LockedSuite;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finds newer versions between constructed lockfiles and marks security updates. */
class OutdatedReportTest {

  private static final URI ROOT = URI.create("http://127.0.0.1:8080/debian");
  private static final URI SECURITY_ROOT = URI.create("http://127.0.0.1:8080/debian-security");
  private static final String DIGEST = "sha256:" + "0".repeat(64);

  @TempDir Path dir;

  private static LockedPackage locked(String name, String version, URI root, String suite) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", name);
    fields.put("Version", version);
    fields.put("Architecture", "amd64");
    String sha = Integer.toHexString((name + version).hashCode() & 0xf).repeat(64);
    BinaryPackage binary = new BinaryPackage(name, version, "amd64", new Stanza(fields),
        "pool/main/" + name + ".deb", 100, sha, root, suite, "main");
    return LockedPackage.of(binary, "requested");
  }

  private static Lockfile lock(String digest, LockedPackage... packages) {
    return new Lockfile(digest, "amd64",
        List.of(new LockedSuite(ROOT, "bookworm", Optional.empty()),
            new LockedSuite(ROOT, "bookworm-updates", Optional.empty()),
            new LockedSuite(SECURITY_ROOT, "bookworm-security", Optional.empty())),
        List.of(packages), new Distribution("debian", "debian-12"));
  }

  private static final SecuritySuites SECURITY = SecuritySuites.of(SECURITY_ROOT, "bookworm-security");

  @Test
  void listsNewerVersionsAndMarksSecuritySuites() {
    Lockfile before = lock(DIGEST,
        locked("libc6", "2.36-9", ROOT, "bookworm"),
        locked("tzdata", "2024a-0+deb12u1", ROOT, "bookworm"),
        locked("zlib1g", "1:1.2.13.dfsg-1", ROOT, "bookworm"));
    Lockfile now = lock(DIGEST,
        locked("libc6", "2.36-9+deb12u10", SECURITY_ROOT, "bookworm-security"),
        locked("tzdata", "2025b-0+deb12u1", ROOT, "bookworm-updates"),
        locked("zlib1g", "1:1.2.13.dfsg-1", ROOT, "bookworm"));

    OutdatedReport report = OutdatedReport.compare(before, now, SECURITY);

    assertEquals(List.of(
        new OutdatedPackage("libc6", "2.36-9", "2.36-9+deb12u10", "bookworm-security", true),
        new OutdatedPackage("tzdata", "2024a-0+deb12u1", "2025b-0+deb12u1", "bookworm-updates", false)),
        report.packages());
    assertEquals(List.of(report.packages().get(0)), report.security());
    assertEquals("libc6 2.36-9 -> 2.36-9+deb12u10 (bookworm-security, security)", report.packages().get(0).line());
    assertEquals("2 packages have newer versions, 1 from a security suite", report.summary());
    assertFalse(report.inputsChanged());
  }

  @Test
  void ignoresDowngradesAndReportsChangedInputs() {
    Lockfile before = lock(DIGEST, locked("curl", "7.88.1-10+deb12u12", ROOT, "bookworm"));
    Lockfile now = lock("sha256:" + "1".repeat(64),
        locked("curl", "7.88.1-10", ROOT, "bookworm"), locked("libssl3", "3.0.16-1~deb12u1", ROOT, "bookworm"));

    OutdatedReport report = OutdatedReport.compare(before, now, SECURITY);

    assertTrue(report.packages().isEmpty());
    assertEquals(List.of("curl 7.88.1-10+deb12u12 -> 7.88.1-10"), report.diff().downgraded());
    assertEquals(List.of("libssl3 3.0.16-1~deb12u1"), report.diff().added());
    assertTrue(report.inputsChanged());
    assertEquals("Every package is at the version the archive offers now", report.summary());
  }

  @Test
  void failSettingDecidesOnAnyOrSecurityUpdates() {
    Lockfile before = lock(DIGEST, locked("tzdata", "2024a-0+deb12u1", ROOT, "bookworm"));
    Lockfile now = lock(DIGEST, locked("tzdata", "2025b-0+deb12u1", ROOT, "bookworm-updates"));
    OutdatedReport plain = OutdatedReport.compare(before, now, SECURITY);
    OutdatedReport none = OutdatedReport.compare(before, before, SECURITY);

    assertTrue(FailOnOutdated.parse("true").fails(plain));
    assertFalse(FailOnOutdated.parse("").fails(plain));
    assertFalse(FailOnOutdated.parse("security").fails(plain));
    assertFalse(FailOnOutdated.parse("true").fails(none));
    assertEquals(FailOnOutdated.ANY, FailOnOutdated.parse(" Any "));
    assertEquals(FailOnOutdated.NEVER, FailOnOutdated.parse(null));
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> FailOnOutdated.parse("yes"));
    assertTrue(error.getMessage().contains("'yes'"), error.getMessage());
  }

  @Test
  void securityFailsOnlyForSecurityUpdates() {
    Lockfile before = lock(DIGEST, locked("libc6", "2.36-9", ROOT, "bookworm"));
    Lockfile now = lock(DIGEST, locked("libc6", "2.36-9+deb12u10", SECURITY_ROOT, "bookworm-security"));
    assertTrue(FailOnOutdated.SECURITY.fails(OutdatedReport.compare(before, now, SecuritySuites.of(ROOT))));
  }

  @Test
  void recognisesDebianAndUbuntuSecurityReleaseFiles() {
    ReleaseFile debian = ReleaseFile.parse(
        "Origin: Debian\nLabel: Debian-Security\nSuite: stable-security\nCodename: bookworm-security\n",
        "debian-security");
    ReleaseFile ubuntu = ReleaseFile.parse(
        "Origin: Ubuntu\nLabel: Ubuntu\nSuite: jammy-security\nCodename: jammy\n", "ubuntu");
    ReleaseFile ubuntuUpdates = ReleaseFile.parse(
        "Origin: Ubuntu\nLabel: Ubuntu\nSuite: jammy-updates\nCodename: jammy\n", "ubuntu");
    ReleaseFile debianMain = ReleaseFile.parse(
        "Origin: Debian\nLabel: Debian\nSuite: stable\nCodename: bookworm\n", "debian");

    // A mirror path alias must not hide the Release file's own fields.
    assertTrue(SecuritySuites.isSecurity("stable", debian));
    assertTrue(SecuritySuites.isSecurity("jammy-sec", ubuntu));
    assertTrue(SecuritySuites.isSecurity("buster/updates", debianMain));
    assertFalse(SecuritySuites.isSecurity("jammy-updates", ubuntuUpdates));
    assertFalse(SecuritySuites.isSecurity("bookworm", debianMain));

    SourceSpec source = new SourceSpec(List.of(ROOT), List.of("stable", "bookworm"), List.of("main"),
        List.of(), Optional.empty(), "test");
    SecuritySuites suites = SecuritySuites.of(List.of(
        new IndexLoader.Suite(source, ROOT, "stable", debian),
        new IndexLoader.Suite(source, ROOT, "bookworm", debianMain)));
    assertTrue(suites.contains(ROOT, "stable"));
    assertFalse(suites.contains(ROOT, "bookworm"));
    assertFalse(suites.contains(SECURITY_ROOT, "stable"));
  }

  @Test
  void readsTheLastBuildsPackagesJson() throws Exception {
    Path json = dir.resolve("packages.json");
    Files.writeString(json, """
        {"packages":[{"name":"libc6","version":"2.36-9","architecture":"amd64","installedSizeKiB":null,
        "sourceName":"glibc","sourceVersion":"2.36-9","suite":"bookworm","archiveRoot":"%s",
        "sha256":"%s","reason":"requested"}]}
        """.formatted(ROOT, "c".repeat(64)), StandardCharsets.UTF_8);
    List<LockedPackage> last = LastBuild.read(json);
    assertEquals("glibc", last.get(0).source());

    Lockfile now = lock(DIGEST, locked("libc6", "2.36-9+deb12u10", SECURITY_ROOT, "bookworm-security"));
    OutdatedReport report = OutdatedReport.compare(last, now, SECURITY);
    assertEquals(List.of(new OutdatedPackage("libc6", "2.36-9", "2.36-9+deb12u10", "bookworm-security", true)),
        report.packages());
    assertFalse(report.inputsChanged());
  }

  @Test
  void rejectsAPackagesJsonWithoutAField() throws Exception {
    Path json = dir.resolve("packages.json");
    Files.writeString(json, "{\"packages\":[{\"name\":\"libc6\"}]}", StandardCharsets.UTF_8);
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> LastBuild.read(json));
    assertTrue(error.getMessage().contains("packages[0] (libc6)"), error.getMessage());
    assertTrue(error.getMessage().contains("\"version\""), error.getMessage());

    Files.writeString(json, "{}", StandardCharsets.UTF_8);
    assertThrows(ImageBuildException.class, () -> LastBuild.read(json));
    assertThrows(ImageBuildException.class, () -> LastBuild.read(dir.resolve("missing.json")));
  }
}
