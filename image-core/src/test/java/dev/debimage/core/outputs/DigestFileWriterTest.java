package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debimage.core.image.BuiltImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestFileWriterTest {

  @TempDir Path temp;

  @Test
  void writesManifestDigestLine() throws IOException {
    BuiltImage image = TestImages.tinyImage(temp.resolve("work"));
    Path file = temp.resolve("out/digest");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "sha256:old\n");

    DigestFileWriter.write(image, file);

    assertEquals(image.manifestDigest() + "\n", Files.readString(file));
    try (Stream<Path> listing = Files.list(file.getParent())) {
      assertEquals(List.of("digest"), listing.map(p -> p.getFileName().toString()).toList());
    }
  }
}
