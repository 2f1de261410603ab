package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExcludesTest {

  private static ResolveOptions excluding(boolean force, String... names) {
    return new ResolveOptions(Variant.CUSTOM, false, List.of(names), force, List.of());
  }

  private static Resolution resolve(List<BinaryPackage> universe, ResolveOptions options, String... requested) {
    return new Resolver(universe, "amd64", Set.of(), options).resolve(List.of(requested));
  }

  private static List<String> names(Resolution resolution) {
    return resolution.packages().stream().map(BinaryPackage::name).toList();
  }

  private static void assertContains(String expected, String message) {
    assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
  }

  @Test
  void onlyProviderExcludedFailsWithChain() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: lib"),
        pkg("lib", "1.0", "Depends: perl"),
        pkg("perl", "5.36"));

    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(universe, excluding(false, "perl"), "app"));

    assertContains("cannot satisfy 'perl': needed by lib 1.0 <- needed by app 1.0 <- requested", error.getMessage());
    assertContains("perl 5.36 (bookworm, excluded)", error.getMessage());
  }

  @Test
  void alternativeAvoidsExcludedPackage() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: mawk | gawk"),
        pkg("mawk", "1.3"),
        pkg("gawk", "5.2"));

    Resolution resolution = resolve(universe, excluding(false, "mawk"), "app");

    assertEquals(List.of("app", "gawk"), names(resolution));
    assertTrue(resolution.warnings().contains(
        "excluded package mawk left out although app 1.0 has 'Depends: mawk | gawk'; check that the image"
            + " works without it"), resolution.warnings().toString());
  }

  @Test
  void excludedProviderLeavesOtherProvider() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: mail-transport-agent"),
        pkg("exim4", "4.96", "Provides: mail-transport-agent", "Priority: standard"),
        pkg("postfix", "3.7", "Provides: mail-transport-agent", "Priority: optional"));

    Resolution resolution = resolve(universe, excluding(false, "exim4"), "app");

    assertEquals(List.of("app", "postfix"), names(resolution));
    assertTrue(resolution.warnings().stream().anyMatch(warning -> warning.startsWith(
        "excluded package exim4 left out although app 1.0 has 'Depends: mail-transport-agent'")),
        resolution.warnings().toString());
  }

  @Test
  void unusedExcludeReported() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0"), pkg("perl", "5.36"));

    Resolution resolution = resolve(universe, excluding(false, "perl"), "app");

    assertEquals(List.of("app"), names(resolution));
    assertEquals(List.of("excluded package perl: no chosen package depends on it"), resolution.warnings());
  }

  @Test
  void essentialExcludeFailsWithoutForce() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0"), pkg("perl-base", "5.36", "Essential: yes"));

    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(universe, excluding(false, "perl-base"), "app"));

    assertContains("package perl-base is excluded but perl-base 5.36", error.getMessage());
    assertContains("forceExcludeEssential", error.getMessage());
  }

  @Test
  void essentialExcludeAllowedWithForce() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: perl-base | busybox"),
        pkg("perl-base", "5.36", "Essential: yes"),
        pkg("busybox", "1.35"));

    Resolution resolution = resolve(universe, excluding(true, "perl-base"), "app");

    assertEquals(List.of("app", "busybox"), names(resolution));
  }

  @Test
  void requestedExcludedPackageRejected() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0"));

    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(universe, excluding(false, "app"), "app"));

    assertContains("package app is both requested and excluded", error.getMessage());
  }

  @Test
  void invalidExcludeNameRejected() {
    ImageBuildException error = assertThrows(ImageBuildException.class, () -> excluding(false, "Perl Base"));

    assertContains("invalid excluded package 'Perl Base'", error.getMessage());
  }
}
