package dev.debimage.core.report;

import static dev.debimage.core.report.TestPackages.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.Resolution;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackageReportTest {

  private static final BinaryPackage LIBC =
      binary("libc6", "2.36-9+deb12u4", "amd64", "Installed-Size", "12980", "Source", "glibc");
  private static final BinaryPackage ZLIB =
      binary("zlib1g", "1:1.2.13.dfsg-1", "amd64", "Installed-Size", "168",
          "Source", "zlib (1:1.2.13.dfsg-1)");
  private static final BinaryPackage BASE = binary("base-files", "12.4+deb12u5", "amd64");

  private static Resolution resolution() {
    return new Resolution(
        List.of(BASE, LIBC, ZLIB),
        Map.of("base-files", "requested", "libc6", "needed by zlib1g", "zlib1g", "requested"),
        List.of());
  }

  @Test
  void sourceFieldWithoutVersionKeepsBinaryVersion() {
    InstalledPackage pkg = InstalledPackage.of(LIBC, "requested");
    assertEquals("glibc", pkg.sourceName());
    assertEquals("2.36-9+deb12u4", pkg.sourceVersion());
  }

  @Test
  void sourceFieldWithVersion() {
    InstalledPackage pkg = InstalledPackage.of(
        binary("libssl3", "3.0.11-1~deb12u2+b1", "amd64", "Source", "openssl (3.0.11-1~deb12u2)"), "requested");
    assertEquals("openssl", pkg.sourceName());
    assertEquals("3.0.11-1~deb12u2", pkg.sourceVersion());
  }

  @Test
  void missingSourceDefaultsToOwnNameAndVersion() {
    InstalledPackage pkg = InstalledPackage.of(BASE, "requested");
    assertEquals("base-files", pkg.sourceName());
    assertEquals("12.4+deb12u5", pkg.sourceVersion());
    assertTrue(pkg.installedSize().isEmpty());
  }

  @Test
  void invalidSourceFieldIsRejected() {
    BinaryPackage bad = binary("foo", "1.0", "amd64", "Source", "foo (1.0) bar");
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> InstalledPackage.of(bad, "requested"));
    assertTrue(e.getMessage().contains("'foo (1.0) bar'"), e.getMessage());
  }

  @Test
  void invalidInstalledSizeIsRejected() {
    BinaryPackage bad = binary("foo", "1.0", "amd64", "Installed-Size", "12k");
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> InstalledPackage.of(bad, "requested"));
    assertTrue(e.getMessage().contains("'12k'"), e.getMessage());
  }

  @Test
  void neededByNamesTheDependent() {
    InstalledPackage pkg = InstalledPackage.of(LIBC, "needed by zlib1g");
    assertEquals("zlib1g", pkg.neededBy().orElseThrow());
    assertTrue(InstalledPackage.of(LIBC, "requested").neededBy().isEmpty());
  }

  @Test
  void reportListsEveryPackageSortedByName() {
    byte[] json = PackageReport.toJson(ImageReport.installedPackages(resolution()));
    JsonNode packages = JsonDocuments.parse(json).get("packages");
    assertEquals(3, packages.size());
    assertEquals("base-files", packages.get(0).get("name").asText());
    assertTrue(packages.get(0).get("installedSizeKiB").isNull());
    JsonNode libc = packages.get(1);
    assertEquals("libc6", libc.get("name").asText());
    assertEquals(12980, libc.get("installedSizeKiB").asLong());
    assertEquals("glibc", libc.get("sourceName").asText());
    assertEquals("bookworm", libc.get("suite").asText());
    assertEquals(TestPackages.ARCHIVE.toString(), libc.get("archiveRoot").asText());
    assertEquals(LIBC.sha256(), libc.get("sha256").asText());
    assertEquals("needed by zlib1g", libc.get("reason").asText());
    assertEquals("1:1.2.13.dfsg-1", packages.get(2).get("sourceVersion").asText());
  }

  @Test
  void reportTextIsExact() {
    String text = new String(
        PackageReport.toJson(List.of(InstalledPackage.of(ZLIB, "requested"))), StandardCharsets.UTF_8);
    String expected = "{\n"
        + "  \"packages\": [\n"
        + "    {\n"
        + "      \"name\": \"zlib1g\",\n"
        + "      \"version\": \"1:1.2.13.dfsg-1\",\n"
        + "      \"architecture\": \"amd64\",\n"
        + "      \"installedSizeKiB\": 168,\n"
        + "      \"sourceName\": \"zlib\",\n"
        + "      \"sourceVersion\": \"1:1.2.13.dfsg-1\",\n"
        + "      \"suite\": \"bookworm\",\n"
        + "      \"archiveRoot\": \"http://127.0.0.1:9/debian\",\n"
        + "      \"sha256\": \"" + ZLIB.sha256() + "\",\n"
        + "      \"reason\": \"requested\"\n"
        + "    }\n"
        + "  ]\n"
        + "}\n";
    assertEquals(expected, text);
  }

  @Test
  void packageWithoutReasonIsAnError() {
    Resolution incomplete = new Resolution(List.of(BASE), Map.of(), List.of());
    assertThrows(IllegalStateException.class, () -> ImageReport.installedPackages(incomplete));
  }
}
