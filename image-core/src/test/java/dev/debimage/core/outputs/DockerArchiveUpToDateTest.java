package dev.debimage.core.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.debimage.core.image.BuiltImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that an image tarball holding the same image is kept, and that any difference in its
 * members makes the writer replace it. The modification time shows whether the file was replaced.
 */
class DockerArchiveUpToDateTest {

  private static final FileTime OLD = FileTime.fromMillis(1_000_000_000_000L);

  @TempDir Path work;

  private Path writeOld(BuiltImage image, String reference) throws IOException {
    Path tar = work.resolve("image.tar");
    DockerArchiveWriter.write(image, tar, reference);
    Files.setLastModifiedTime(tar, OLD);
    return tar;
  }

  @Test
  void sameImageKeepsTarball() throws IOException {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = writeOld(image, "example/tiny:1.0");

    DockerArchiveWriter.write(image, tar, "example/tiny:1.0");

    assertEquals(OLD, Files.getLastModifiedTime(tar));
  }

  @Test
  void otherTagReplacesTarball() throws IOException {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = writeOld(image, "example/tiny:1.0");
    byte[] before = Files.readAllBytes(tar);

    DockerArchiveWriter.write(image, tar, "example/tiny:2.0");

    assertNotEquals(OLD, Files.getLastModifiedTime(tar));
    assertNotEquals(-1, java.util.Arrays.mismatch(before, Files.readAllBytes(tar)));
  }

  @Test
  void damagedMetadataReplacesTarball() throws IOException {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = writeOld(image, "example/tiny:1.0");
    byte[] good = Files.readAllBytes(tar);
    String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
    int repoTags = text.indexOf("RepoTags");
    try (var channel = Files.newByteChannel(tar, StandardOpenOption.WRITE)) {
      channel.position(repoTags);
      channel.write(java.nio.ByteBuffer.wrap("Repotags".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    Files.setLastModifiedTime(tar, OLD);

    DockerArchiveWriter.write(image, tar, "example/tiny:1.0");

    assertNotEquals(OLD, Files.getLastModifiedTime(tar));
    assertEquals(-1, java.util.Arrays.mismatch(good, Files.readAllBytes(tar)));
  }

  @Test
  void truncatedTarballIsReplaced() throws IOException {
    BuiltImage image = TestImages.tinyImage(work.resolve("image"));
    Path tar = writeOld(image, "example/tiny:1.0");
    byte[] good = Files.readAllBytes(tar);
    Files.write(tar, java.util.Arrays.copyOf(good, 2048));
    Files.setLastModifiedTime(tar, OLD);

    DockerArchiveWriter.write(image, tar, "example/tiny:1.0");

    assertEquals(-1, java.util.Arrays.mismatch(good, Files.readAllBytes(tar)));
  }
}
