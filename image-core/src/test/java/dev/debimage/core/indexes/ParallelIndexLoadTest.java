package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Checks that reading a cached index in ranges on several threads returns the packages, log
 * messages and errors that reading it whole on one thread returns.
 */
class ParallelIndexLoadTest {

  private static final int FILLER_PACKAGES = 3_000;

  private static TestKey archiveKey;

  @TempDir Path archiveDir;
  @TempDir Path cacheDir;

  private ArchiveServer server;

  @BeforeAll
  static void generateKey() throws Exception {
    archiveKey = TestKey.generate("Test Archive <archive@example.org>");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private DownloadCache cache() {
    return new DownloadCache(cacheDir, new HttpDownloader(BuildListener.NONE), false);
  }

  /**
   * Writes a test archive whose index has {@link #FILLER_PACKAGES} more stanzas, some with
   * multi-line fields, followed by {@code tail}, and stores its uncompressed index in the cache
   * the way a first load does.
   */
  private TestArchive largeArchive(String tail) throws IOException {
    TestArchive archive = TestArchive.builder(archiveKey).addAll(TestArchive.samplePackages()).write(archiveDir);
    StringBuilder text = new StringBuilder(Files.readString(archive.packagesIndex(""), StandardCharsets.UTF_8));
    if (!text.toString().endsWith("\n\n")) {
      text.append('\n');
    }
    for (int i = 0; i < FILLER_PACKAGES; i++) {
      text.append("Package: filler-").append(i).append('\n')
          .append("Version: 1.").append(i % 7).append("-1\n")
          .append("Architecture: ").append(fillerArchitecture(i)).append('\n')
          .append("Maintainer: Filler Maintainer <filler@example.org>\n")
          .append("Depends: libc6 (>= 2.36)\n")
          .append("Filename: pool/main/f/filler/filler-").append(i).append(".deb\n")
          .append("Size: ").append(1000 + i).append('\n')
          .append("SHA256: ").append(Sha256.hex(("filler " + i).getBytes(StandardCharsets.UTF_8))).append('\n')
          .append("Description: filler package ").append(i).append('\n')
          .append(" A longer description\n .\n with an empty line, caf\u00e9 \u2013 and UTF-8.\n")
          .append('\n');
    }
    text.append(tail);
    byte[] index = text.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(archive.packagesIndex(""), index);
    try (OutputStream out = new XZOutputStream(Files.newOutputStream(archive.packagesIndex(".xz")), new LZMA2Options())) {
      out.write(index);
    }
    archive.sign();
    Path copy = Files.write(cacheDir.resolve("index-copy"), index);
    assertTrue(cache().store(copy, Sha256.hex(index), index.length), "the index copy was not stored");
    server = ArchiveServer.start(archive.root());
    return archive;
  }

  /** Returns all for every fifth filler package, arm64 (left out of amd64 loads) for some, else amd64. */
  private static String fillerArchitecture(int i) {
    if (i % 5 == 0) {
      return "all";
    }
    if (i % 11 == 0) {
      return "arm64";
    }
    return "amd64";
  }

  @Test
  void rangesGiveSamePackagesAsOneThread() throws Exception {
    TestArchive archive = largeArchive("");
    List<dev.debimage.core.spec.SourceSpec> sources = List.of(archive.source(server.uri(), archiveKey));

    IndexLoader.Universe whole =
        new IndexLoader(cache(), BuildListener.NONE, 1, Long.MAX_VALUE).load(sources, TestArchive.ARCHITECTURE);
    IndexLoader.Universe ranges =
        new IndexLoader(cache(), BuildListener.NONE, 4, 16 * 1024).load(sources, TestArchive.ARCHITECTURE);

    assertTrue(whole.packages().size() > FILLER_PACKAGES * 8 / 10, "only " + whole.packages().size() + " packages");
    assertEquals(whole.packages().size(), ranges.packages().size());
    for (int i = 0; i < whole.packages().size(); i++) {
      BinaryPackage expected = whole.packages().get(i);
      BinaryPackage actual = ranges.packages().get(i);
      assertEquals(expected.toString(), actual.toString(), "package " + i);
      assertEquals(expected.stanza().format(), actual.stanza().format(), "stanza of " + expected);
    }
  }

  @Test
  void rangeErrorNamesLineOfWholeIndex() throws Exception {
    TestArchive archive = largeArchive("Package: broken\nthis line has no colon\n");
    List<dev.debimage.core.spec.SourceSpec> sources = List.of(archive.source(server.uri(), archiveKey));
    String text = Files.readString(archive.packagesIndex(""), StandardCharsets.UTF_8);
    int brokenLine = text.split("\n", -1).length - 1;

    ImageBuildException e = assertThrows(ImageBuildException.class,
        () -> new IndexLoader(cache(), BuildListener.NONE, 4, 16 * 1024).load(sources, TestArchive.ARCHITECTURE));

    assertTrue(e.getMessage().startsWith("invalid line " + brokenLine + " in "), e.getMessage());
    assertTrue(e.getMessage().contains("'this line has no colon'"), e.getMessage());
  }

  @Test
  void logComesInOrderOnCallingThread() throws Exception {
    TestArchive archive = largeArchive("");
    List<dev.debimage.core.spec.SourceSpec> sources = List.of(archive.source(server.uri(), archiveKey));
    List<String> messages = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    BuildListener recording = new BuildListener() {
      @Override
      public void info(String message) {
        record("info " + message);
      }

      @Override
      public void warn(String message) {
        record("warn " + message);
      }

      @Override
      public void debug(String message) {
        record("debug " + message);
      }

      private void record(String message) {
        messages.add(message);
        threads.add(Thread.currentThread());
      }
    };

    new IndexLoader(cache(), recording, 4, 16 * 1024).load(sources, TestArchive.ARCHITECTURE);

    assertEquals(2, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("info Verified " + server.uri()), messages.get(0));
    assertTrue(messages.get(1).startsWith("debug read "), messages.get(1));
    assertTrue(messages.get(1).contains("stanzas from the cached, uncompressed"), messages.get(1));
    for (Thread thread : threads) {
      assertEquals(Thread.currentThread(), thread);
    }
  }

  @Test
  void chunksCoverFileAtStanzaBoundaries() throws Exception {
    TestArchive archive = largeArchive("");
    byte[] index = Files.readAllBytes(archive.packagesIndex(""));

    List<ByteBuffer> ranges = IndexChunks.split(archive.packagesIndex(""), 5, 1024);

    assertEquals(5, ranges.size());
    List<String> parsed = new ArrayList<>();
    int offset = 0;
    for (ByteBuffer range : ranges) {
      byte[] bytes = IndexChunks.stream(range).readAllBytes();
      assertEquals(ByteBuffer.wrap(index, offset, bytes.length), ByteBuffer.wrap(bytes), "range at " + offset);
      offset += bytes.length;
      if (offset < index.length) {
        assertEquals('\n', bytes[bytes.length - 1], "range ending at " + offset);
        assertEquals('\n', bytes[bytes.length - 2], "range ending at " + offset);
      }
      for (Stanza stanza : Deb822.parse(new String(bytes, StandardCharsets.UTF_8), "range")) {
        parsed.add(stanza.format());
      }
    }
    assertEquals(index.length, offset);
    List<String> whole = Deb822.parse(new String(index, StandardCharsets.UTF_8), "whole").stream().map(Stanza::format).toList();
    assertEquals(whole, parsed);
  }

  @Test
  void smallFileIsOneChunk() throws Exception {
    Path file = Files.writeString(archiveDir.resolve("Packages"), "Package: a\n\nPackage: b\n");

    List<ByteBuffer> ranges = IndexChunks.split(file, 4, 1024);

    assertEquals(1, ranges.size());
    assertEquals(file.toFile().length(), ranges.get(0).remaining());
  }
}
