package dev.debimage.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.SourceSpec;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

  private static TestKey first;
  private static TestKey second;

  @TempDir Path dir;

  @BeforeAll
  static void generateKeys() throws Exception {
    first = TestKey.generate("First <first@example.org>");
    second = TestKey.generate("Second <second@example.org>");
  }

  @Test
  void binaryAndArmoredFilesLoadSameKey() throws Exception {
    Path binary = Files.write(dir.resolve("key.gpg"), first.publicBinary());
    // The armored key has a .gpg name on purpose: armor is detected by content.
    Path armored = Files.writeString(dir.resolve("armored.gpg"), "\n" + first.publicArmored());

    Keyring fromBinary = Keyring.load(binary);
    Keyring fromArmored = Keyring.load(armored);

    assertEquals(List.of(first.fingerprint()), fromBinary.fingerprints());
    assertEquals(List.of(first.fingerprint()), fromArmored.fingerprints());
    assertEquals(binary.toString(), fromBinary.description());
  }

  @Test
  void armoredFileWithTwoBlocksLoadsBoth() throws Exception {
    Path file = Files.writeString(
        dir.resolve("both.asc"), first.publicArmored() + "\n# second key\n" + second.publicArmored());

    assertEquals(List.of(first.fingerprint(), second.fingerprint()), Keyring.load(file).fingerprints());
  }

  @Test
  void directoryLoadsGpgAndAscInNameOrder() throws Exception {
    Files.writeString(dir.resolve("b-second.asc"), second.publicArmored());
    Files.write(dir.resolve("a-first.gpg"), first.publicBinary());
    Files.writeString(dir.resolve("README"), "not a key");
    Files.write(dir.resolve("c-first-again.gpg"), first.publicBinary());

    Keyring keyring = Keyring.load(dir);

    assertEquals(List.of(first.fingerprint(), second.fingerprint()), keyring.fingerprints());
    assertEquals(dir.toString(), keyring.description());
  }

  @Test
  void emptyDirectoryIsRejected() {
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.load(dir));

    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void missingFileIsRejected() {
    Path missing = dir.resolve("missing.gpg");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.load(missing));

    assertTrue(e.getMessage().startsWith("keyring not found: " + missing), e.getMessage());
  }

  @Test
  void emptyFileIsRejected() throws Exception {
    Path empty = Files.write(dir.resolve("empty.gpg"), new byte[0]);

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.load(empty));

    assertTrue(e.getMessage().startsWith("no public keys in " + empty), e.getMessage());
  }

  @Test
  void garbageFileIsRejected() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!\n");

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.load(garbage));

    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
  }

  @Test
  void bundledHasPinnedDebianKeys() {
    Keyring debian = Keyring.bundledDebian();

    assertEquals(Keyring.DEBIAN_FINGERPRINTS, debian.fingerprints());
    assertEquals(9, debian.fingerprints().size());
    assertTrue(debian.description().contains("bundled Debian"), debian.description());
  }

  @Test
  void bundledHasPinnedUbuntuKeys() {
    Keyring ubuntu = Keyring.bundledUbuntu();

    assertEquals(Keyring.UBUNTU_FINGERPRINTS, ubuntu.fingerprints());
    assertEquals(3, ubuntu.fingerprints().size());
    assertTrue(ubuntu.description().contains("bundled Ubuntu"), ubuntu.description());
  }

  @Test
  void bundledHasDebianThenUbuntuKeys() {
    assertEquals(debianThenUbuntu(), Keyring.bundled().fingerprints());
    assertTrue(Keyring.bundled().description().contains("Debian and Ubuntu"), Keyring.bundled().description());
  }

  @Test
  void ubuntuResourceMatchesRecordedOrigin() throws Exception {
    String origin;
    byte[] keyring;
    try (InputStream text = Keyring.class.getResourceAsStream("ubuntu-archive-keyring.txt");
        InputStream data = Keyring.class.getResourceAsStream("ubuntu-archive-keyring.gpg")) {
      assertNotNull(text, "ubuntu-archive-keyring.txt is missing beside Keyring");
      assertNotNull(data, "ubuntu-archive-keyring.gpg is missing beside Keyring");
      origin = new String(text.readAllBytes(), StandardCharsets.UTF_8);
      keyring = data.readAllBytes();
    }

    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyring));
    assertTrue(origin.contains("SHA256:   " + digest), "the origin file does not record SHA256 " + digest);
    for (String fingerprint : Keyring.UBUNTU_FINGERPRINTS) {
      assertTrue(origin.contains(fingerprint), "the origin file does not list " + fingerprint);
    }
  }

  @Test
  void pinnedRejectsDebianKeysAsUbuntu() throws Exception {
    byte[] debian;
    try (InputStream in = Keyring.class.getResourceAsStream("debian-archive-keyring.gpg")) {
      debian = in.readAllBytes();
    }

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> Keyring.pinned(debian, "ubuntu resource", Keyring.UBUNTU_FINGERPRINTS));

    assertTrue(e.getMessage().contains("ubuntu resource"), e.getMessage());
    assertTrue(e.getMessage().contains(Keyring.UBUNTU_FINGERPRINTS.get(0)), e.getMessage());
  }

  @Test
  void pinnedRejectsOtherKeys() {
    ImageBuildException e = assertThrows(
        ImageBuildException.class,
        () -> Keyring.pinned(first.publicBinary(), "tampered resource", Keyring.DEBIAN_FINGERPRINTS));

    assertTrue(e.getMessage().contains(first.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains("was changed"), e.getMessage());
  }

  @Test
  void forSourceReadsEmbeddedKeyBlock() {
    Keyring keyring = Keyring.forSource(source(Optional.of(first.publicArmored())));

    assertEquals(List.of(first.fingerprint()), keyring.fingerprints());
    assertTrue(keyring.description().contains("test.sources stanza 1"), keyring.description());
  }

  @Test
  void forSourceReadsKeyringPaths() throws Exception {
    Path a = Files.write(dir.resolve("a.gpg"), first.publicBinary());
    Path b = Files.writeString(dir.resolve("b.asc"), second.publicArmored());

    Keyring keyring = Keyring.forSource(source(Optional.of(a + ", " + b)));

    assertEquals(List.of(first.fingerprint(), second.fingerprint()), keyring.fingerprints());
  }

  @Test
  void forSourceWithoutSignedByIsBundled() {
    assertEquals(debianThenUbuntu(), Keyring.forSource(source(Optional.empty())).fingerprints());
  }

  @Test
  void forSourceNamesBundledUbuntu() {
    Keyring keyring = Keyring.forSource(source(Optional.of(Keyring.BUNDLED_UBUNTU)));

    assertEquals(Keyring.UBUNTU_FINGERPRINTS, keyring.fingerprints());
    assertTrue(keyring.description().startsWith("bundled:ubuntu (Signed-By of"), keyring.description());
  }

  @Test
  void forSourceNamesBundledDebian() {
    Keyring keyring = Keyring.forSource(source(Optional.of(" " + Keyring.BUNDLED_DEBIAN + "\n")));

    assertEquals(Keyring.DEBIAN_FINGERPRINTS, keyring.fingerprints());
  }

  @Test
  void forSourceJoinsBundledAndFile() throws Exception {
    Path file = Files.write(dir.resolve("vendor.gpg"), first.publicBinary());

    Keyring keyring = Keyring.forSource(source(Optional.of("bundled:ubuntu, " + file)));

    List<String> expected = new ArrayList<>(Keyring.UBUNTU_FINGERPRINTS);
    expected.add(first.fingerprint());
    assertEquals(expected, keyring.fingerprints());
    assertTrue(keyring.description().contains(file.toString()), keyring.description());
  }

  @Test
  void forSourceRejectsUnknownBundledName() {
    SourceSpec source = source(Optional.of("bundled:devuan"));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.forSource(source));

    assertTrue(e.getMessage().contains("'bundled:devuan'"), e.getMessage());
    assertTrue(e.getMessage().contains("bundled:debian or bundled:ubuntu"), e.getMessage());
    assertTrue(e.getMessage().contains("test.sources stanza 1"), e.getMessage());
  }

  @Test
  void forSourceRejectsFingerprint() {
    SourceSpec source = source(Optional.of(first.fingerprint()));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> Keyring.forSource(source));

    assertTrue(e.getMessage().contains(first.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains("test.sources stanza 1"), e.getMessage());
  }

  @Test
  void forSourceNamesMissingPath() {
    Path missing = dir.resolve("nowhere.gpg");

    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> Keyring.forSource(source(Optional.of(missing.toString()))));

    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void parseRejectsSecretKey() {
    ImageBuildException e = assertThrows(
        ImageBuildException.class, () -> Keyring.parse(first.secretRing, "secret.gpg"));

    assertTrue(e.getMessage().contains("secret.gpg"), e.getMessage());
    assertTrue(e.getMessage().contains("export public keys only"), e.getMessage());
  }

  @Test
  void parseRejectsUserIdWithoutKey() {
    byte[] userIdPacket = {(byte) 0xB4, 3, 'a', 'b', 'c'};

    assertThrows(ImageBuildException.class, () -> Keyring.parse(userIdPacket, "user ID only"));
  }

  private static List<String> debianThenUbuntu() {
    List<String> expected = new ArrayList<>(Keyring.DEBIAN_FINGERPRINTS);
    expected.addAll(Keyring.UBUNTU_FINGERPRINTS);
    return expected;
  }

  private static SourceSpec source(Optional<String> signedBy) {
    return new SourceSpec(
        List.of(URI.create("http://127.0.0.1/debian")), List.of("bookworm"), List.of("main"),
        List.of(), signedBy, "test.sources stanza 1");
  }
}
