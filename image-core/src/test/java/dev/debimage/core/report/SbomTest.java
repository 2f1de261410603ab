package dev.debimage.core.report;

import static dev.debimage.core.report.TestPackages.binary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomTest {

  private static final String DEP5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n";

  private static final String ZLIB_COPYRIGHT = DEP5
      + "Upstream-Name: zlib\n"
      + "\n"
      + "Files: *\n"
      + "Copyright: 1995-2022 Jean-loup Gailly and Mark Adler\n"
      + "License: Zlib\n"
      + "\n"
      + "Files: debian/*\n"
      + "Copyright: 2000 Someone\n"
      + "License: GPL-2+ or Artistic\n"
      + "\n"
      + "Files: contrib/*\n"
      + "Copyright: nobody\n"
      + "License: public-domain\n"
      + " The contrib files are in the public domain.\n"
      + " .\n"
      + " Use them freely.\n";

  private static final BinaryPackage BASE = binary("base-files", "12.4+deb12u5", "amd64");
  private static final BinaryPackage LIBSTDCXX =
      binary("libstdc++6", "12.2.0-14", "amd64", "Source", "gcc-12 (12.2.0-14)");
  private static final BinaryPackage ZLIB =
      binary("zlib1g", "1:1.2.13.dfsg-1", "amd64", "Source", "zlib");
  private static final BinaryPackage LIBZ_DEV = binary("libz-dev", "1:1.2.13.dfsg-1", "amd64");

  @TempDir Path temp;

  private Resolution resolution() {
    return new Resolution(
        List.of(BASE, LIBSTDCXX, LIBZ_DEV, ZLIB),
        Map.of("base-files", "requested", "libstdc++6", "requested",
            "zlib1g", "needed by libstdc++6", "libz-dev", "needed by zlib1g"),
        List.of());
  }

  private LayerContents layer() {
    return TestLayers.write(TestLayers.tree(
        "usr/share/doc/zlib1g/copyright", ZLIB_COPYRIGHT,
        "usr/share/doc/base-files/copyright", "This is the Debian prepackaged version of base-files.\n",
        "usr/share/doc/libz-dev", "-> zlib1g"), temp.resolve("blobs"));
  }

  private ImageSpec spec(String... dependencies) {
    ImageSpec.Builder builder = ImageSpec.builder()
        .addPackage("libstdc++6")
        .imageReference("example/hello:1.0")
        .timestamp(TestLayers.BUILD_TIME)
        .outputDirectory(temp.resolve("out"));
    for (String dependency : dependencies) {
      builder.addApplicationDependency(dependency);
    }
    return builder.build();
  }

  private static List<IndexLoader.Suite> debianSuites() {
    return List.of(
        TestLayers.suite("bookworm-updates", "Origin: Debian", "Codename: bookworm-updates"),
        TestLayers.suite("bookworm", "Origin: Debian", "Codename: bookworm", "Version: 12.5"));
  }

  private ImageReport report(String... dependencies) {
    return ImageReport.create(resolution(), Distribution.of(debianSuites()), layer(), spec(dependencies));
  }

  private static JsonNode spdx(ImageReport report) {
    return JsonDocuments.parse(report.files().get(SpdxDocument.FILE_NAME));
  }

  private static JsonNode cycloneDx(ImageReport report) {
    return JsonDocuments.parse(report.files().get(CycloneDxDocument.FILE_NAME));
  }

  private static JsonNode spdxPackage(JsonNode document, String name) {
    for (JsonNode pkg : document.get("packages")) {
      if (pkg.get("name").asText().equals(name)) {
        return pkg;
      }
    }
    throw new AssertionError("no SPDX package " + name);
  }

  private static JsonNode component(JsonNode bom, String name) {
    for (JsonNode component : bom.get("components")) {
      if (component.get("name").asText().equals(name)) {
        return component;
      }
    }
    throw new AssertionError("no CycloneDX component " + name);
  }

  @Test
  void spdxDocumentMatchesSchema() {
    JsonNode document = spdx(report("org.slf4j:slf4j-api:2.0.16", "com.example:lib:1.0-SNAPSHOT"));
    assertEquals(List.of(), SchemaValidator.violations(SchemaValidator.SPDX_2_3, document));
    // The SPDX 2.3 schema has no pattern for IDs, so check the spec's idstring syntax here.
    for (JsonNode pkg : document.get("packages")) {
      assertTrue(pkg.get("SPDXID").asText().matches("SPDXRef-[A-Za-z0-9.-]+"), pkg.get("SPDXID").asText());
    }
  }

  @Test
  void cycloneDxDocumentMatchesSchema() {
    JsonNode bom = cycloneDx(report("org.slf4j:slf4j-api:2.0.16"));
    assertEquals(List.of(), SchemaValidator.violations(SchemaValidator.CYCLONEDX_1_5, bom));
    assertEquals("1.5", bom.get("specVersion").asText());
  }

  @Test
  void schemasRejectInvalidDocuments() {
    ObjectNode document = (ObjectNode) spdx(report());
    document.remove("creationInfo");
    assertFalse(SchemaValidator.violations(SchemaValidator.SPDX_2_3, document).isEmpty());

    ObjectNode bom = (ObjectNode) cycloneDx(report());
    ((ObjectNode) bom.get("components").get(0)).put("type", "debian-package");
    assertFalse(SchemaValidator.violations(SchemaValidator.CYCLONEDX_1_5, bom).isEmpty());
  }

  @Test
  void debianPackageUrlsNameDistro() {
    JsonNode document = spdx(report());
    JsonNode zlib = spdxPackage(document, "zlib1g");
    assertEquals("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
        zlib.get("externalRefs").get(0).get("referenceLocator").asText()
            .replace("%3A", ":"));
    JsonNode bom = cycloneDx(report());
    assertEquals(zlib.get("externalRefs").get(0).get("referenceLocator").asText(),
        component(bom, "zlib1g").get("purl").asText());
    assertEquals("pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12",
        component(bom, "libstdc++6").get("purl").asText());
  }

  @Test
  void ubuntuOriginGivesUbuntuNamespace() {
    Distribution distribution = Distribution.of(
        List.of(TestLayers.suite("jammy", "Origin: Ubuntu", "Codename: jammy", "Version: 22.04")));
    assertEquals(new Distribution("ubuntu", "ubuntu-22.04"), distribution);
  }

  @Test
  void distroFallsBackToCodename() {
    Distribution distribution = Distribution.of(
        List.of(TestLayers.suite("bookworm-security", "Origin: Debian", "Codename: bookworm-security")));
    assertEquals(new Distribution("debian", "bookworm"), distribution);
  }

  @Test
  void checksumsAndSourcePackages() {
    JsonNode document = spdx(report());
    JsonNode libstdcxx = spdxPackage(document, "libstdc++6");
    assertEquals("SPDXRef-deb-libstdcX2BX2B6", libstdcxx.get("SPDXID").asText());
    assertEquals("SHA256", libstdcxx.get("checksums").get(0).get("algorithm").asText());
    assertEquals(LIBSTDCXX.sha256(), libstdcxx.get("checksums").get(0).get("checksumValue").asText());
    assertTrue(libstdcxx.get("sourceInfo").asText().contains("gcc-12 12.2.0-14"));
    assertEquals(LIBSTDCXX.debUri().toString(), libstdcxx.get("downloadLocation").asText());

    JsonNode component = component(cycloneDx(report()), "libstdc++6");
    assertEquals("SHA-256", component.get("hashes").get(0).get("alg").asText());
    assertEquals(LIBSTDCXX.sha256(), component.get("hashes").get(0).get("content").asText());
    assertEquals("gcc-12", property(component, "debimage:source-package"));
    assertEquals("12.2.0-14", property(component, "debimage:source-version"));
  }

  private static String property(JsonNode component, String name) {
    for (JsonNode property : component.get("properties")) {
      if (property.get("name").asText().equals(name)) {
        return property.get("value").asText();
      }
    }
    throw new AssertionError("no property " + name);
  }

  @Test
  void licensesFromMachineReadableCopyright() {
    JsonNode document = spdx(report());
    assertEquals("Artistic-1.0 AND GPL-2.0-or-later AND LicenseRef-public-domain AND Zlib",
        spdxPackage(document, "zlib1g").get("licenseDeclared").asText());
    // libz-dev's doc directory is a symbolic link to zlib1g's.
    assertEquals("Artistic-1.0 AND GPL-2.0-or-later AND LicenseRef-public-domain AND Zlib",
        spdxPackage(document, "libz-dev").get("licenseDeclared").asText());
    assertEquals("NOASSERTION", spdxPackage(document, "base-files").get("licenseDeclared").asText());
    assertEquals("NOASSERTION", spdxPackage(document, "libstdc++6").get("licenseDeclared").asText());

    JsonNode licenses = component(cycloneDx(report()), "zlib1g").get("licenses");
    List<String> values = new ArrayList<>();
    licenses.forEach(license -> values.add(
        license.get("license").has("id") ? "id " + license.get("license").get("id").asText()
            : "name " + license.get("license").get("name").asText()));
    assertEquals(List.of("id Artistic-1.0", "id GPL-2.0-or-later", "id Zlib", "name public-domain"), values);
  }

  @Test
  void everyLicenseRefIsDefined() {
    JsonNode document = spdx(report());
    Set<String> defined = new HashSet<>();
    document.get("hasExtractedLicensingInfos").forEach(info -> defined.add(info.get("licenseId").asText()));
    assertEquals(Set.of("LicenseRef-public-domain"), defined);
    assertEquals("The contrib files are in the public domain.\n\nUse them freely.",
        document.get("hasExtractedLicensingInfos").get(0).get("extractedText").asText());
    for (JsonNode pkg : document.get("packages")) {
      if (!pkg.has("licenseDeclared")) {
        continue;
      }
      for (String term : pkg.get("licenseDeclared").asText().split(" AND ")) {
        if (term.startsWith("LicenseRef-")) {
          assertTrue(defined.contains(term), term + " of " + pkg.get("name").asText() + " is undefined");
        }
      }
    }
  }

  @Test
  void licenseRefsDifferingInCaseAreOne() {
    LayerContents layer = TestLayers.write(TestLayers.tree(
        "usr/share/doc/libstdc++6/copyright", DEP5 + "\nFiles: *\nCopyright: x\nLicense: Public-Domain\n",
        "usr/share/doc/zlib1g/copyright", ZLIB_COPYRIGHT), temp.resolve("blobs"));
    JsonNode document = spdx(ImageReport.create(resolution(), Distribution.of(debianSuites()), layer, spec()));
    assertEquals("LicenseRef-Public-Domain", spdxPackage(document, "libstdc++6").get("licenseDeclared").asText());
    assertEquals("Artistic-1.0 AND GPL-2.0-or-later AND LicenseRef-Public-Domain AND Zlib",
        spdxPackage(document, "zlib1g").get("licenseDeclared").asText());
    assertEquals(1, document.get("hasExtractedLicensingInfos").size());
  }

  @Test
  void relationshipsFollowReasons() {
    JsonNode document = spdx(report());
    List<String> relationships = new ArrayList<>();
    document.get("relationships").forEach(r -> relationships.add(r.get("spdxElementId").asText() + " "
        + r.get("relationshipType").asText() + " " + r.get("relatedSpdxElement").asText()));
    assertTrue(relationships.contains("SPDXRef-DOCUMENT DESCRIBES SPDXRef-image"), relationships.toString());
    assertTrue(relationships.contains("SPDXRef-image CONTAINS SPDXRef-deb-zlib1g"), relationships.toString());
    assertTrue(relationships.contains("SPDXRef-deb-libstdcX2BX2B6 DEPENDS_ON SPDXRef-deb-zlib1g"), relationships.toString());
    assertTrue(relationships.contains("SPDXRef-deb-zlib1g DEPENDS_ON SPDXRef-deb-libz-dev"), relationships.toString());

    JsonNode bom = cycloneDx(report());
    String zlibRef = component(bom, "zlib1g").get("bom-ref").asText();
    String libstdcxxRef = component(bom, "libstdc++6").get("bom-ref").asText();
    for (JsonNode dependency : bom.get("dependencies")) {
      if (dependency.get("ref").asText().equals(libstdcxxRef)) {
        assertEquals(zlibRef, dependency.get("dependsOn").get(0).asText());
      }
    }
  }

  @Test
  void mavenDependenciesAppear() {
    ImageReport report = report("org.slf4j:slf4j-api:2.0.16");
    JsonNode maven = spdxPackage(spdx(report), "org.slf4j:slf4j-api");
    assertEquals("pkg:maven/org.slf4j/slf4j-api@2.0.16",
        maven.get("externalRefs").get(0).get("referenceLocator").asText());
    JsonNode component = component(cycloneDx(report), "slf4j-api");
    assertEquals("org.slf4j", component.get("group").asText());
    assertEquals("pkg:maven/org.slf4j/slf4j-api@2.0.16", component.get("purl").asText());
  }

  @Test
  void invalidApplicationDependencyIsRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> spec("org.slf4j:slf4j-api"));
    assertTrue(e.getMessage().contains("'org.slf4j:slf4j-api'"), e.getMessage());
  }

  @Test
  void documentsAreReproducible() {
    ImageReport first = report("org.slf4j:slf4j-api:2.0.16");
    ImageReport second = report("org.slf4j:slf4j-api:2.0.16");
    for (String name : first.files().keySet()) {
      assertArrayEquals(first.files().get(name), second.files().get(name), name);
    }
    assertEquals("2026-01-02T03:04:05Z", spdx(first).get("creationInfo").get("created").asText());
    assertTrue(spdx(first).get("documentNamespace").asText().startsWith("urn:uuid:"));
    assertFalse(spdx(first).get("documentNamespace").equals(spdx(report()).get("documentNamespace")));
  }
}
