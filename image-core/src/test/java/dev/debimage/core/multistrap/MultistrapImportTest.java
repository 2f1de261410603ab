package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.multistrap.MultistrapKeys.Key;
import dev.debimage.core.multistrap.MultistrapKeys.Scope;
import dev.debimage.core.multistrap.MultistrapKeys.Status;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultistrapImportTest {

  private static final String ARCHIVE = "http://archive.invalid/debian";

  private static final String BASE = """
      [General]
      bootstrap=Debian
      [Debian]
      packages=hello
      source=http://archive.invalid/debian
      keyring=debian-archive-keyring
      suite=bookworm
      """;

  @TempDir Path dir;

  private MultistrapImport.Result read(String text) {
    return read(text, BuildListener.NONE);
  }

  private MultistrapImport.Result read(String text, BuildListener listener) {
    MultistrapConfig config = MultistrapConfig.parse(text, dir.resolve("multistrap.conf"));
    return MultistrapImport.read(config, "amd64", dir.resolve("generated"), listener);
  }

  private ImageBuildException rejected(String text) {
    return assertThrows(ImageBuildException.class, () -> read(text));
  }

  /** Inserts {@code line} below {@code [General]} of {@link #BASE}. */
  private static String withGeneral(String line) {
    return BASE.replace("[General]\n", "[General]\n" + line + "\n");
  }

  private static String withRepository(String line) {
    return BASE + line + "\n";
  }

  @Test
  void allowRecommendsIsPassedOn() {
    assertTrue(read(withGeneral("allowrecommends=true")).allowRecommends());
    assertFalse(read(withGeneral("allowrecommends=false")).allowRecommends());
    assertFalse(read(withGeneral("")).allowRecommends());
  }

  @Test
  void bootstrapSectionsGiveSourcesAndPackages() {
    MultistrapImport.Result result = read("""
        [General]
        arch=arm64
        bootstrap=Debian Updates
        [Debian]
        packages=hello
        packages=busybox
        additional=netbase
        source=http://archive.invalid/debian
        keyring=debian-archive-keyring
        suite=bookworm
        [Updates]
        packages=tzdata
        source=http://archive.invalid/debian
        keyring=debian-archive-keyring
        suite=bookworm-updates
        components=main contrib
        """);

    assertEquals(Optional.of("arm64"), result.architecture());
    assertEquals(2, result.sources().size());
    SourceSpec first = result.sources().get(0);
    assertEquals(List.of(URI.create(ARCHIVE)), first.uris());
    assertEquals(List.of("bookworm"), first.suites());
    assertEquals(List.of("main"), first.components());
    assertEquals(Optional.of(Keyring.BUNDLED_DEBIAN), first.signedBy());
    assertEquals(Keyring.bundledDebian().fingerprints(), Keyring.forSource(first).fingerprints());
    assertTrue(first.origin().contains("[Debian]"), first.origin());
    assertEquals(List.of("bookworm-updates"), result.sources().get(1).suites());
    assertEquals(List.of("main", "contrib"), result.sources().get(1).components());
    assertEquals(List.of("hello", "busybox", "netbase", "tzdata", "debian-archive-keyring"),
        result.packages());
    assertEquals(Set.of("required"), result.prioritySelector().orElseThrow().priorities());
    assertTrue(result.aptSources().isEmpty());
  }

  @Test
  void unusedSectionNotedNotSourced() {
    MultistrapImport.Result result = read(BASE + """
        [Local]
        source=http://archive.invalid/local
        suite=bookworm
        """);

    assertEquals(1, result.sources().size());
    assertTrue(result.notes().stream().anyMatch(note -> note.contains("[Local]")), result.notes().toString());
  }

  @Test
  void debootstrapIsOlderNameOfBootstrap() {
    MultistrapImport.Result result = read(BASE.replace("bootstrap=", "debootstrap="));

    assertEquals(1, result.sources().size());
  }

  @Test
  void omitRequiredDropsSelector() {
    MultistrapImport.Result result = read(withGeneral("omitrequired=true"));

    assertTrue(result.prioritySelector().isEmpty());
  }

  @Test
  void addImportantAddsPriority() {
    MultistrapImport.Result result = read(withGeneral("addimportant=true"));

    assertEquals(Set.of("required", "important"), result.prioritySelector().orElseThrow().priorities());
  }

  @Test
  void addImportantWithOmitRequiredRejected() {
    ImageBuildException e = rejected(withGeneral("addimportant=true\nomitrequired=true"));

    assertTrue(e.getMessage().contains("addimportant"), e.getMessage());
    assertTrue(e.getMessage().contains("omitrequired"), e.getMessage());
  }

  @Test
  void noauthTrueRejectedAsAlwaysVerified() {
    ImageBuildException e = rejected(withGeneral("noauth=true"));

    assertTrue(e.getMessage().contains("noauth=true"), e.getMessage());
    assertTrue(e.getMessage().contains("always checked"), e.getMessage());
    assertTrue(e.getMessage().contains("multistrap.conf line 2"), e.getMessage());
  }

  @Test
  void noauthFalseAccepted() {
    assertEquals(1, read(withGeneral("noauth=false")).sources().size());
  }

  @Test
  void invalidBooleanRejected() {
    ImageBuildException e = rejected(withGeneral("cleanup=yes"));

    assertTrue(e.getMessage().contains("cleanup=yes"), e.getMessage());
    assertTrue(e.getMessage().contains("true or false"), e.getMessage());
  }

  @Test
  void keyringWithoutTrustedSectionRejected() {
    ImageBuildException e = rejected(BASE.replace("debian-archive-keyring", "example-archive-keyring"));

    assertTrue(e.getMessage().contains("'example-archive-keyring'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 6"), e.getMessage());
    assertTrue(e.getMessage().contains("<signedBy>"), e.getMessage());
  }

  @Test
  void ubuntuKeyringSelectsBundledUbuntuKeys() {
    MultistrapImport.Result result = read(BASE.replace("debian-archive-keyring", "ubuntu-keyring"));

    assertEquals(Optional.of(Keyring.BUNDLED_UBUNTU), result.sources().get(0).signedBy());
    assertEquals(Keyring.bundledUbuntu().fingerprints(), Keyring.forSource(result.sources().get(0)).fingerprints());
    assertEquals(List.of("hello", "ubuntu-keyring"), result.packages());
  }

  @Test
  void sectionWithoutKeyringTrustsOtherSectionsKeyrings() {
    MultistrapImport.Result result = read(BASE.replace("bootstrap=Debian", "bootstrap=Debian Updates") + """
        [Updates]
        source=http://archive.invalid/debian
        suite=bookworm-updates
        """);

    assertEquals(Optional.of(Keyring.BUNDLED_DEBIAN), result.sources().get(1).signedBy());
    assertTrue(result.notes().stream().anyMatch(note -> note.contains("[Updates]")
        && note.contains("other sections name")), result.notes().toString());
  }

  @Test
  void twoBundledKeyringsBothTrusted() {
    MultistrapImport.Result result =
        read(BASE.replace("debian-archive-keyring", "debian-archive-keyring ubuntu-keyring"));

    assertEquals(Optional.of(Keyring.BUNDLED_DEBIAN + " " + Keyring.BUNDLED_UBUNTU), result.sources().get(0).signedBy());
    assertEquals(List.of("hello", "debian-archive-keyring", "ubuntu-keyring"), result.packages());
  }

  @Test
  void keyringWithVersionRejected() {
    ImageBuildException e = rejected(BASE.replace("debian-archive-keyring", "debian-archive-keyring=2023.3"));

    assertTrue(e.getMessage().contains("'debian-archive-keyring=2023.3'"), e.getMessage());
  }

  @Test
  void missingKeyringUsesBundledKeys() {
    MultistrapImport.Result result = read(BASE.replace("keyring=debian-archive-keyring\n", ""));

    assertEquals(List.of("hello"), result.packages());
    assertEquals(Optional.empty(), result.sources().get(0).signedBy());
    assertTrue(result.notes().stream().anyMatch(note -> note.contains("bundled")), result.notes().toString());
  }

  @Test
  void copySchemeReadAsFile() {
    MultistrapImport.Result result = read(BASE.replace(ARCHIVE, "copy:///srv/mirror/debian"));

    assertEquals(List.of(URI.create("file:///srv/mirror/debian")), result.sources().get(0).uris());
  }

  @Test
  void flatRepositoryRejected() {
    ImageBuildException e = rejected(BASE.replace(ARCHIVE, ARCHIVE + "/ ./"));

    assertTrue(e.getMessage().contains("flat repository"), e.getMessage());
  }

  @Test
  void unsupportedSchemeRejected() {
    ImageBuildException e = rejected(BASE.replace(ARCHIVE, "ftp://archive.invalid/debian"));

    assertTrue(e.getMessage().contains("invalid source="), e.getMessage());
  }

  @Test
  void missingSuiteRejected() {
    ImageBuildException e = rejected(BASE.replace("suite=bookworm\n", ""));

    assertTrue(e.getMessage().contains("missing suite="), e.getMessage());
    assertTrue(e.getMessage().contains("[Debian]"), e.getMessage());
  }

  @Test
  void missingSourceRejected() {
    ImageBuildException e = rejected(BASE.replace("source=" + ARCHIVE + "\n", ""));

    assertTrue(e.getMessage().contains("missing source="), e.getMessage());
  }

  @Test
  void undefinedBootstrapSectionRejected() {
    ImageBuildException e = rejected(BASE.replace("bootstrap=Debian", "bootstrap=Debian Extra"));

    assertTrue(e.getMessage().contains("'Extra'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void undefinedDebootstrapSectionRejected() {
    ImageBuildException e = rejected(BASE.replace("bootstrap=Debian", "debootstrap=Debian Extra"));

    assertTrue(e.getMessage().contains("debootstrap= at"), e.getMessage());
    assertTrue(e.getMessage().contains("'Extra'"), e.getMessage());
  }

  @Test
  void undefinedAptSourcesSectionRejected() {
    ImageBuildException e = rejected(withGeneral("aptsources=Local"));

    assertTrue(e.getMessage().contains("aptsources= at"), e.getMessage());
    assertTrue(e.getMessage().contains("'Local'"), e.getMessage());
  }

  @Test
  void missingBootstrapRejected() {
    ImageBuildException e = rejected(BASE.replace("bootstrap=Debian\n", "arch=amd64\n"));

    assertTrue(e.getMessage().contains("no bootstrap sections"), e.getMessage());
  }

  @Test
  void invalidPackageNameRejected() {
    ImageBuildException e = rejected(BASE.replace("packages=hello", "packages=hello Bad_Name"));

    assertTrue(e.getMessage().contains("'Bad_Name'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 4"), e.getMessage());
  }

  @Test
  void packageWithSuiteRejected() {
    ImageBuildException e = rejected(BASE.replace("packages=hello", "packages=hello/bookworm"));

    assertTrue(e.getMessage().contains("explicitsuite"), e.getMessage());
  }

  @Test
  void aptSourcesWrittenToLayer() throws IOException {
    MultistrapImport.Result result = read("""
        [General]
        bootstrap=Debian
        aptsources=Debian Security
        [Debian]
        packages=hello
        source=http://archive.invalid/debian
        keyring=debian-archive-keyring
        suite=bookworm
        components=main non-free-firmware
        [Security]
        source=http://archive.invalid/debian-security
        keyring=debian-archive-keyring
        suite=bookworm-security
        omitdebsrc=true
        """);

    ApplicationLayer layer = result.aptSources().orElseThrow();
    assertEquals(MultistrapImport.APT_SOURCES_LAYER, layer.name());
    assertEquals(2, layer.entries().size());
    ApplicationLayer.Entry debian = layer.entries().get(0);
    assertEquals("/etc/apt/sources.list.d/multistrap-debian.list", debian.target());
    assertEquals(
        "deb [arch=amd64] " + ARCHIVE + " bookworm main non-free-firmware\n"
            + "deb-src " + ARCHIVE + " bookworm main non-free-firmware\n",
        Files.readString(debian.source()));
    ApplicationLayer.Entry security = layer.entries().get(1);
    assertEquals("/etc/apt/sources.list.d/multistrap-security.list", security.target());
    assertEquals("deb [arch=amd64] http://archive.invalid/debian-security bookworm-security main\n",
        Files.readString(security.source()));
    assertEquals(1, result.sources().size());
  }

  @Test
  void applyToFillsSpec() {
    MultistrapImport.Result result = read(withGeneral("arch=arm64\naptsources=Debian"));
    ImageSpec.Builder builder = ImageSpec.builder().outputDirectory(dir.resolve("out"));

    ImageSpec spec = result.applyTo(builder).addPackage("tzdata").build();

    assertEquals("arm64", spec.architecture());
    assertEquals(result.sources(), spec.sources());
    assertEquals(List.of("hello", "debian-archive-keyring", "tzdata"), spec.packages());
    assertEquals(1, spec.packageSelectors().size());
    assertEquals(1, spec.applicationLayers().size());
  }

  @Test
  void emptyPackagesBuildWithSelector() {
    MultistrapImport.Result result =
        read(BASE.replace("packages=hello\n", "packages=\n").replace("keyring=debian-archive-keyring\n", ""));
    ImageSpec.Builder builder = ImageSpec.builder().outputDirectory(dir.resolve("out"));

    ImageSpec spec = result.applyTo(builder).build();

    assertEquals(List.of(), spec.packages());
    assertEquals(1, spec.packageSelectors().size());
  }

  @Test
  void notesGoToListener() {
    List<String> messages = new ArrayList<>();
    BuildListener listener = new BuildListener() {
      @Override
      public void info(String message) {
        messages.add(message);
      }

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };

    read(withGeneral("directory=/srv/rootfs"), listener);

    assertEquals(1, messages.size());
    assertTrue(messages.get(0).contains("directory=/srv/rootfs"), messages.get(0));
    assertTrue(messages.get(0).contains("output directory"), messages.get(0));
  }

  /**
   * A value for every documented key that requests more than multistrap's default, and whether the
   * import accepts it. Keys marked rejected in {@link MultistrapKeys} must all be rejected here.
   */
  private static Map<String, Boolean> sampleOutcomes() {
    Map<String, Boolean> accepted = new LinkedHashMap<>();
    accepted.put("arch=arm64", true);
    accepted.put("directory=/srv/rootfs", true);
    accepted.put("cleanup=true", true);
    accepted.put("noauth=true", false);
    accepted.put("unpack=false", false);
    accepted.put("forceunpack=false", false);
    accepted.put("explicitsuite=true", false);
    accepted.put("multiarch=i386", false);
    accepted.put("aptsources=Debian", true);
    accepted.put("bootstrap=Debian", true);
    accepted.put("debootstrap=Debian", true);
    accepted.put("omitrequired=true", true);
    accepted.put("addimportant=true", true);
    accepted.put("allowrecommends=true", true);
    accepted.put("configscript=/srv/config.sh", false);
    accepted.put("setupscript=/srv/setup.sh", false);
    accepted.put("hookdir=/srv/hooks", false);
    accepted.put("include=included.conf", true);
    accepted.put("tarballname=rootfs.tgz", true);
    accepted.put("retainsources=/srv/sources", false);
    accepted.put("ignorenativearch=true", true);
    accepted.put("omitpreinst=true", true);
    accepted.put("markauto=true", true);
    accepted.put("aptpreferences=/srv/preferences", false);
    accepted.put("aptdefaultrelease=bookworm", false);
    accepted.put("debconfseed=/srv/seed", false);
    accepted.put("packages=tzdata", true);
    accepted.put("source=file:///srv/mirror", true);
    accepted.put("keyring=debian-archive-keyring", true);
    accepted.put("suite=trixie", true);
    accepted.put("components=main contrib", true);
    accepted.put("omitdebsrc=true", true);
    accepted.put("architecture=armel", false);
    accepted.put("reinstall=hello", true);
    accepted.put("additional=tzdata", true);
    return accepted;
  }

  @Test
  void everyDocumentedKeyHonouredOrRejected() throws IOException {
    Files.writeString(dir.resolve("included.conf"), "[General]\ncleanup=true\n");
    Map<String, Boolean> outcomes = sampleOutcomes();
    Set<String> sampled = new TreeSet<>();
    outcomes.keySet().forEach(line -> sampled.add(line.substring(0, line.indexOf('='))));
    Set<String> documented = new TreeSet<>();
    MultistrapKeys.ALL.forEach(key -> documented.add(key.name()));
    assertEquals(documented, sampled);

    for (Map.Entry<String, Boolean> outcome : outcomes.entrySet()) {
      String line = outcome.getKey();
      String name = line.substring(0, line.indexOf('='));
      Key key = MultistrapKeys.ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
      // A repeated key other than packages= is a parse error, so a key that BASE sets is replaced.
      String text;
      if (BASE.lines().anyMatch(l -> l.startsWith(name + "="))) {
        text = BASE.replaceAll("(?m)^" + name + "=.*$", line);
      } else if (key.scope() == Scope.GENERAL) {
        text = withGeneral(line);
      } else {
        text = withRepository(line);
      }
      int lineNumber = (int) text.lines().takeWhile(l -> !l.equals(line)).count() + 1;

      if (outcome.getValue()) {
        MultistrapImport.Result result = read(text);
        assertFalse(result.sources().isEmpty(), line);
        assertTrue(key.status() != Status.REJECTED, line + " is accepted but marked rejected");
      } else {
        ImageBuildException e = assertThrows(ImageBuildException.class, () -> read(text), line);
        assertTrue(e.getMessage().contains(line), e.getMessage());
        assertTrue(e.getMessage().contains("multistrap.conf line " + lineNumber), e.getMessage());
        assertTrue(key.status() != Status.SUPPORTED, line + " is rejected but marked supported");
      }
    }
  }

  @Test
  void rejectedKeysAcceptDefaults() {
    for (Key key : MultistrapKeys.ALL) {
      if (key.status() != Status.REJECTED) {
        continue;
      }
      String line = key.name() + "=";
      String text = key.scope() == Scope.GENERAL ? withGeneral(line) : withRepository(line);

      assertEquals(1, read(text).sources().size(), line);
    }
  }
}
