package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkgIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.spec.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuitePreferenceTest {

  private static final List<BinaryPackage> UNIVERSE = List.of(
      pkgIn("bookworm", "app", "1.0", "Depends: lib"),
      pkgIn("bookworm", "lib", "1.0"),
      pkgIn("bookworm-updates", "lib", "1.1"),
      pkgIn("bookworm-backports", "lib", "2.0"),
      pkgIn("bookworm-backports", "app", "2.0", "Depends: lib (>= 2.0)"),
      pkgIn("trixie", "lib", "3.0"));

  private static Resolution resolve(Set<String> notAutomatic, List<String> preferSuites, String... requested) {
    ResolveOptions options = new ResolveOptions(Variant.CUSTOM, false, List.of(), false, preferSuites);
    return new Resolver(UNIVERSE, "amd64", notAutomatic, options).resolve(List.of(requested));
  }

  private static List<String> chosen(Resolution resolution) {
    return resolution.packages().stream().map(binary -> binary.name() + "=" + binary.version()).toList();
  }

  @Test
  void specAcceptsSuiteRequest() {
    ImageSpec spec = ImageSpec.builder()
        .addPackage("curl/bookworm-backports")
        .outputDirectory(Path.of("target/unused"))
        .build();

    assertEquals(List.of("curl/bookworm-backports"), spec.packages());
  }

  @Test
  void newestWinsWithoutPreference() {
    assertEquals(List.of("app=2.0", "lib=3.0"), chosen(resolve(Set.of(), List.of(), "app")));
  }

  @Test
  void preferredSuiteWinsOverNewerVersions() {
    Resolution resolution = resolve(Set.of(), List.of("bookworm"), "app");

    assertEquals(List.of("app=1.0", "lib=1.0"), chosen(resolution));
  }

  @Test
  void earlierPreferredSuiteWins() {
    Resolution resolution = resolve(Set.of(), List.of("bookworm-updates", "bookworm"), "app");

    assertEquals(List.of("app=1.0", "lib=1.1"), chosen(resolution));
  }

  @Test
  void preferredSuiteFallsBackWhenItCannotMeetDependency() {
    // bookworm-backports, listed first, gives app 2.0 and lib 2.0, which wins over trixie's 3.0.
    Resolution resolution = resolve(Set.of(), List.of("bookworm-backports", "bookworm"), "app");

    assertEquals(List.of("app=2.0", "lib=2.0"), chosen(resolution));
  }

  @Test
  void preferenceOverridesNotAutomatic() {
    Set<String> notAutomatic = Set.of("bookworm-backports");

    assertEquals(List.of("app=1.0", "lib=3.0"), chosen(resolve(notAutomatic, List.of(), "app")));
    assertEquals(List.of("app=2.0", "lib=2.0"),
        chosen(resolve(notAutomatic, List.of("bookworm-backports"), "app")));
  }

  @Test
  void suiteRequestTakesThatSuite() {
    Resolution resolution = resolve(Set.of(), List.of(), "app/bookworm", "lib/bookworm-updates");

    assertEquals(List.of("app=1.0", "lib=1.1"), chosen(resolution));
    assertEquals("bookworm-updates", resolution.packages().get(1).suite());
  }

  @Test
  void suiteRequestAppliesToDependencies() {
    // lib is only requested by suite; app's dependency on it must still come from that suite.
    Resolution resolution = resolve(Set.of(), List.of(), "app/bookworm", "lib/bookworm");

    assertEquals(List.of("app=1.0", "lib=1.0"), chosen(resolution));
  }

  @Test
  void suiteRequestThatBreaksDependencyFails() {
    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(Set.of(), List.of(), "app/bookworm-backports", "lib/bookworm"));

    assertTrue(error.getMessage().contains("cannot resolve app/bookworm-backports lib/bookworm"), error.getMessage());
    assertTrue(error.getMessage().contains("lib (>= 2.0)"), error.getMessage());
    assertTrue(error.getMessage().contains("lib is requested from suite bookworm only"), error.getMessage());
  }

  @Test
  void suiteRequestForMissingSuiteFails() {
    ImageBuildException error =
        assertThrows(ImageBuildException.class, () -> resolve(Set.of(), List.of(), "app/sid"));

    assertTrue(error.getMessage().contains("package app not found in suite sid"), error.getMessage());
    assertTrue(error.getMessage().contains("2.0 (bookworm-backports/main)"), error.getMessage());
  }

  @Test
  void conflictingSuiteRequestsFail() {
    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(Set.of(), List.of(), "lib/bookworm", "lib/trixie"));

    assertTrue(error.getMessage().contains("requested from two suites, bookworm and trixie"), error.getMessage());
  }

  @Test
  void malformedSuiteRequestFails() {
    ImageBuildException error = assertThrows(
        ImageBuildException.class, () -> resolve(Set.of(), List.of(), "lib=1.0/bookworm"));

    assertTrue(error.getMessage().contains("expected name/suite"), error.getMessage());
  }
}
