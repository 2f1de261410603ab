package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.LayerBlobWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCompressionTest {

  @TempDir Path temp;

  private static byte[] sample(int length) {
    byte[] bytes = new byte[length];
    Random random = new Random(42);
    for (int i = 0; i < length; i++) {
      bytes[i] = (i / 8192) % 3 == 0 ? (byte) random.nextInt(256) : (byte) ('a' + i % 13);
    }
    return bytes;
  }

  private static byte[] compress(LayerCompression compression, byte[] data, int threads)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressor = compression.compress(out, threads)) {
      for (int offset = 0; offset < data.length; offset += 5000) {
        compressor.write(data, offset, Math.min(5000, data.length - offset));
        compressor.flush();
      }
    }
    return out.toByteArray();
  }

  @Test
  void parseAcceptsNamesIgnoringCase() {
    assertEquals(LayerCompression.GZIP, LayerCompression.parse("gzip"));
    assertEquals(LayerCompression.ZSTD, LayerCompression.parse(" ZSTD "));
  }

  @Test
  void parseRejectsUnknownName() {
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> LayerCompression.parse("xz"));
    assertTrue(e.getMessage().contains("'xz'"), e.getMessage());
    assertTrue(e.getMessage().contains("gzip or zstd"), e.getMessage());
  }

  @Test
  void mediaTypesFollowOciNames() {
    assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", LayerCompression.GZIP.mediaType());
    assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", LayerCompression.ZSTD.mediaType());
  }

  @Test
  void zstdRoundTripsAndIgnoresThreads() throws IOException {
    // Larger than one zstd job at level 3, so several workers really share the input.
    byte[] data = sample(24 << 20);
    byte[] oneThread = compress(LayerCompression.ZSTD, data, 1);
    assertArrayEquals(oneThread, compress(LayerCompression.ZSTD, data, 4), "4 workers");
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(oneThread))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void zstdToolAcceptsStream() throws Exception {
    Path file = temp.resolve("data.zst");
    Files.write(file, compress(LayerCompression.ZSTD, sample(3 << 20), 2));
    Process test = new ProcessBuilder("zstd", "-q", "-t", file.toString()).inheritIO().start();
    assertTrue(test.waitFor(60, TimeUnit.SECONDS), "zstd -t timed out");
    assertEquals(0, test.exitValue(), "zstd -t exit status");
  }

  @Test
  void blobWriterUsesZstdMediaType() throws IOException {
    byte[] tar = sample(100_000);
    Layer layer = LayerBlobWriter.write(
        out -> out.write(tar), temp.resolve("blobs"), "test", LayerCompression.ZSTD);
    assertEquals(LayerCompression.ZSTD.mediaType(), layer.mediaType());
    try (ZstdInputStream in = new ZstdInputStream(Files.newInputStream(layer.blob()))) {
      assertArrayEquals(tar, in.readAllBytes());
    }
  }
}
