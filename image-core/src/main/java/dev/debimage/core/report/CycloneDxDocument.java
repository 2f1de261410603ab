package dev.debimage.core.report;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;

/** Writes a CycloneDX 1.5 JSON BOM with cyclonedx-core-java. */
final class CycloneDxDocument {

  /** The file name of the BOM beside the image. */
  static final String FILE_NAME = "sbom.cdx.json";

  private static final String IMAGE_REF = "image";

  private CycloneDxDocument() {}

  /** Returns the BOM as deterministic JSON text. */
  static byte[] toJson(SbomContents contents) {
    Bom bom = new Bom();
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(contents.created()));
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setBomRef(IMAGE_REF);
    image.setName(contents.imageReference());
    metadata.setComponent(image);
    bom.setMetadata(metadata);

    // Dependencies keyed by bom-ref: the image depends on what was requested and on the Maven
    // components, each package on the packages it pulled in.
    Map<String, Dependency> dependencies = new LinkedHashMap<>();
    Dependency imageDependency = new Dependency(IMAGE_REF);
    dependencies.put(IMAGE_REF, imageDependency);
    Map<String, String> refsByName = new LinkedHashMap<>();
    for (SbomContents.DebianComponent component : contents.debianPackages()) {
      bom.addComponent(debianComponent(component));
      refsByName.put(component.pkg().name(), component.purl());
      dependencies.put(component.purl(), new Dependency(component.purl()));
    }
    for (SbomContents.DebianComponent component : contents.debianPackages()) {
      String dependent = component.pkg().neededBy().map(refsByName::get).orElse(IMAGE_REF);
      if (dependent == null) {
        throw new IllegalStateException(
            "package " + component.pkg().name() + " is " + component.pkg().reason() + ", which is not installed");
      }
      dependencies.get(dependent).addDependency(new Dependency(component.purl()));
    }
    for (SbomContents.MavenComponent component : contents.mavenComponents()) {
      bom.addComponent(mavenComponent(component));
      imageDependency.addDependency(new Dependency(component.purl()));
      dependencies.putIfAbsent(component.purl(), new Dependency(component.purl()));
    }
    bom.setDependencies(new ArrayList<>(dependencies.values()));

    byte[] withoutSerial = serialize(bom);
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(withoutSerial));
    return serialize(bom);
  }

  private static byte[] serialize(Bom bom) {
    try {
      // Reformatted by JsonDocuments so that both SBOMs share one deterministic layout.
      return JsonDocuments.toBytes(BomGeneratorFactory.createJson(Version.VERSION_15, bom).toJsonNode());
    } catch (RuntimeException e) {
      throw new ImageBuildException("failed to write the CycloneDX BOM: " + e.getMessage(), e);
    }
  }

  private static Component debianComponent(SbomContents.DebianComponent component) {
    InstalledPackage pkg = component.pkg();
    Component result = new Component();
    result.setType(Component.Type.LIBRARY);
    result.setBomRef(component.purl());
    result.setName(pkg.name());
    result.setVersion(pkg.version());
    result.setPurl(component.purl());
    result.addHash(new Hash(Hash.Algorithm.SHA_256, pkg.sha256()));
    component.copyright().ifPresent(copyright -> {
      if (!copyright.licenseNames().isEmpty()) {
        result.setLicenses(licenses(copyright.licenseNames()));
      }
    });
    result.addProperty(property("debimage:source-package", pkg.sourceName()));
    result.addProperty(property("debimage:source-version", pkg.sourceVersion()));
    result.addProperty(property("debimage:reason", pkg.reason()));
    return result;
  }

  /** Returns one license per name: by SPDX ID where it has one, otherwise by its Debian name. */
  private static LicenseChoice licenses(List<String> names) {
    LicenseChoice choice = new LicenseChoice();
    for (String name : names) {
      License license = new License();
      SpdxLicenses.spdxId(name).ifPresentOrElse(license::setId, () -> license.setName(name));
      choice.addLicense(license);
    }
    return choice;
  }

  private static Component mavenComponent(SbomContents.MavenComponent component) {
    Component result = new Component();
    result.setType(Component.Type.LIBRARY);
    result.setBomRef(component.purl());
    result.setGroup(component.groupId());
    result.setName(component.artifactId());
    result.setVersion(component.version());
    result.setPurl(component.purl());
    return result;
  }

  private static Property property(String name, String value) {
    Property property = new Property();
    property.setName(name);
    property.setValue(value);
    return property;
  }
}
