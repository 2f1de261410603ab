package dev.debimage.core.report;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.ApplicationLayerBuilder;
import dev.debimage.core.image.Layer;
import dev.debimage.core.spec.ApplicationLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the small last layer that places the SPDX document in the image at {@link #IMAGE_PATH}.
 * It is a separate layer so that the cached packages layer stays valid when only the application's
 * dependencies change, and it lists no layer or image digest, which would be circular.
 */
public final class SbomLayer {

  /** The layer name in the build summary and image history. */
  public static final String NAME = "sbom";

  /** The path of the SPDX document in the image. */
  public static final String IMAGE_PATH = "/usr/share/sbom/image.spdx.json";

  private SbomLayer() {}

  /**
   * Writes the SPDX document of {@code report} to {@code stagingDirectory}, named by its SHA256, and
   * builds the layer from it with {@code builder}, which reuses a layer built from the same bytes. A
   * file already there is written again unless it contains exactly the document, so that a damaged copy
   * in the cache never reaches the image.
   *
   * @throws ImageBuildException if the staging directory cannot be written
   */
  public static Layer build(ImageReport report, ApplicationLayerBuilder builder, Path stagingDirectory, Instant timestamp) {
    byte[] document = report.spdxDocument();
    Path file = stagingDirectory.resolve(sha256(document) + ".spdx.json");
    try {
      Files.createDirectories(stagingDirectory);
      if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), document)) {
        Path temporary = Files.createTempFile(stagingDirectory, "sbom", ".tmp");
        try {
          Files.write(temporary, document);
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write the SPDX document to " + file + ": " + e.getMessage()
              + ". Check that the cache directory is writable", e);
    }
    ApplicationLayer layer = new ApplicationLayer(NAME, List.of(new ApplicationLayer.Entry(file, IMAGE_PATH)));
    return builder.build(layer, timestamp);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
