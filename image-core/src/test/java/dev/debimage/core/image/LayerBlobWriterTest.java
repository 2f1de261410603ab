package dev.debimage.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBlobWriterTest {

  @TempDir Path temp;

  @Test
  void writesContentAddressedBlob() throws IOException {
    byte[] tar = "not really a tar, but bytes all the same".repeat(100).getBytes(StandardCharsets.UTF_8);

    Layer layer = LayerBlobWriter.write(out -> out.write(tar), temp.resolve("blobs"), "test layer");

    byte[] blob = Files.readAllBytes(layer.blob());
    assertEquals(Digests.sha256(tar), layer.diffId());
    assertEquals(Digests.sha256(blob), layer.digest());
    assertEquals(blob.length, layer.size());
    assertEquals(temp.resolve("blobs").resolve(Digests.hex(layer.digest())), layer.blob());
    assertArrayEquals(tar, ApplicationLayerBuilderTest.gunzip(blob));
    assertEquals(LayerBlobWriter.sha256Of(layer.blob()), layer.digest());
    assertEquals("test layer", layer.createdBy());
    try (Stream<Path> listing = Files.list(temp.resolve("blobs"))) {
      assertEquals(List.of(layer.blob()), listing.toList(), "a temporary file was left behind");
    }
  }

  @Test
  void failedTarLeavesNoFile() throws IOException {
    Path blobs = Files.createDirectories(temp.resolve("blobs"));

    LayerBlobWriter.TarSource failing =
        out -> {
          out.write(1);
          throw new IOException("disk full");
        };

    assertThrows(IOException.class, () -> LayerBlobWriter.write(failing, blobs, "x"));

    try (Stream<Path> listing = Files.list(blobs)) {
      assertEquals(List.of(), listing.toList());
    }
  }
}
