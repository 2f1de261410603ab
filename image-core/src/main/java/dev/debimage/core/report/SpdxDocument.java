package dev.debimage.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes an SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/) with Jackson. The
 * java-spdx-library needs a model store and several model jars to write one document, while the
 * JSON form needs only a handful of fields, so this class writes them directly. The tests validate
 * the result against the official SPDX 2.3 JSON schema.
 */
final class SpdxDocument {

  /** The file name of the document beside the image. */
  static final String FILE_NAME = "sbom.spdx.json";

  private static final String NOASSERTION = "NOASSERTION";
  private static final String IMAGE_ID = "SPDXRef-image";

  private SpdxDocument() {}

  /** Returns the document as deterministic JSON text. */
  static byte[] toJson(SbomContents contents) {
    // SPDX license references are case-insensitive, so LicenseRef-Public-Domain and
    // LicenseRef-public-domain are one license: the first spelling, in package name order, wins.
    TreeMap<String, String> extractedLicenses = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ArrayNode packages = JsonDocuments.object().arrayNode();
    ArrayNode relationships = JsonDocuments.object().arrayNode();
    relationships.add(relationship("SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID));
    packages.add(imagePackage(contents));

    for (SbomContents.DebianComponent component : contents.debianPackages()) {
      packages.add(debianPackage(component, extractedLicenses));
      String id = debianId(component.pkg().name());
      relationships.add(relationship(IMAGE_ID, "CONTAINS", id));
      component.pkg().neededBy().ifPresent(
          dependent -> relationships.add(relationship(debianId(dependent), "DEPENDS_ON", id)));
    }
    List<SbomContents.MavenComponent> maven = contents.mavenComponents();
    for (int i = 0; i < maven.size(); i++) {
      packages.add(mavenPackage(maven.get(i), mavenId(i, maven.get(i))));
      relationships.add(relationship(IMAGE_ID, "CONTAINS", mavenId(i, maven.get(i))));
    }

    ObjectNode document = JsonDocuments.object();
    document.put("spdxVersion", "SPDX-2.3");
    document.put("dataLicense", "CC0-1.0");
    document.put("SPDXID", "SPDXRef-DOCUMENT");
    document.put("name", contents.imageReference());
    document.put("documentNamespace", "urn:uuid:" + namespaceUuid(contents.imageReference(), packages));
    ObjectNode creationInfo = document.putObject("creationInfo");
    creationInfo.put(
        "created", DateTimeFormatter.ISO_INSTANT.format(contents.created().truncatedTo(ChronoUnit.SECONDS)));
    creationInfo.putArray("creators").add("Tool: debimage");
    document.set("packages", packages);
    document.set("relationships", relationships);
    if (!extractedLicenses.isEmpty()) {
      ArrayNode infos = document.putArray("hasExtractedLicensingInfos");
      extractedLicenses.forEach((id, text) -> {
        ObjectNode info = infos.addObject();
        info.put("licenseId", id);
        info.put("extractedText", text);
      });
    }
    return JsonDocuments.toBytes(document);
  }

  /**
   * Returns the SPDX ID of a Debian package. SPDX IDs allow only letters, digits, {@code .} and
   * {@code -}, so every other character, and every upper-case letter, becomes {@code X} and its
   * hex code: {@code libstdc++6} becomes {@code SPDXRef-deb-libstdcX2BX2B6}. The upper-case X
   * appears only in such codes, so distinct names get distinct IDs.
   */
  static String debianId(String packageName) {
    StringBuilder id = new StringBuilder("SPDXRef-deb-");
    for (char c : packageName.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
        id.append(c);
      } else {
        id.append('X').append(String.format("%02X", (int) c));
      }
    }
    return id.toString();
  }

  private static String mavenId(int index, SbomContents.MavenComponent component) {
    return "SPDXRef-maven-" + index + "-" + component.artifactId().replaceAll("[^A-Za-z0-9.-]", "-");
  }

  private static ObjectNode imagePackage(SbomContents contents) {
    ObjectNode node = JsonDocuments.object();
    node.put("SPDXID", IMAGE_ID);
    node.put("name", contents.imageReference());
    node.put("downloadLocation", NOASSERTION);
    node.put("filesAnalyzed", false);
    node.put("primaryPackagePurpose", "CONTAINER");
    return node;
  }

  private static ObjectNode debianPackage(
      SbomContents.DebianComponent component, TreeMap<String, String> extractedLicenses) {
    InstalledPackage pkg = component.pkg();
    ObjectNode node = JsonDocuments.object();
    node.put("SPDXID", debianId(pkg.name()));
    node.put("name", pkg.name());
    node.put("versionInfo", pkg.version());
    node.put("downloadLocation", component.debUri().toString());
    node.put("filesAnalyzed", false);
    node.put("sourceInfo", "built from the Debian source package " + pkg.sourceName() + " " + pkg.sourceVersion());
    ObjectNode checksum = node.putArray("checksums").addObject();
    checksum.put("algorithm", "SHA256");
    checksum.put("checksumValue", pkg.sha256());
    node.put("licenseConcluded", NOASSERTION);
    node.put("licenseDeclared", licenseExpression(component, extractedLicenses));
    node.put("copyrightText", NOASSERTION);
    ObjectNode purl = node.putArray("externalRefs").addObject();
    purl.put("referenceCategory", "PACKAGE-MANAGER");
    purl.put("referenceType", "purl");
    purl.put("referenceLocator", component.purl());
    return node;
  }

  /**
   * Joins the distinct licenses of the copyright file with {@code AND}, because each applies to some
   * files of the package. A name without an SPDX identifier gets a {@code LicenseRef-} and an entry
   * in {@code extractedLicenses}.
   */
  private static String licenseExpression(
      SbomContents.DebianComponent component, TreeMap<String, String> extractedLicenses) {
    if (component.copyright().isEmpty() || component.copyright().get().licenseNames().isEmpty()) {
      return NOASSERTION;
    }
    CopyrightFile copyright = component.copyright().get();
    TreeSet<String> references = new TreeSet<>();
    for (String name : copyright.licenseNames()) {
      String reference = SpdxLicenses.spdxReference(name);
      if (reference.startsWith("LicenseRef-")) {
        // The first package that names a license supplies its text; packages are sorted by name.
        extractedLicenses.computeIfAbsent(reference, id -> extractedText(name, component, copyright));
        reference = extractedLicenses.ceilingKey(reference);
      }
      references.add(reference);
    }
    return String.join(" AND ", references);
  }

  private static String extractedText(String name, SbomContents.DebianComponent component, CopyrightFile copyright) {
    String text = copyright.licenseTexts().get(name);
    if (text != null) {
      return text;
    }
    return "The license named '" + name + "' in /usr/share/doc/" + component.pkg().name()
        + "/copyright, which gives no text for it.";
  }

  private static ObjectNode mavenPackage(SbomContents.MavenComponent component, String id) {
    ObjectNode node = JsonDocuments.object();
    node.put("SPDXID", id);
    node.put("name", component.groupId() + ":" + component.artifactId());
    node.put("versionInfo", component.version());
    node.put("downloadLocation", NOASSERTION);
    node.put("filesAnalyzed", false);
    node.put("licenseConcluded", NOASSERTION);
    node.put("licenseDeclared", NOASSERTION);
    node.put("copyrightText", NOASSERTION);
    ObjectNode purl = node.putArray("externalRefs").addObject();
    purl.put("referenceCategory", "PACKAGE-MANAGER");
    purl.put("referenceType", "purl");
    purl.put("referenceLocator", component.purl());
    return node;
  }

  private static ObjectNode relationship(String element, String type, String related) {
    ObjectNode node = JsonDocuments.object();
    node.put("spdxElementId", element);
    node.put("relationshipType", type);
    node.put("relatedSpdxElement", related);
    return node;
  }

  /**
   * Derives the namespace from the image reference and the packages, so that a rebuild of the same
   * image gets the same namespace and a different image a different one.
   */
  private static UUID namespaceUuid(String imageReference, ArrayNode packages) {
    ObjectNode identity = JsonDocuments.object();
    identity.put("image", imageReference);
    identity.set("packages", packages);
    return UUID.nameUUIDFromBytes(JsonDocuments.toBytes(identity));
  }
}
