package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.spec.SourceSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResolverTest {

  private static final URI ROOT = URI.create("file:///srv/archive/");

  /** Creates a package of the bookworm suite; each field is written as {@code Name: value}. */
  static BinaryPackage pkg(String name, String version, String... fields) {
    return pkgIn("bookworm", name, version, fields);
  }

  static BinaryPackage pkgIn(String suite, String name, String version, String... fields) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Package", name);
    values.put("Version", version);
    values.put("Architecture", "amd64");
    for (String field : fields) {
      int colon = field.indexOf(':');
      values.put(field.substring(0, colon), field.substring(colon + 1).strip());
    }
    String architecture = values.get("Architecture");
    String filename = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_" + architecture + ".deb";
    values.put("Filename", filename);
    return new BinaryPackage(
        name, version, architecture, new Stanza(values), filename, 1000, "0".repeat(64), ROOT, suite, "main");
  }

  private static List<String> names(Resolution resolution) {
    return resolution.packages().stream().map(BinaryPackage::name).collect(Collectors.toList());
  }

  private static List<String> chosen(Resolution resolution) {
    return resolution.packages().stream()
        .map(binary -> binary.name() + "=" + binary.version())
        .collect(Collectors.toList());
  }

  private static ImageBuildException failure(List<BinaryPackage> universe, String... requested) {
    return assertThrows(
        ImageBuildException.class, () -> new Resolver(universe, "amd64").resolve(List.of(requested)));
  }

  private static void assertContains(String expected, String message) {
    assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
  }

  @Test
  void closureFollowsDependsAndPreDepends() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: libfoo (>= 1.0)", "Recommends: extra", "Suggests: docs"),
            pkg("libfoo", "1.2", "Pre-Depends: libc6 (>= 2.36)"),
            pkg("libc6", "2.36-9", "Architecture: amd64"),
            pkg("extra", "1.0"),
            pkg("docs", "1.0", "Architecture: all"),
            pkg("unrelated", "1.0"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app"));

    assertEquals(List.of("app", "libc6", "libfoo"), names(resolution));
    assertEquals("requested", resolution.reasons().get("app"));
    assertEquals("needed by app", resolution.reasons().get("libfoo"));
    assertEquals("needed by libfoo", resolution.reasons().get("libc6"));
    assertEquals(List.of(), resolution.warnings());
  }

  @Test
  void newestVersionAcrossSuitesWins() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib"),
            pkgIn("bookworm", "lib", "1.0-1"),
            pkgIn("bookworm-security", "lib", "1.0-1+deb12u1"),
            pkgIn("bookworm-updates", "lib", "1.0-1~bpo1"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app"));

    assertEquals(List.of("app=1.0", "lib=1.0-1+deb12u1"), chosen(resolution));
    assertEquals("bookworm-security", resolution.packages().get(1).suite());
  }

  @Test
  void versionedDependencyPicksOlderVersion() {
    List<BinaryPackage> universe =
        List.of(pkg("app", "1.0", "Depends: lib (<< 2.0)"), pkg("lib", "1.5"), pkg("lib", "2.0"), pkg("lib", "1.0"));

    assertEquals(List.of("app=1.0", "lib=1.5"), chosen(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void packagesOfOtherArchitecturesAreIgnored() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib, data"),
            pkg("lib", "2.0", "Architecture: i386"),
            pkg("lib", "1.0"),
            pkg("data", "1.0", "Architecture: all"),
            pkg("i386-only", "1.0", "Architecture: i386"));

    assertEquals(
        List.of("app=1.0", "data=1.0", "lib=1.0"),
        chosen(new Resolver(universe, "amd64").resolve(List.of("app"))));
    ImageBuildException error = failure(universe, "i386-only");
    assertContains("package i386-only is not available for architecture amd64, only for i386", error.getMessage());
  }

  @Test
  void firstSatisfiableAlternativeWins() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: missing | second | third, broken | fourth"),
            pkg("second", "1.0"),
            pkg("third", "1.0"),
            pkg("broken", "1.0", "Depends: nowhere"),
            pkg("fourth", "1.0"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app"));

    assertEquals(List.of("app", "fourth", "second"), names(resolution));
  }

  @Test
  void alternativeAlreadyChosenIsReused() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: second, first | second"),
            pkg("first", "1.0"),
            pkg("second", "1.0"));

    assertEquals(List.of("app", "second"), names(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void providerChosenByPriorityThenName() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: mail-transport-agent"),
            pkg("postfix", "3.7", "Provides: mail-transport-agent", "Priority: optional"),
            pkg("exim4-daemon-light", "4.96", "Provides: mail-transport-agent", "Priority: standard"),
            pkg("dma", "0.13", "Provides: mail-transport-agent", "Priority: standard"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app"));

    assertEquals(List.of("app", "dma"), names(resolution));
    assertEquals(1, resolution.warnings().size());
    String warning = resolution.warnings().get(0);
    assertContains("virtual package mail-transport-agent", warning);
    assertContains("several providers: dma, exim4-daemon-light, postfix; chose dma", warning);
  }

  @Test
  void chosenProviderIsReused() {
    List<BinaryPackage> universe =
        List.of(
            pkg("zapp", "1.0", "Depends: mail-transport-agent"),
            pkg("postfix", "3.7", "Provides: mail-transport-agent", "Priority: optional"),
            pkg("exim4-daemon-light", "4.96", "Provides: mail-transport-agent", "Priority: standard"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("zapp", "postfix"));

    assertEquals(List.of("postfix", "zapp"), names(resolution));
    assertEquals(List.of(), resolution.warnings());
  }

  @Test
  void realPackageWinsOverProvider() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: awk"),
            pkg("gawk", "5.2", "Provides: awk", "Priority: required"),
            pkg("awk", "1.0", "Priority: extra"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app"));

    assertEquals(List.of("app", "awk"), names(resolution));
    assertEquals(List.of(), resolution.warnings());
  }

  @Test
  void providerServesWhenRealVersionTooOld() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: foo (>= 2.0)"),
            pkg("foo", "1.0"),
            pkg("foo-ng", "1.0", "Provides: foo (= 2.1)"));

    assertEquals(List.of("app", "foo-ng"), names(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void versionedProvidesMeetsVersionedDependency() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: foo (>= 1.0)"),
            pkg("plain", "1.0", "Provides: foo", "Priority: required"),
            pkg("old", "1.0", "Provides: foo (= 0.9)", "Priority: required"),
            pkg("versioned", "1.0", "Provides: foo (= 1.2)"));

    assertEquals(List.of("app", "versioned"), names(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void unversionedProvidesMissesVersionedDependency() {
    List<BinaryPackage> universe =
        List.of(pkg("app", "1.0", "Depends: foo (>= 1.0)"), pkg("plain", "1.0", "Provides: foo"));

    ImageBuildException error = failure(universe, "app");

    assertContains("cannot satisfy 'foo (>= 1.0)': needed by app 1.0 <- requested", error.getMessage());
    assertContains("available: plain 1.0 (bookworm) provides foo", error.getMessage());
  }

  @Test
  void requestedVirtualPackageUsesProvider() {
    List<BinaryPackage> universe = List.of(pkg("mawk", "1.3", "Provides: awk"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("awk"));

    assertEquals(List.of("mawk"), names(resolution));
    assertEquals("requested", resolution.reasons().get("mawk"));
  }

  @Test
  void conflictForcesOtherAlternative() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: first | second"),
            pkg("first", "1.0"),
            pkg("second", "1.0"),
            pkg("tool", "1.0", "Conflicts: first"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app", "tool"));

    assertEquals(List.of("app", "second", "tool"), names(resolution));
  }

  @Test
  void breaksForcesOlderVersion() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib (<< 3)"),
            pkg("lib", "2.5"),
            pkg("lib", "1.5"),
            pkg("tool", "1.0", "Breaks: lib (>= 2)"));

    assertEquals(
        List.of("app=1.0", "lib=1.5", "tool=1.0"),
        chosen(new Resolver(universe, "amd64").resolve(List.of("app", "tool"))));
  }

  @Test
  void conflictWithProvidedNameIsHonoured() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: first | second"),
            pkg("first", "1.0", "Provides: mail-transport-agent"),
            pkg("second", "1.0"),
            pkg("tool", "1.0", "Conflicts: mail-transport-agent"));

    assertEquals(
        List.of("app", "second", "tool"),
        names(new Resolver(universe, "amd64").resolve(List.of("app", "tool"))));
  }

  @Test
  void conflictWithOwnProvidedNameIsIgnored() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: mail-transport-agent"),
            pkg("postfix", "3.7", "Provides: mail-transport-agent", "Conflicts: mail-transport-agent"));

    assertEquals(List.of("app", "postfix"), names(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void unavoidableConflictNamesBothChains() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib"),
            pkg("lib", "1.0"),
            pkg("tool", "2.0", "Depends: helper"),
            pkg("helper", "3.0", "Conflicts: lib (<< 2)"));

    ImageBuildException error = failure(universe, "tool", "app");

    assertContains("cannot resolve app tool", error.getMessage());
    assertContains("helper 3.0 (needed by tool 2.0 <- requested)", error.getMessage());
    assertContains("lib 1.0 (needed by app 1.0 <- requested)", error.getMessage());
    assertContains("because helper has 'Conflicts: lib (<< 2)'", error.getMessage());
  }

  @Test
  void unsatisfiableDependencyShowsChain() {
    List<BinaryPackage> universe =
        List.of(
            pkg("baz", "2.1", "Depends: bar"),
            pkg("bar", "1.0", "Depends: libfoo (>= 2.0)"),
            pkg("libfoo", "1.5"),
            pkg("libfoo", "2.0", "Architecture: i386"));

    ImageBuildException error = failure(universe, "baz");

    assertContains(
        "cannot satisfy 'libfoo (>= 2.0)': needed by bar 1.0 <- needed by baz 2.1 <- requested;"
            + " available: libfoo 1.5 (bookworm)",
        error.getMessage());
  }

  @Test
  void missingDependencyIsNamed() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0", "Depends: ghost | phantom"));

    ImageBuildException error = failure(universe, "app");

    assertContains(
        "cannot satisfy 'ghost | phantom': needed by app 1.0 <- requested; available: no package"
            + " named ghost, no package named phantom",
        error.getMessage());
  }

  @Test
  void failedAlternativesAreAllExplained() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: first | second"),
            pkg("first", "1.0", "Depends: missing"),
            pkg("second", "1.0"),
            pkg("tool", "1.0", "Conflicts: second"));

    ImageBuildException error = failure(universe, "app", "tool");

    assertContains(
        "cannot satisfy 'first | second': needed by app 1.0 <- requested; no candidate works:"
            + " (1) cannot satisfy 'missing': needed by first 1.0 <- needed by app 1.0 <- requested;"
            + " available: no package named missing"
            + " (2) cannot satisfy 'tool': requested; tool 1.0 (requested) and second 1.0 (needed by"
            + " app 1.0 <- requested) cannot both be installed because tool has 'Conflicts: second'",
        error.getMessage());
  }

  @Test
  void oneVersionPerNameBacktracksToOlderDependent() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "2.0", "Depends: lib (= 2)"),
            pkg("app", "1.0", "Depends: lib (= 1)"),
            pkg("lib", "1"),
            pkg("lib", "2"),
            pkg("tool", "1.0", "Depends: lib (<< 2)"));

    assertEquals(
        List.of("app=1.0", "lib=1", "tool=1.0"),
        chosen(new Resolver(universe, "amd64").resolve(List.of("app", "tool"))));
  }

  @Test
  void oneVersionPerNameFailsWithBothChains() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib (= 1)"),
            pkg("tool", "1.0", "Depends: lib (= 2)"),
            pkg("lib", "1"),
            pkg("lib", "2"));

    ImageBuildException error = failure(universe, "tool", "app");

    assertContains("cannot satisfy 'lib (= 2)': needed by tool 1.0 <- requested", error.getMessage());
    assertContains(
        "lib 2 cannot be chosen because lib 1 is already chosen, needed by app 1.0 <- requested",
        error.getMessage());
  }

  @Test
  void pinSelectsRequestedVersion() {
    List<BinaryPackage> universe =
        List.of(pkg("app", "2.0"), pkg("app", "1.0", "Depends: lib"), pkg("lib", "1.0"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("app=1.0"));

    assertEquals(List.of("app=1.0", "lib=1.0"), chosen(resolution));
    assertEquals(
        List.of("app=1.0", "lib=1.0"),
        chosen(new Resolver(universe, "amd64").resolve(List.of("app", "app=0:1.0"))));
  }

  @Test
  void pinMustMatchAvailableVersion() {
    List<BinaryPackage> universe = List.of(pkg("app", "2.0"), pkgIn("bookworm-updates", "app", "2.1"));

    ImageBuildException error = failure(universe, "app=1.0");

    assertContains("version 1.0 of package app not found; available: 2.1 (bookworm-updates/main), 2.0 (bookworm/main)", error.getMessage());
  }

  @Test
  void pinnedVirtualPackageIsRejected() {
    List<BinaryPackage> universe = List.of(pkg("mawk", "1.3", "Provides: awk"));

    ImageBuildException error = failure(universe, "awk=1.3");

    assertContains("awk is a virtual package", error.getMessage());
    assertContains("mawk 1.3 (bookworm) provides awk", error.getMessage());
  }

  @Test
  void pinnedDependencyConstraintIsChecked() {
    List<BinaryPackage> universe =
        List.of(pkg("app", "1.0", "Depends: lib (>= 2)"), pkg("lib", "1.0"), pkg("lib", "2.0"));

    ImageBuildException error = failure(universe, "app", "lib=1.0");

    assertContains("cannot satisfy 'lib (>= 2)': needed by app 1.0 <- requested", error.getMessage());
    assertContains(
        "lib 2.0 cannot be chosen because lib 1.0 is already chosen, requested", error.getMessage());
  }

  @Test
  void conflictingPinsAreRejected() {
    List<BinaryPackage> universe = List.of(pkg("app", "2.0"), pkg("app", "1.0"));

    assertContains("requested at two versions, 1.0 and 2.0", failure(universe, "app=1.0", "app=2.0").getMessage());
  }

  @Test
  void unknownPackageSuggestsCloseNames() {
    List<BinaryPackage> universe =
        List.of(pkg("curl", "7.88"), pkg("libcurl4", "7.88"), pkg("curlftpfs", "0.9"), pkg("wget", "1.21"));

    ImageBuildException error = failure(universe, "curk");

    assertContains("package curk not found in the package indexes for amd64; did you mean curl?", error.getMessage());
    assertContains("did you mean curlftpfs, curl?", failure(universe, "curlftp").getMessage());
  }

  @Test
  void malformedRequestIsRejected() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0"));

    assertContains("invalid package request 'App'", failure(universe, "App").getMessage());
    assertContains("invalid Debian version '1.0_1'", failure(universe, "app=1.0_1").getMessage());
    assertContains("no packages requested", failure(universe).getMessage());
  }

  @Test
  void anyQualifierNeedsMultiArchAllowed() {
    List<BinaryPackage> allowed =
        List.of(pkg("app", "1.0", "Depends: python3:any (>= 3.11)"), pkg("python3", "3.11.2", "Multi-Arch: allowed"));
    List<BinaryPackage> foreign =
        List.of(pkg("app", "1.0", "Depends: python3:any"), pkg("python3", "3.11.2", "Multi-Arch: foreign"));
    List<BinaryPackage> qualified =
        List.of(pkg("app", "1.0", "Depends: perl:native, gcc:amd64"), pkg("perl", "5.36"), pkg("gcc", "12"));

    assertEquals(List.of("app", "python3"), names(new Resolver(allowed, "amd64").resolve(List.of("app"))));
    assertContains("cannot satisfy 'python3:any'", failure(foreign, "app").getMessage());
    assertEquals(List.of("app", "gcc", "perl"), names(new Resolver(qualified, "amd64").resolve(List.of("app"))));
  }

  @Test
  void dependencyCyclesTerminate() {
    List<BinaryPackage> universe =
        List.of(
            pkg("jre", "17", "Depends: certs", "Provides: java-runtime"),
            pkg("certs", "1.0", "Depends: default-jre | java-runtime"),
            pkg("default-jre", "2", "Depends: jre"));

    Resolution resolution = new Resolver(universe, "amd64").resolve(List.of("jre"));

    assertEquals(List.of("certs", "jre"), names(resolution));
    assertEquals("needed by jre", resolution.reasons().get("certs"));
  }

  @Test
  void resultIgnoresInputOrder() {
    List<BinaryPackage> universe = new ArrayList<>(List.of(
        pkg("app", "1.0", "Depends: lib (>= 1), mta | mail-transport-agent, awk"),
        pkgIn("bookworm", "lib", "1.0"),
        pkgIn("bookworm-updates", "lib", "1.1"),
        pkgIn("bookworm-security", "lib", "1.1"),
        pkg("postfix", "3.7", "Provides: mail-transport-agent"),
        pkg("exim4", "4.96", "Provides: mail-transport-agent"),
        pkg("mawk", "1.3", "Provides: awk", "Priority: required"),
        pkg("gawk", "5.2", "Provides: awk", "Priority: optional"),
        pkg("tool", "1.0", "Depends: first | second"),
        pkg("first", "1.0", "Conflicts: exim4"),
        pkg("second", "1.0")));
    List<String> requested = new ArrayList<>(List.of("tool", "app"));
    Resolution expected = new Resolver(universe, "amd64").resolve(requested);

    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(universe, random);
      Collections.shuffle(requested, random);
      Resolution resolution = new Resolver(universe, "amd64").resolve(requested);

      assertEquals(chosen(expected), chosen(resolution), "order " + universe + " " + requested);
      assertEquals(
          expected.packages().stream().map(BinaryPackage::suite).collect(Collectors.toList()),
          resolution.packages().stream().map(BinaryPackage::suite).collect(Collectors.toList()));
      assertEquals(expected.reasons(), resolution.reasons());
      assertEquals(expected.warnings(), resolution.warnings());
    }
    assertEquals(List.of("app=1.0", "exim4=4.96", "lib=1.1", "mawk=1.3", "second=1.0", "tool=1.0"), chosen(expected));
    assertEquals("bookworm-security", expected.packages().get(2).suite());
  }

  @Test
  void searchStopsAfterMaxAttempts() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: first | second"),
            pkg("first", "1.0"),
            pkg("second", "1.0"),
            pkg("tool", "1.0", "Conflicts: first"));

    ImageBuildException error =
        assertThrows(
            ImageBuildException.class,
            () -> new Resolver(universe, "amd64", 3).resolve(List.of("app", "tool")));

    assertContains("dependency resolution stopped after 3 attempts", error.getMessage());
    assertContains(
        "the first problem found was: cannot satisfy 'tool': requested; tool 1.0 (requested) and"
            + " first 1.0 (needed by app 1.0 <- requested) cannot both be installed because tool"
            + " has 'Conflicts: first'",
        error.getMessage());
  }

  @Test
  void backjumpingSkipsUnrelatedChoices() {
    // Twenty packages with two versions each give 2^20 combinations that chronological
    // backtracking would try before giving up on the missing dependency.
    List<BinaryPackage> universe = new ArrayList<>();
    StringBuilder depends = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      universe.add(pkg("lib" + i, "1.0"));
      universe.add(pkg("lib" + i, "2.0"));
      depends.append("lib").append(i).append(", ");
    }
    universe.add(pkg("app", "1.0", "Depends: " + depends + "broken"));
    universe.add(pkg("broken", "1.0", "Depends: ghost"));

    ImageBuildException error =
        assertThrows(
            ImageBuildException.class,
            () -> new Resolver(universe, "amd64", 1000).resolve(List.of("app")));

    assertContains("cannot satisfy 'ghost': needed by broken 1.0 <- needed by app 1.0 <- requested", error.getMessage());
  }

  @Test
  void invalidVersionInUniverseNamesPackage() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0_1"));

    ImageBuildException error =
        assertThrows(ImageBuildException.class, () -> new Resolver(universe, "amd64"));

    assertContains("invalid Version of package app in bookworm/main", error.getMessage());
  }

  @Test
  void invalidDependsNamesPackage() {
    List<BinaryPackage> universe = List.of(pkg("app", "1.0", "Depends: lib (>= )"));

    assertContains("invalid Depends field of package app 1.0 from bookworm/main", failure(universe, "app").getMessage());
  }

  @Test
  void notAutomaticSuiteComesLast() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib"),
            pkg("lib", "1.0"),
            pkgIn("bookworm-backports", "lib", "2.0~bpo12+1"),
            pkgIn("bookworm-backports", "tool", "3.0~bpo12+1"));
    Resolver resolver = new Resolver(universe, "amd64", Set.of("bookworm-backports"));

    assertEquals(List.of("app=1.0", "lib=1.0"), chosen(resolver.resolve(List.of("app"))));
    assertEquals(List.of("lib=2.0~bpo12+1"), chosen(resolver.resolve(List.of("lib=2.0~bpo12+1"))));
    assertEquals(List.of("tool=3.0~bpo12+1"), chosen(resolver.resolve(List.of("tool"))));
    assertEquals(List.of("app=1.0", "lib=2.0~bpo12+1"), chosen(new Resolver(universe, "amd64").resolve(List.of("app"))));
  }

  @Test
  void notAutomaticSuiteServesAsFallback() {
    List<BinaryPackage> universe =
        List.of(
            pkg("app", "1.0", "Depends: lib (>= 2)"),
            pkg("lib", "1.0"),
            pkgIn("bookworm-backports", "lib", "2.0~bpo12+1"));
    Resolver resolver = new Resolver(universe, "amd64", Set.of("bookworm-backports"));

    assertEquals(List.of("app=1.0", "lib=2.0~bpo12+1"), chosen(resolver.resolve(List.of("app"))));
  }

  @Test
  void notAutomaticSuitesReadFromReleaseFiles() {
    SourceSpec source = new SourceSpec(List.of(ROOT), List.of("x"), List.of("main"), List.of(), Optional.empty(), "test");
    List<IndexLoader.Suite> suites =
        List.of(
            new IndexLoader.Suite(source, ROOT, "bookworm", ReleaseFile.parse("Suite: stable\nCodename: bookworm\n", "a")),
            new IndexLoader.Suite(source, ROOT, "bookworm-backports",
                ReleaseFile.parse("Suite: stable-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n", "b")),
            new IndexLoader.Suite(source, ROOT, "experimental", ReleaseFile.parse("Suite: experimental\nNotAutomatic: yes\n", "c")),
            new IndexLoader.Suite(source, ROOT, "odd", ReleaseFile.parse("Suite: odd\nNotAutomatic: no\n", "d")));

    assertEquals(Set.of("bookworm-backports", "experimental"), Resolver.notAutomaticSuites(suites));
  }
}
