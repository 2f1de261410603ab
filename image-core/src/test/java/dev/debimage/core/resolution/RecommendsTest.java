package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.indexes.BinaryPackage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommendsTest {

  private static final ResolveOptions WITH_RECOMMENDS =
      new ResolveOptions(Variant.CUSTOM, true, List.of(), false, List.of());

  private static Resolution resolve(List<BinaryPackage> universe, ResolveOptions options, String... requested) {
    return new Resolver(universe, "amd64", Set.of(), options).resolve(List.of(requested));
  }

  private static List<String> names(Resolution resolution) {
    return resolution.packages().stream().map(BinaryPackage::name).toList();
  }

  @Test
  void recommendsIgnoredByDefault() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0", "Recommends: extra"), pkg("extra", "1.0"));

    assertEquals(List.of("app"), names(resolve(universe, ResolveOptions.DEFAULT, "app")));
  }

  @Test
  void recommendsFollowedWithTheirDependencies() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: lib", "Recommends: extra"),
        pkg("lib", "1.0", "Recommends: lib-data"),
        pkg("lib-data", "1.0"),
        pkg("extra", "1.0", "Depends: extra-lib", "Recommends: extra-doc"),
        pkg("extra-lib", "1.0"),
        pkg("extra-doc", "1.0"),
        pkg("unrelated", "1.0"));

    Resolution resolution = resolve(universe, WITH_RECOMMENDS, "app");

    assertEquals(List.of("app", "extra", "extra-doc", "extra-lib", "lib", "lib-data"), names(resolution));
    assertEquals(List.of(), resolution.warnings());
  }

  @Test
  void unknownRecommendsSkippedWithWarning() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0", "Recommends: missing, extra"), pkg("extra", "1.0"));

    Resolution resolution = resolve(universe, WITH_RECOMMENDS, "app");

    assertEquals(List.of("app", "extra"), names(resolution));
    assertEquals(1, resolution.warnings().size(), resolution.warnings().toString());
    String warning = resolution.warnings().get(0);
    assertTrue(warning.contains("skipped 'Recommends: missing' of app 1.0"), warning);
    assertTrue(warning.contains("no package named missing"), warning);
  }

  @Test
  void conflictingRecommendsSkippedWithoutChangingTheSet() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: mta", "Recommends: fancy"),
        pkg("mta", "1.0"),
        // fancy needs a lib that conflicts with mta, so apt would leave it out too.
        pkg("fancy", "1.0", "Depends: fancy-lib"),
        pkg("fancy-lib", "1.0", "Conflicts: mta"));

    Resolution resolution = resolve(universe, WITH_RECOMMENDS, "app");

    assertEquals(List.of("app", "mta"), names(resolution));
    String warning = resolution.warnings().get(0);
    assertTrue(warning.contains("skipped 'Recommends: fancy' of app 1.0"), warning);
    assertTrue(warning.contains("Conflicts: mta"), warning);
  }

  @Test
  void recommendsAlternativeTakenWhenFirstFails() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Recommends: gone | present"),
        pkg("present", "1.0"));

    Resolution resolution = resolve(universe, WITH_RECOMMENDS, "app");

    assertEquals(List.of("app", "present"), names(resolution));
    assertEquals(List.of(), resolution.warnings());
  }

  @Test
  void recommendsMetByChosenPackageAddNothing() {
    List<BinaryPackage> universe = List.of(
        pkg("app", "1.0", "Depends: lib (>= 1.0)", "Recommends: lib"),
        pkg("lib", "1.0"),
        pkg("lib", "2.0"));

    Resolution resolution = resolve(universe, WITH_RECOMMENDS, "app");

    assertEquals(List.of("app", "lib"), names(resolution));
    assertEquals("2.0", resolution.packages().get(1).version());
  }
}
