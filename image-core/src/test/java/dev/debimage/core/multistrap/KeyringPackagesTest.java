package dev.debimage.core.multistrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports multistrap files whose sections name keyring packages, against generated archives on
 * 127.0.0.1: a "Debian" archive signed by a key that replaces the bundled Debian keys in the test, and
 * third-party archives signed by keys that only keyring packages carry.
 */
class KeyringPackagesTest {

  private static TestKey debianKey;
  private static TestKey thirdKey;
  private static TestKey fourthKey;
  private static TestKey removedKey;

  @TempDir Path root;
  @TempDir Path cacheDir;

  private ArchiveServer server;
  private final List<String> infos = new ArrayList<>();
  private final BuildListener listener = new BuildListener() {
    @Override
    public void info(String message) {
      infos.add(message);
    }

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  };

  @BeforeAll
  static void generateKeys() throws Exception {
    debianKey = TestKey.generate("Stand-in Debian Archive <debian@example.org>");
    thirdKey = TestKey.generate("Third Archive <third@example.org>");
    fourthKey = TestKey.generate("Fourth Archive <fourth@example.org>");
    removedKey = TestKey.generate("Removed Third Key <removed@example.org>");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Returns a keyring package laid out as Debian's are: a binary keyring in /usr/share/keyrings, a
   * list of removed keys next to it, and an armored copy in /etc/apt/trusted.gpg.d.
   */
  private static DebBuilder keyringPackage(String name, String version, TestKey key) {
    return new DebBuilder(name, version, "all")
        .dir("./usr/", 0755).dir("./usr/share/", 0755).dir("./usr/share/keyrings/", 0755)
        .file("./usr/share/keyrings/" + name + ".gpg", key.publicBinary(), 0644)
        .file("./usr/share/keyrings/" + name.replace("-keyring", "") + "-removed-keys.gpg",
            removedKey.publicBinary(), 0644)
        .dir("./etc/", 0755).dir("./etc/apt/", 0755).dir("./etc/apt/trusted.gpg.d/", 0755)
        .file("./etc/apt/trusted.gpg.d/" + name + ".asc", key.publicArmored(), 0644)
        .symlink("./etc/apt/trusted.gpg.d/" + name + "-link.gpg", "/usr/share/keyrings/" + name + ".gpg");
  }

  private static DebBuilder tool(String name) {
    return new DebBuilder(name, "1.0-1", TestArchive.ARCHITECTURE)
        .dir("./usr/", 0755).dir("./usr/bin/", 0755)
        .file("./usr/bin/" + name, "#!/bin/sh\n", 0755);
  }

  /** Writes the archives below one served directory: debian/, third/ and fourth/. */
  private void serve(List<DebBuilder> debian, List<DebBuilder> third, List<DebBuilder> fourth) throws IOException {
    TestArchive.builder(debianKey).addAll(TestArchive.samplePackages())
        .add(keyringPackage("debian-archive-keyring", "2023.3", debianKey)).addAll(debian)
        .write(root.resolve("debian"));
    TestArchive.builder(thirdKey).addAll(third).write(root.resolve("third"));
    TestArchive.builder(fourthKey).addAll(fourth).write(root.resolve("fourth"));
    server = ArchiveServer.start(root);
  }

  private String section(String name, String directory, String keyring, String packages) {
    return "[" + name + "]\n"
        + "source=" + server.uri() + "/" + directory + "\n"
        + "suite=stable\n"
        + (keyring.isEmpty() ? "" : "keyring=" + keyring + "\n")
        + (packages.isEmpty() ? "" : "packages=" + packages + "\n");
  }

  private DownloadCache cache() {
    return new DownloadCache(cacheDir, new HttpDownloader(BuildListener.NONE), false);
  }

  /** Returns a lookup that bundles the stand-in Debian key under the name debian-archive-keyring. */
  private KeyringPackages keyrings() {
    Supplier<Keyring> standIn = () -> Keyring.parse(debianKey.publicBinary(), "the stand-in bundled keys");
    return new KeyringPackages(this::cache, listener, Map.of("debian-archive-keyring", standIn), Map.of(), standIn);
  }

  private MultistrapImport.Result read(String text) throws IOException {
    Path file = root.resolve("multistrap.conf");
    Files.writeString(file, text);
    return MultistrapImport.read(MultistrapConfig.parse(file), "amd64", root.resolve("generated"), listener, keyrings());
  }

  private static List<String> fingerprints(SourceSpec source) {
    return Keyring.forSource(source).fingerprints();
  }

  /** Loads the indexes of every source, resolves {@code requests} and fetches them, as a build does. */
  private List<BinaryPackage> build(List<SourceSpec> sources, List<String> requests) {
    DownloadCache cache = cache();
    IndexLoader.Universe universe = new IndexLoader(cache, BuildListener.NONE).load(sources, TestArchive.ARCHITECTURE);
    List<BinaryPackage> packages =
        new Resolver(universe.packages(), TestArchive.ARCHITECTURE).resolve(requests).packages();
    new PackageFetcher(cache, BuildListener.NONE).fetch(packages);
    return packages;
  }

  @Test
  void thirdPartyKeyringFetchedAndTrusted() throws IOException {
    serve(List.of(keyringPackage("third-keyring", "2024.1", thirdKey)), List.of(tool("third-tool")), List.of());

    MultistrapImport.Result result = read("[General]\nbootstrap=Debian Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "hello")
        + section("Third", "third", "third-keyring", "third-tool"));

    assertEquals(List.of(debianKey.fingerprint()), fingerprints(result.sources().get(0)));
    // The removed-keys file and the symbolic link add no key, and the .asc copy merges with the .gpg.
    assertEquals(List.of(thirdKey.fingerprint()), fingerprints(result.sources().get(1)));
    assertTrue(result.packages().contains("third-keyring"), result.packages().toString());
    assertTrue(infos.stream().anyMatch(line -> line.contains(thirdKey.fingerprint())
        && line.contains("third-keyring 2024.1") && line.contains("[Third]")), infos.toString());

    List<String> installed = build(result.sources(), result.packages()).stream().map(BinaryPackage::name).toList();
    assertTrue(installed.contains("third-tool"), installed.toString());
    assertTrue(installed.contains("third-keyring"), installed.toString());
  }

  @Test
  void sectionWithoutKeyringTrustsNamedKeyrings() throws IOException {
    serve(List.of(keyringPackage("third-keyring", "1", thirdKey)), List.of(tool("third-tool")), List.of());
    Files.createDirectories(root.resolve("third-updates"));
    TestArchive.builder(thirdKey).suite("stable-updates", "bookworm-updates").add(tool("third-extra"))
        .write(root.resolve("third-updates"));

    MultistrapImport.Result result = read("[General]\nbootstrap=Debian Third ThirdUpdates\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", "third-tool")
        + section("ThirdUpdates", "third-updates", "", "third-extra").replace("suite=stable", "suite=stable-updates"));

    assertEquals(List.of(debianKey.fingerprint(), thirdKey.fingerprint()), fingerprints(result.sources().get(2)));
    List<String> installed = build(result.sources(), result.packages()).stream().map(BinaryPackage::name).toList();
    assertTrue(installed.contains("third-extra"), installed.toString());
  }

