package dev.debimage.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.report.Distribution;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes and reads the lockfile of a build for several platforms. */
class PlatformLockfilesTest {

  private static final URI ROOT = URI.create("http://127.0.0.1:8080/debian");

  @TempDir Path dir;

  private static Lockfile lock(String architecture, String inputsDigestDigit) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", "libc6");
    fields.put("Version", "2.36-9");
    fields.put("Architecture", architecture);
    String filename = "pool/main/g/glibc/libc6_2.36-9_" + architecture + ".deb";
    BinaryPackage libc = new BinaryPackage(
        "libc6", "2.36-9", architecture, new Stanza(fields), filename, 100, "a".repeat(64), ROOT, "bookworm", "main");
    Map<String, String> tzFields = new LinkedHashMap<>();
    tzFields.put("Package", "tzdata");
    tzFields.put("Version", "2024a-0+deb12u1");
    tzFields.put("Architecture", "all");
    BinaryPackage tzdata = new BinaryPackage(
        "tzdata", "2024a-0+deb12u1", "all", new Stanza(tzFields), "pool/main/t/tzdata/tzdata_2024a-0+deb12u1_all.deb",
        50, "b".repeat(64), ROOT, "bookworm", "main");
    return new Lockfile(
        "sha256:" + inputsDigestDigit.repeat(64), architecture,
        List.of(new LockedSuite(ROOT, "bookworm", Optional.empty())),
        List.of(LockedPackage.of(libc, "requested"), LockedPackage.of(tzdata, "requested")),
        new Distribution("debian", "debian-12"));
  }

  @Test
  void severalPlatformsRoundTrip() {
    PlatformLockfiles locks = new PlatformLockfiles(List.of(lock("amd64", "1"), lock("arm64", "2")));
    Path file = dir.resolve("image.lock.json");
    locks.write(file);

    PlatformLockfiles read = PlatformLockfiles.read(file);

    assertEquals(locks, read);
    assertEquals(List.of("amd64", "arm64"), read.architectures());
    assertEquals("arm64", read.require("arm64", "x").packages().get(0).architecture());
    assertEquals("all", read.require("arm64", "x").packages().get(1).architecture());
  }

  @Test
  void severalPlatformsFormat() throws Exception {
    String json = new PlatformLockfiles(List.of(lock("amd64", "1"), lock("arm64", "2"))).toJson();

    assertTrue(json.startsWith("{\n  \"lockfileVersion\": 1,\n  \"platforms\": [\n"), json);
    assertTrue(json.endsWith("}\n"), json);
    assertEquals(2, json.split("\"architecture\": \"arm64\"", -1).length - 1, "lock and libc6 entry of arm64");
  }

  @Test
  void onePlatformKeepsPlainFormat() throws Exception {
    Lockfile single = lock("arm64", "3");
    Path file = dir.resolve("image.lock.json");
    new PlatformLockfiles(List.of(single)).write(file);

    assertEquals(single.toJson(), Files.readString(file));
    assertEquals(single, Lockfile.read(file));
    assertEquals(List.of(single), PlatformLockfiles.read(file).locks());
  }

  @Test
  void missingPlatformIsReported() {
    PlatformLockfiles locks = new PlatformLockfiles(List.of(lock("amd64", "1"), lock("arm64", "2")));

    ImageBuildException e = assertThrows(ImageBuildException.class, () -> locks.require("riscv64", "image.lock.json"));

    assertTrue(e.getMessage().contains("no packages for architecture riscv64, only for amd64, arm64"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn image:lock"), e.getMessage());
  }

  @Test
  void invalidPlatformsAreRejected() {
    String duplicate = "{\"lockfileVersion\":1,\"platforms\":[" + json(lock("amd64", "1")) + ","
        + json(lock("amd64", "2")) + "]}";
    String unknownField = "{\"lockfileVersion\":1,\"platforms\":[" + json(lock("amd64", "1")) + "],\"extra\":1}";
    String empty = "{\"lockfileVersion\":1,\"platforms\":[]}";
    String version = "{\"lockfileVersion\":2,\"platforms\":[" + json(lock("amd64", "1")) + "]}";

    assertMessage("architecture amd64 is locked twice", duplicate);
    assertMessage("unknown field 'extra'", unknownField);
    assertMessage("non-empty array", empty);
    assertMessage("lockfileVersion 2", version);
  }

  @Test
  void invalidPlatformEntryNamesPosition() {
    String text = "{\"lockfileVersion\":1,\"platforms\":[" + json(lock("amd64", "1")) + ",{\"lockfileVersion\":1}]}";

    assertMessage("platforms[1]", text);
  }

  private static String json(Lockfile lock) {
    return lock.toJson();
  }

  private static void assertMessage(String expected, String text) {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> PlatformLockfiles.parse(text, "image.lock.json"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
