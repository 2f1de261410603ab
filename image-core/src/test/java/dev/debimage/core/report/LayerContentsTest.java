package dev.debimage.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerContentsTest {

  @TempDir Path temp;

  /** Writes a layer whose names start with ./ as some tools write them, with a hard-linked copyright file. */
  private Path layer() throws IOException {
    Path blob = temp.resolve("layer.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(blob));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      directory(tar, "./usr/");
      directory(tar, "./usr/share/");
      directory(tar, "./usr/share/doc/");
      directory(tar, "./usr/share/doc/libfoo1/");
      file(tar, "./usr/share/doc/libfoo1/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: MIT\n", 0644);
      directory(tar, "./usr/share/doc/libfoo-bin/");
      TarArchiveEntry link = new TarArchiveEntry("./usr/share/doc/libfoo-bin/copyright", TarConstants.LF_LINK);
      link.setLinkName("./usr/share/doc/libfoo1/copyright");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      TarArchiveEntry loop = new TarArchiveEntry("./usr/share/doc/loop", TarConstants.LF_SYMLINK);
      loop.setLinkName("loop");
      tar.putArchiveEntry(loop);
      tar.closeArchiveEntry();
      TarArchiveEntry up = new TarArchiveEntry("./usr/share/doc/libfoo-dev", TarConstants.LF_SYMLINK);
      up.setLinkName("../doc/./libfoo1");
      tar.putArchiveEntry(up);
      tar.closeArchiveEntry();
      directory(tar, "./usr/bin/");
      file(tar, "./usr/bin/su", "su", 04755);
    }
    return blob;
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_DIR);
    entry.setMode(0755);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setMode(mode);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  @Test
  void hardLinkedCopyrightIsFound() throws IOException {
    LayerContents contents = LayerContents.read(layer());
    String text = new String(contents.copyright("libfoo-bin").orElseThrow(), StandardCharsets.UTF_8);
    assertEquals(List.of("MIT"), CopyrightFile.parse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow().licenseNames());
  }

  @Test
  void relativeSymlinkWithDotsIsFollowed() throws IOException {
    LayerContents contents = LayerContents.read(layer());
    assertTrue(contents.copyright("libfoo-dev").isPresent());
  }

  @Test
  void symlinkLoopEndsEmpty() throws IOException {
    LayerContents contents = LayerContents.read(layer());
    assertTrue(contents.copyright("loop").isEmpty());
    assertTrue(contents.copyright("missing").isEmpty());
  }

  @Test
  void namesAreNormalizedAndModesKept() throws IOException {
    LayerContents contents = LayerContents.read(layer());
    LayerContents.Entry su = contents.find("/usr/bin/su").orElseThrow();
    assertEquals("usr/bin/su", su.path());
    assertEquals(04755, su.mode());
    assertEquals(LayerContents.Type.HARD_LINK, contents.find("usr/share/doc/libfoo-bin/copyright").orElseThrow().type());
    assertEquals(LayerContents.Type.SYMLINK, contents.find("/usr/share/doc/libfoo-dev").orElseThrow().type());
  }

  @Test
  void fileBytesCountHardLinksOnce() throws IOException {
    LayerContents contents = LayerContents.read(layer());
    long copyright = contents.find("usr/share/doc/libfoo1/copyright").orElseThrow().size();
    assertEquals(copyright + 2, contents.fileBytes());
  }

  @Test
  void notGzipIsRejected() throws IOException {
    Path blob = Files.writeString(temp.resolve("plain"), "not a layer");
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> LayerContents.read(blob));
    assertTrue(e.getMessage().contains(blob.toString()), e.getMessage());
  }
}
