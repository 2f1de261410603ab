package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.assembly.SamplePackages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarLayerWriterTest {

  static final Instant BUILD_TIME = Instant.parse("2025-06-01T00:00:00Z");

  @TempDir Path work;
  @TempDir Path cache;
  @TempDir Path blobs;

  private FileTree sampleTree() throws IOException {
    return Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME, cache));
  }

  private static FileTree smallTree() {
    FileTree tree = new FileTree(BUILD_TIME);
    tree.addGeneratedDirectory("usr/bin", 0755, 0, 0, BUILD_TIME);
    tree.addGeneratedFile("usr/bin/su", "su".getBytes(StandardCharsets.UTF_8), 04755, 0, 0,
        BUILD_TIME);
    tree.addGeneratedSymlink("usr/bin/link", "su", BUILD_TIME);
    tree.addGeneratedDirectory("home/nonroot", 0750, 65532, 65532, BUILD_TIME);
    String longName = "usr/share/" + "very-long-directory-name/".repeat(6) + "file.txt";
    tree.addGeneratedFile(longName, "long".getBytes(StandardCharsets.UTF_8), 0644, 0, 0,
        BUILD_TIME);
    return tree;
  }

  private static byte[] gunzip(Path blob) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  @Test
  void digestsMatchBlob() throws Exception {
    LayerBlob blob = TarLayerWriter.write(smallTree(), blobs);

    byte[] compressed = Files.readAllBytes(blob.path());
    assertEquals(sha256(compressed), blob.digest());
    byte[] tar = gunzip(blob.path());
    assertEquals(sha256(tar), blob.diffId());
    String raw = new String(tar, StandardCharsets.ISO_8859_1);
    for (String timeKey : List.of("mtime=", "atime=", "ctime=")) {
      assertFalse(raw.contains(timeKey), "PAX header " + timeKey);
    }
    assertTrue(raw.contains("path="), "a PAX header carries the long name");
    assertEquals(compressed.length, blob.size());
    assertEquals(blobs.resolve(blob.digest().substring(7)), blob.path());
    try (var files = Files.list(blobs)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void sameTreeGivesSameDigest() throws Exception {
    LayerBlob first = TarLayerWriter.write(sampleTree(), blobs);
    LayerBlob second = TarLayerWriter.write(sampleTree(), work.resolve("other-blobs"));

    assertEquals(first.digest(), second.digest());
    assertEquals(first.diffId(), second.diffId());
    assertArrayEquals(Files.readAllBytes(first.path()), Files.readAllBytes(second.path()));
  }

  @Test
  void otherTimestampGivesOtherDigest() throws Exception {
    LayerBlob first = TarLayerWriter.write(sampleTree(), blobs);
    FileTree later = Assembler.assemble(SamplePackages.write(work),
        new AssemblyOptions("amd64", BUILD_TIME.plusSeconds(1), cache));

    assertNotEquals(first.diffId(), TarLayerWriter.write(later, blobs).diffId());
  }

  @Test
  void entriesSortedWithNumericOwners() throws Exception {
    LayerBlob blob = TarLayerWriter.write(sampleTree(), blobs);

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(Files.newInputStream(blob.path())))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        names.add(entry.getName());
        assertEquals("", entry.getUserName(), entry.getName());
        assertEquals("", entry.getGroupName(), entry.getName());
        assertFalse(entry.getName().startsWith("/") || entry.getName().startsWith("./"),
            entry.getName());
        assertTrue(entry.getExtraPaxHeaders().isEmpty(), entry.getName() + " "
            + entry.getExtraPaxHeaders());
        assertEquals(0, entry.getDevMajor(), entry.getName());
        assertEquals(null, entry.getLastAccessTime(), entry.getName());
      }
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(sorted.stream().map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n)
        .toList(), names.stream().map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n)
        .toList());
    assertTrue(names.contains("usr/bin/"), names.toString());
    assertTrue(names.contains("usr/lib/jvm/java-17-openjdk-amd64/bin/java"), names.toString());
  }

  @Test
  void gnuTarListsModesAndLinks() throws Exception {
    LayerBlob blob = TarLayerWriter.write(smallTree(), blobs);

    String listing = run("tar", "--numeric-owner", "-tvzf", blob.path().toString());

    assertTrue(listing.contains("-rwsr-xr-x 0/0               2 2025-06-01 00:00 usr/bin/su"),
        listing);
    assertTrue(listing.contains("lrwxrwxrwx 0/0               0 2025-06-01 00:00 usr/bin/link -> su"),
        listing);
    assertTrue(listing.contains("drwxr-x--- 65532/65532       0 2025-06-01 00:00 home/nonroot/"),
        listing);
    assertTrue(listing.contains("very-long-directory-name/very-long-directory-name/"
        + "very-long-directory-name/very-long-directory-name/very-long-directory-name/"
        + "very-long-directory-name/file.txt"), listing);
  }

  @Test
  void zstdLayerListedByGnuTar() throws Exception {
    LayerBlob blob = TarLayerWriter.write(smallTree(), blobs, LayerCompression.ZSTD);

    String listing = run("tar", "--zstd", "--numeric-owner", "-tvf", blob.path().toString());
    assertTrue(listing.contains("-rwsr-xr-x 0/0               2 2025-06-01 00:00 usr/bin/su"),
        listing);

    byte[] compressed = Files.readAllBytes(blob.path());
    assertEquals(sha256(compressed), blob.digest());
    byte[] tar;
    try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(blob.path()))) {
      tar = in.readAllBytes();
    }
    assertEquals(sha256(tar), blob.diffId());
    assertEquals(
        TarLayerWriter.write(smallTree(), blobs, LayerCompression.GZIP).diffId(), blob.diffId(),
        "the tar inside does not depend on the compression");
    assertTrue(dev.debimage.core.report.LayerContents.read(blob.path()).find("usr/bin/su").isPresent(),
        "the SBOM reader opens zstd layers");
  }

  @Test
  void gnuTarExtractsHardlinkSortedBeforeTarget() throws Exception {
    // The hard link "a" sorts before its target "b", so the layer must carry the content at "a".
    DebBuilder builder = new DebBuilder("p", "1", "amd64")
        .file("./usr/b", "shared", 0755).hardlink("./usr/a", "./usr/b");
    FileTree tree = Assembler.assemble(List.of(builder.writeInput(work)),
        new AssemblyOptions("amd64", BUILD_TIME, cache));
    LayerBlob blob = TarLayerWriter.write(tree, blobs);
    Path out = work.resolve("extracted");
    Files.createDirectories(out);

    String listing = run("tar", "-tvzf", blob.path().toString());
    run("tar", "-xzf", blob.path().toString(), "-C", out.toString());

    assertTrue(listing.contains("usr/b link to usr/a"), listing);
    assertEquals("shared", Files.readString(out.resolve("usr/a")));
    assertEquals("shared", Files.readString(out.resolve("usr/b")));
    assertEquals(Files.getAttribute(out.resolve("usr/a"), "unix:ino"),
        Files.getAttribute(out.resolve("usr/b"), "unix:ino"));
  }

  @Test
  void contentCopiedFromDataTar() throws Exception {
    LayerBlob blob = TarLayerWriter.write(sampleTree(), blobs);
    Path out = work.resolve("root");
    Files.createDirectories(out);

    run("tar", "-xzf", blob.path().toString(), "-C", out.toString());

    assertEquals("java", Files.readString(out.resolve("usr/lib/jvm/java-17-openjdk-amd64/bin/java")));
    // The absolute link would resolve against this machine's root, so read the link itself.
    assertEquals("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        Files.readSymbolicLink(out.resolve("lib64/ld-linux-x86-64.so.2")).toString());
    assertEquals("usr/lib64", Files.readSymbolicLink(out.resolve("lib64")).toString());
    assertEquals("loader",
        Files.readString(out.resolve("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")));
    assertEquals("/etc/alternatives/java",
        Files.readSymbolicLink(out.resolve("usr/bin/java")).toString());
    assertTrue(Files.readString(out.resolve("var/lib/dpkg/status")).contains("Package: dash\n"));
  }
}
