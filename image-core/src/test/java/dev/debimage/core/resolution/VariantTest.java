package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.spec.ImageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantTest {

  private static final List<BinaryPackage> UNIVERSE = List.of(
      pkg("dpkg", "1.21.22", "Essential: yes", "Priority: required"),
      pkg("base-files", "12.4", "Essential: yes", "Priority: required"),
      pkg("mawk", "1.3.4", "Priority: required"),
      pkg("apt", "2.6.1", "Priority: important", "Depends: libapt"),
      pkg("libapt", "2.6.1", "Priority: optional"),
      pkg("cron", "3.0", "Priority: important"),
      pkg("less", "590", "Priority: standard"),
      pkg("hello", "2.10", "Priority: optional"),
      // Essential only in an older upload: the newest decides, as the resolver installs it.
      pkg("was-essential", "1.0", "Essential: yes"),
      pkg("was-essential", "2.0"));

  private static List<String> select(Variant variant) {
    return variant.selector().orElseThrow().select(UNIVERSE);
  }

  @Test
  void customSelectsNothing() {
    assertTrue(Variant.CUSTOM.selector().isEmpty());
  }

  @Test
  void essentialSelectsEssentialYes() {
    assertEquals(List.of("base-files", "dpkg"), select(Variant.ESSENTIAL));
  }

  @Test
  void aptAddsApt() {
    assertEquals(List.of("apt", "base-files", "dpkg"), select(Variant.APT));
  }

  @Test
  void requiredAddsRequiredAndApt() {
    assertEquals(List.of("apt", "base-files", "dpkg", "mawk"), select(Variant.REQUIRED));
  }

  @Test
  void importantAddsImportant() {
    assertEquals(List.of("apt", "base-files", "cron", "dpkg", "mawk"), select(Variant.IMPORTANT));
  }

  @Test
  void standardAddsStandard() {
    assertEquals(List.of("apt", "base-files", "cron", "dpkg", "less", "mawk"), select(Variant.STANDARD));
  }

  @Test
  void variantRequestsResolveWithDependencies() {
    List<String> requests = new java.util.ArrayList<>(List.of("hello"));
    requests.addAll(select(Variant.APT));
    Resolution resolution = new Resolver(UNIVERSE, "amd64").resolve(requests);

    assertEquals(
        List.of("apt", "base-files", "dpkg", "hello", "libapt"),
        resolution.packages().stream().map(BinaryPackage::name).toList());
  }

  @Test
  void parseAcceptsMmdebstrapNames() {
    assertEquals(Variant.REQUIRED, Variant.parse("minbase"));
    assertEquals(Variant.IMPORTANT, Variant.parse("debootstrap"));
    assertEquals(Variant.STANDARD, Variant.parse(" Standard "));
    assertEquals(Variant.CUSTOM, Variant.parse("custom"));
  }

  @Test
  void parseRejectsUnknownVariant() {
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> Variant.parse("buildd"));

    assertTrue(error.getMessage().contains("invalid variant 'buildd'"), error.getMessage());
    assertTrue(error.getMessage().contains("essential"), error.getMessage());
  }

  @Test
  void descriptionNamesVariant() {
    String description = Variant.REQUIRED.selector().orElseThrow().description();

    assertEquals("packages with Essential: yes or Priority: required, and apt (variant required)", description);
  }

  @Test
  void specWithVariantNeedsNoPackages() {
    ImageSpec spec = ImageSpec.builder()
        .resolveOptions(new ResolveOptions(Variant.ESSENTIAL, false, List.of(), false, List.of()))
        .outputDirectory(java.nio.file.Path.of("target/unused"))
        .build();

    assertEquals(Variant.ESSENTIAL, spec.resolveOptions().variant());
  }
}
