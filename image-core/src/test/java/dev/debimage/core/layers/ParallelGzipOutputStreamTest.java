package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {

  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

  @TempDir Path temp;

  /** Half random, half repetitive bytes, so that blocks both compress and refer back. */
  private static byte[] sample(int length, long seed) {
    byte[] bytes = new byte[length];
    Random random = new Random(seed);
    for (int i = 0; i < length; i++) {
      bytes[i] = (i / 4096) % 2 == 0 ? (byte) random.nextInt(256) : (byte) ("abcdefgh".charAt(i % 8));
    }
    return bytes;
  }

  private static byte[] compress(byte[] data, int threads, int writeSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gzip =
        new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, threads)) {
      for (int offset = 0; offset < data.length; offset += writeSize) {
        gzip.write(data, offset, Math.min(writeSize, data.length - offset));
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] compressed) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripsAtBlockEdges() throws IOException {
    int[] lengths = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 3 * BLOCK + 12345};
    for (int length : lengths) {
      byte[] data = sample(length, length);
      assertArrayEquals(data, gunzip(compress(data, 2, 70_000)), "length " + length);
    }
  }

  @Test
  void outputIndependentOfThreadsAndWrites() throws IOException {
    byte[] data = sample(5 * BLOCK + 777, 7);
    byte[] reference = compress(data, 1, data.length);
    assertArrayEquals(reference, compress(data, 4, 1000), "4 threads, 1000-byte writes");
    assertArrayEquals(reference, compress(data, 3, BLOCK), "3 threads, block-size writes");
  }

  @Test
  void headerHasNoNameAndZeroTime() throws IOException {
    byte[] compressed = compress(sample(100, 1), 1, 100);
    assertEquals(0x1f, compressed[0] & 0xff);
    assertEquals(0x8b, compressed[1] & 0xff);
    assertEquals(0, compressed[3], "flags");
    for (int i = 4; i < 8; i++) {
      assertEquals(0, compressed[i], "mtime byte " + i);
    }
  }

  @Test
  void dictionaryCarriesPreviousBlockEnd() throws IOException {
    // The second block starts with a copy of the first block's last 16 KiB, half of it random.
    // Only the preset dictionary lets deflate refer back to it across the cut.
    byte[] first = sample(BLOCK, 3);
    byte[] data = new byte[2 * BLOCK];
    System.arraycopy(first, 0, data, 0, BLOCK);
    System.arraycopy(first, BLOCK - 16 * 1024, data, BLOCK, 16 * 1024);
    int secondBlockCost = compress(data, 2, BLOCK).length - compress(first, 1, BLOCK).length;
    assertTrue(secondBlockCost < 2 * 1024, "second block cost " + secondBlockCost + " bytes");
  }

  @Test
  void gzipToolAcceptsStream() throws Exception {
    byte[] data = sample(2 * BLOCK + 99, 11);
    Path file = temp.resolve("data.gz");
    Files.write(file, compress(data, 2, 4096));
    Process test = new ProcessBuilder("gzip", "-t", file.toString()).inheritIO().start();
    test.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, test.exitValue(), "gzip -t exit status");
    Process zcat = new ProcessBuilder("zcat", file.toString()).start();
    byte[] unpacked = zcat.getInputStream().readAllBytes();
    zcat.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, zcat.exitValue(), "zcat exit status");
    assertArrayEquals(data, unpacked);
  }
}
