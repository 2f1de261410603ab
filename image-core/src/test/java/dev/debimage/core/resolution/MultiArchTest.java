package dev.debimage.core.resolution;

import static dev.debimage.core.resolution.ResolverTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resolves for arm64 from a universe that also contains amd64 packages, as a build for arm64 on an
 * amd64 machine sees it when its sources list both: the image's native architecture is arm64, and
 * {@code Multi-Arch} and the {@code :any} and {@code :native} qualifiers follow dpkg's rules for it.
 */
class MultiArchTest {

  private static BinaryPackage arm64(String name, String version, String... fields) {
    return pkg(name, version, withArchitecture("arm64", fields));
  }

  private static BinaryPackage amd64(String name, String version, String... fields) {
    return pkg(name, version, withArchitecture("amd64", fields));
  }

  private static BinaryPackage all(String name, String version, String... fields) {
    return pkg(name, version, withArchitecture("all", fields));
  }

  private static String[] withArchitecture(String architecture, String... fields) {
    List<String> list = new ArrayList<>(List.of(fields));
    list.add("Architecture: " + architecture);
    return list.toArray(String[]::new);
  }

  private static List<String> chosen(Resolution resolution) {
    return resolution.packages().stream()
        .map(binary -> binary.name() + ":" + binary.architecture() + "=" + binary.version())
        .toList();
  }

  private static Resolution resolveArm64(List<BinaryPackage> universe, String... requested) {
    return new Resolver(universe, "arm64").resolve(List.of(requested));
  }

  @Test
  void targetPackagesWinOverHostPackages() {
    List<BinaryPackage> universe = List.of(
        amd64("app", "2.0", "Depends: libc6"),
        arm64("app", "1.0", "Depends: libc6 (>= 2.36)"),
        amd64("libc6", "2.36-9", "Multi-Arch: same"),
        arm64("libc6", "2.36-9", "Multi-Arch: same"));

    assertEquals(List.of("app:arm64=1.0", "libc6:arm64=2.36-9"), chosen(resolveArm64(universe, "app")));
  }

  @Test
  void architectureAllResolvesForArm64() {
    List<BinaryPackage> universe = List.of(
        all("java-common", "0.74", "Depends: libc6"),
        arm64("libc6", "2.36-9", "Multi-Arch: same"),
        all("tzdata", "2024a", "Multi-Arch: foreign", "Depends: debconf | debconf-2.0"),
        all("debconf", "1.5.82", "Multi-Arch: foreign"));

    assertEquals(
        List.of("debconf:all=1.5.82", "java-common:all=0.74", "libc6:arm64=2.36-9", "tzdata:all=2024a"),
        chosen(resolveArm64(universe, "java-common", "tzdata")));
  }

