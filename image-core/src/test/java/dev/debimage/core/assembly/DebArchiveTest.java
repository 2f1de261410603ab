package dev.debimage.core.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebArchiveTest {

  @TempDir Path work;
  @TempDir Path cache;

  private DebBuilder sample() {
    return new DebBuilder("hello", "1.0-1", "amd64")
        .field("Depends", "libc6 (>= 2.36)")
        .controlFile("md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/hello\n")
        .controlFile("conffiles", "/etc/hello.conf\n")
        .controlFile("postinst", "#!/bin/sh\nexit 0\n")
        .controlFile("prerm", "#!/bin/sh\nexit 0\n")
        .dir("./usr/", 0755)
        .dir("./usr/bin/", 0755)
        .file("./usr/bin/hello", "#!/bin/sh\necho hello\n", 04755)
        .symlink("./usr/bin/hi", "hello")
        .hardlink("./usr/bin/hello2", "./usr/bin/hello")
        .dir("./etc/", 0755)
        .file("./etc/hello.conf", "greeting=hi\n", 0644);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".gz", ".xz", ".zst"})
  void readsDataMemberInEachCompression(String suffix) throws IOException {
    Path deb = sample().dataCompression(suffix).controlCompression(suffix).write(work);

    DebArchive archive = DebArchive.open(deb, cache, DebBuilder.sha256(deb));

    assertEquals("hello", archive.control().get("Package", ""));
    assertEquals("libc6 (>= 2.36)", archive.control().get("Depends", ""));
    assertEquals("d41d8cd98f00b204e9800998ecf8427e  usr/bin/hello\n", archive.md5sums());
    assertEquals(List.of("/etc/hello.conf"), archive.conffiles());
    assertEquals(List.of("postinst", "prerm"), archive.maintainerScripts());
    assertEquals(cache.resolve(DebBuilder.sha256(deb) + ".tar"), archive.dataTar());

    Map<String, TarEntryRef> byName = archive.entries().stream()
        .collect(Collectors.toMap(TarEntryRef::name, Function.identity()));
    TarEntryRef hello = byName.get("./usr/bin/hello");
    assertEquals(TarEntryRef.Kind.REGULAR, hello.kind());
    assertEquals(04755, hello.mode());
    assertEquals(DebBuilder.PACKAGE_TIME, hello.mtime());
    byte[] content = new byte[(int) hello.size()];
    try (var channel = java.nio.channels.FileChannel.open(archive.dataTar())) {
      channel.read(java.nio.ByteBuffer.wrap(content), hello.dataOffset());
    }
    assertArrayEquals("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8), content);
    assertEquals(TarEntryRef.Kind.SYMLINK, byName.get("./usr/bin/hi").kind());
    assertEquals("hello", byName.get("./usr/bin/hi").linkName());
    assertEquals(TarEntryRef.Kind.HARDLINK, byName.get("./usr/bin/hello2").kind());
    assertEquals("./usr/bin/hello", byName.get("./usr/bin/hello2").linkName());
    assertEquals(TarEntryRef.Kind.DIRECTORY, byName.get("./usr/").kind());
  }

  @Test
  void warmCacheIsNotExtractedAgain() throws IOException {
    Path deb = sample().write(work);
    String sha256 = DebBuilder.sha256(deb);
    Path first = DebArchive.open(deb, cache, sha256).dataTar();
    FileTime written = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(first, written);

    Path second = DebArchive.open(deb, cache, sha256).dataTar();

    assertEquals(first, second);
    assertEquals(written, Files.getLastModifiedTime(second));
    try (var files = Files.list(cache)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void unknownCompressionRejected() throws IOException {
    Path deb = sample().dataCompression(".lz4").write(work);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, DebBuilder.sha256(deb)));

    assertTrue(e.getMessage().contains(deb.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("data.tar.lz4"), e.getMessage());
  }

  @Test
  void otherFormatVersionRejected() throws IOException {
    Path deb = sample().formatVersion("3.0\n").write(work);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, DebBuilder.sha256(deb)));

    assertTrue(e.getMessage().contains("'3.0'"), e.getMessage());
  }

  @Test
  void notADebRejected() throws IOException {
    Path deb = work.resolve("broken.deb");
    Files.writeString(deb, "this is not an ar archive");

    assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, DebBuilder.sha256(deb)));
  }

  @Test
  void invalidSha256Rejected() throws IOException {
    Path deb = sample().write(work);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, "../../etc/passwd"));

    assertTrue(e.getMessage().contains("invalid SHA256"), e.getMessage());
  }

  @Test
  void readsPackageBuiltByDpkgDeb() throws Exception {
    Path root = work.resolve("root");
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("DEBIAN/control"),
        "Package: real\nVersion: 2.0\nArchitecture: all\nMaintainer: T <t@example.org>\n"
            + "Description: real package\n built by dpkg-deb\n");
    Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(root.resolve("usr/bin/tool"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(root.resolve("usr/bin/alias"), Path.of("tool"));
    Path deb = work.resolve("real.deb");
    Process process = new ProcessBuilder("dpkg-deb", "--root-owner-group", "-Zxz", "--build",
        root.toString(), deb.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);

    DebArchive archive = DebArchive.open(deb, cache, DebBuilder.sha256(deb));

    assertEquals("real", archive.control().get("Package", ""));
    assertEquals("built by dpkg-deb", archive.control().get("Description", "").lines().skip(1)
        .findFirst().orElse(""));
    Map<String, TarEntryRef> byName = archive.entries().stream()
        .collect(Collectors.toMap(TarEntryRef::name, Function.identity()));
    assertEquals(0755, byName.get("./usr/bin/tool").mode());
    assertEquals(0, byName.get("./usr/bin/tool").uid());
    assertEquals("tool", byName.get("./usr/bin/alias").linkName());
  }

  @Test
  void dataBeyondInstalledSizeRejected() throws IOException {
    // 4 MiB of zeros compress to a few hundred bytes, while Installed-Size promises 1 KiB.
    Path deb = new DebBuilder("bomb", "1", "amd64").field("Installed-Size", "1")
        .file("./zeros", "\0".repeat(4 << 20), 0644).write(work);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, DebBuilder.sha256(deb)));

    assertTrue(e.getMessage().contains("data.tar.xz"), e.getMessage());
    assertTrue(e.getMessage().contains("Installed-Size"), e.getMessage());
    try (var files = Files.list(cache)) {
      assertEquals(0, files.count(), "no partial data tar is left in the cache");
    }
  }

  @Test
  void dataWithinInstalledSizeAccepted() throws IOException {
    Path deb = new DebBuilder("fits", "1", "amd64").field("Installed-Size", "4100")
        .file("./zeros", "\0".repeat(4 << 20), 0644).write(work);

    DebArchive archive = DebArchive.open(deb, cache, DebBuilder.sha256(deb));

    assertEquals(4 << 20, archive.entries().stream()
        .filter(ref -> ref.name().equals("./zeros")).findFirst().orElseThrow().size());
  }

  @Test
  void invalidInstalledSizeRejected() throws IOException {
    Path deb = new DebBuilder("odd", "1", "amd64").field("Installed-Size", "lots").write(work);

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> DebArchive.open(deb, cache, DebBuilder.sha256(deb)));

    assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
  }
}