  @Test
  void newestKeyringVersionChosen() throws IOException {
    serve(
        List.of(keyringPackage("third-keyring", "2023.1", fourthKey)),
        List.of(tool("third-tool")),
        List.of());
    Files.createDirectories(root.resolve("updates"));
    TestArchive.builder(debianKey).suite("stable-updates", "bookworm-updates")
        .add(keyringPackage("third-keyring", "2024.1", thirdKey)).write(root.resolve("updates"));

    MultistrapImport.Result result = read("[General]\nbootstrap=Debian Updates Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Updates", "updates", "debian-archive-keyring", "").replace("suite=stable", "suite=stable-updates")
        + section("Third", "third", "third-keyring", "third-tool"));

    assertEquals(List.of(thirdKey.fingerprint()), fingerprints(result.sources().get(2)));
  }

  @Test
  void keyringFoundThroughAnotherKeyring() throws IOException {
    serve(
        List.of(keyringPackage("third-keyring", "1", thirdKey)),
        List.of(tool("third-tool"), keyringPackage("fourth-keyring", "1", fourthKey)),
        List.of(tool("fourth-tool")));

    // Fourth comes first, so its keyring package is found only after Third's keys are trusted.
    MultistrapImport.Result result = read("[General]\nbootstrap=Fourth Debian Third\n"
        + section("Fourth", "fourth", "fourth-keyring", "fourth-tool")
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", ""));

    assertEquals(List.of(fourthKey.fingerprint()), fingerprints(result.sources().get(0)));
    assertEquals(List.of(thirdKey.fingerprint()), fingerprints(result.sources().get(2)));
    List<String> installed = build(result.sources(), result.packages()).stream().map(BinaryPackage::name).toList();
    assertTrue(installed.containsAll(List.of("fourth-tool", "fourth-keyring", "third-keyring")), installed.toString());
  }

  @Test
  void keyringOnlyInOwnSectionRejected() throws IOException {
    serve(List.of(), List.of(tool("third-tool"), keyringPackage("third-keyring", "1", thirdKey)), List.of());

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> read("[General]\nbootstrap=Debian Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", "third-tool")));

    assertTrue(e.getMessage().contains("keyring package 'third-keyring'"), e.getMessage());
    assertTrue(e.getMessage().contains("multistrap.conf line 10"), e.getMessage());
    assertTrue(e.getMessage().contains("<signedBy>"), e.getMessage());
    assertTrue(e.getMessage().contains("[Third] did not verify"), e.getMessage());
  }

  @Test
  void keyringWithoutTrustedSectionRejected() throws IOException {
    serve(List.of(), List.of(tool("third-tool"), keyringPackage("third-keyring", "1", thirdKey)), List.of());

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> read("[General]\nbootstrap=Third\n"
        + section("Third", "third", "third-keyring", "third-tool")));

    assertTrue(e.getMessage().contains("keyring package 'third-keyring'"), e.getMessage());
    assertTrue(e.getMessage().contains("debian-archive-keyring"), e.getMessage());
    assertEquals(List.of(), server.requests());
  }

  @Test
  void keyringWithoutKeyFilesRejected() throws IOException {
    serve(List.of(tool("third-keyring")), List.of(tool("third-tool")), List.of());

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> read("[General]\nbootstrap=Debian Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", "")));

    assertTrue(e.getMessage().contains("third-keyring 1.0-1"), e.getMessage());
    assertTrue(e.getMessage().contains("contains no keyring files"), e.getMessage());
  }

  @Test
  void tamperedKeyringPackageRejected() throws IOException {
    serve(List.of(keyringPackage("third-keyring", "1", thirdKey)), List.of(tool("third-tool")), List.of());
    // Swap the package for one that carries another key, leaving the signed index as it was.
    Path deb = root.resolve("debian/pool/main/third-keyring_1_all.deb");
    Path forged = keyringPackage("third-keyring", "1", fourthKey).write(Files.createTempDirectory(root, "forged"));
    Files.copy(forged, deb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> read("[General]\nbootstrap=Debian Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", "")));

    assertTrue(e.getMessage().contains("third-keyring_1_all.deb"), e.getMessage());
    assertTrue(e.getMessage().contains("mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("as the signed index lists"), e.getMessage());
  }

  @Test
  void keyringWithWrongKeysFailsVerification() throws IOException {
    serve(List.of(keyringPackage("third-keyring", "1", fourthKey)), List.of(tool("third-tool")), List.of());

    MultistrapImport.Result result = read("[General]\nbootstrap=Debian Third\n"
        + section("Debian", "debian", "debian-archive-keyring", "")
        + section("Third", "third", "third-keyring", "third-tool"));

    assertEquals(List.of(fourthKey.fingerprint()), fingerprints(result.sources().get(1)));
    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> build(result.sources(), result.packages()));
    assertTrue(e.getMessage().contains("/third/dists/stable/InRelease"), e.getMessage());
  }

  @Test
  void bundledKeyringNeedsNoDownload() throws IOException {
    server = ArchiveServer.start(root);
    Path file = root.resolve("multistrap.conf");
    Files.writeString(file, "[General]\nbootstrap=Debian\n" + section("Debian", "debian", "debian-archive-keyring", "hello"));
    KeyringPackages offlineOnly = new KeyringPackages(
        () -> {
          throw new AssertionError("the cache was opened for a bundled keyring");
        },
        listener, Map.of("debian-archive-keyring", Keyring::bundledDebian),
        Map.of("debian-archive-keyring", Keyring.BUNDLED_DEBIAN), Keyring::bundled);

    MultistrapImport.Result result =
        MultistrapImport.read(MultistrapConfig.parse(file), "amd64", root.resolve("generated"), listener, offlineOnly);

    assertEquals(Optional.of(Keyring.BUNDLED_DEBIAN), result.sources().get(0).signedBy());
    assertEquals(Keyring.bundledDebian().fingerprints(), fingerprints(result.sources().get(0)));
    assertEquals(List.of(), server.requests());
  }

  @Test
  void armoredKeysHaveNoVersionHeader() {
    String armored = KeyringPackages.armor(thirdKey.publicBinary());

    assertTrue(armored.startsWith(Keyring.ARMORED_KEY_BLOCK_START), armored);
    assertFalse(armored.contains("Version:"), armored);
    assertEquals(List.of(thirdKey.fingerprint()), Keyring.parse(armored.getBytes(), "armored").fingerprints());
  }
}