  @Test
  void anyQualifierNeedsAllowedOnTarget() {
    List<BinaryPackage> allowed = List.of(
        all("tool", "1.0", "Depends: python3:any (>= 3.11)"),
        arm64("python3", "3.11.2", "Multi-Arch: allowed"),
        amd64("python3", "3.12.0", "Multi-Arch: allowed"));
    List<BinaryPackage> foreign = List.of(
        all("tool", "1.0", "Depends: python3:any"),
        arm64("python3", "3.11.2", "Multi-Arch: foreign"));

    assertEquals(List.of("python3:arm64=3.11.2", "tool:all=1.0"), chosen(resolveArm64(allowed, "tool")));
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> resolveArm64(foreign, "tool"));
    assertTrue(e.getMessage().contains("cannot satisfy 'python3:any'"), e.getMessage());
  }

  @Test
  void anyQualifierMetByAllowedProvider() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: awk:any"),
        arm64("mawk", "1.3.4", "Multi-Arch: allowed", "Provides: awk"),
        arm64("gawk", "5.2", "Multi-Arch: foreign", "Provides: awk"));

    assertEquals(List.of("app:arm64=1.0", "mawk:arm64=1.3.4"), chosen(resolveArm64(universe, "app")));
  }

  @Test
  void nativeMeansTargetNotHost() {
    List<BinaryPackage> universe = List.of(
        all("scripts", "1.0", "Depends: perl:native, libfoo:arm64"),
        arm64("perl", "5.36"),
        arm64("libfoo", "1.0", "Multi-Arch: same"),
        amd64("perl", "5.40"));

    assertEquals(
        List.of("libfoo:arm64=1.0", "perl:arm64=5.36", "scripts:all=1.0"), chosen(resolveArm64(universe, "scripts")));
  }

  @Test
  void hostQualifierCannotBeMet() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: libfoo:amd64"),
        arm64("libfoo", "1.0", "Multi-Arch: same"),
        amd64("libfoo", "1.0", "Multi-Arch: same"));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> resolveArm64(universe, "app"));

    assertTrue(e.getMessage().contains("cannot satisfy 'libfoo:amd64'"), e.getMessage());
  }

  @Test
  void alternativeSkipsOtherArchitecture() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: libfoo:amd64 | libfoo-compat"),
        arm64("libfoo", "1.0", "Multi-Arch: same"),
        arm64("libfoo-compat", "1.0"));

    assertEquals(List.of("app:arm64=1.0", "libfoo-compat:arm64=1.0"), chosen(resolveArm64(universe, "app")));
  }

  @Test
  void conflictOnOtherArchitectureIsIgnored() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: libfoo", "Breaks: libfoo:amd64 (<< 2)"),
        arm64("libfoo", "1.0", "Multi-Arch: same"));

    assertEquals(List.of("app:arm64=1.0", "libfoo:arm64=1.0"), chosen(resolveArm64(universe, "app")));
  }

  @Test
  void conflictOnAnyArchitectureApplies() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: libfoo | libbar", "Conflicts: libfoo:any"),
        arm64("libfoo", "1.0", "Multi-Arch: same"),
        arm64("libbar", "1.0"));
    List<BinaryPackage> onTarget = List.of(
        arm64("app", "1.0", "Depends: libfoo | libbar", "Breaks: libfoo:arm64"),
        arm64("libfoo", "1.0", "Multi-Arch: same"),
        arm64("libbar", "1.0"));

    assertEquals(List.of("app:arm64=1.0", "libbar:arm64=1.0"), chosen(resolveArm64(universe, "app")));
    assertEquals(List.of("app:arm64=1.0", "libbar:arm64=1.0"), chosen(resolveArm64(onTarget, "app")));
  }

  @Test
  void chosenConflictOnOtherArchitectureIsIgnored() {
    List<BinaryPackage> universe = List.of(
        arm64("app", "1.0", "Depends: base, libfoo"),
        arm64("base", "1.0", "Conflicts: libfoo:amd64, virtual-foo:amd64"),
        arm64("libfoo", "1.0", "Provides: virtual-foo"));

    assertEquals(
        List.of("app:arm64=1.0", "base:arm64=1.0", "libfoo:arm64=1.0"), chosen(resolveArm64(universe, "app")));
  }

  @Test
  void hostOnlyPackageIsReported() {
    List<BinaryPackage> universe = List.of(amd64("intel-microcode", "3.2"), arm64("app", "1.0"));

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> resolveArm64(universe, "intel-microcode"));

    assertTrue(e.getMessage().contains("not available for architecture arm64, only for amd64"), e.getMessage());
  }

  @Test
  void architectureRestrictionUsesTarget() {
    List<BinaryPackage> universe = List.of(
        all("app", "1.0", "Depends: libx86 [amd64], libarm [arm64 armhf], libany [linux-any]"),
        arm64("libarm", "1.0"),
        arm64("libany", "1.0"),
        amd64("libx86", "1.0"));

    assertEquals(
        List.of("app:all=1.0", "libany:arm64=1.0", "libarm:arm64=1.0"), chosen(resolveArm64(universe, "app")));
  }
}
