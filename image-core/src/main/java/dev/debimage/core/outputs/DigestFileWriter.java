package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the manifest digest of a built image to a one-line text file, for scripts to read. */
public final class DigestFileWriter {

  private DigestFileWriter() {}

  /**
   * Writes {@code sha256:HEX} and a newline to {@code file}, replacing a previous digest file only
   * once the new one is complete.
   *
   * @throws ImageBuildException if the file cannot be written
   */
  public static void write(BuiltImage image, Path file) {
    byte[] line = (image.manifestDigest() + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      AtomicOutput.writeFile(file, temporary -> Files.write(temporary, line));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write digest file '" + file + "': " + e + ". Check that its directory is writable", e);
    }
  }
}
