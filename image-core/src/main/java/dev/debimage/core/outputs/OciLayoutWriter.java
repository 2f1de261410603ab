package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a built image as an OCI image layout directory, readable as {@code oci:DIR:TAG}. */
public final class OciLayoutWriter {

  private OciLayoutWriter() {}

  /**
   * Writes {@code oci-layout}, {@code index.json} and {@code blobs/sha256/HEX} for the config, the
   * manifest and every layer into {@code directory}, replacing a previous image layout there only
   * once the new one is complete. Layer blobs are hard-linked from the blob cache where the file
   * system allows, and copied otherwise.
   *
   * @throws ImageBuildException if the reference is invalid, {@code directory} holds something
   *     other than an image layout, a layer blob is missing or a file cannot be written
   */
  public static void write(BuiltImage image, Path directory, String imageReference) {
    write(image, directory, ImageTags.of(imageReference));
  }

  /**
   * Writes the image layout as {@link #write(BuiltImage, Path, String)} does, with one descriptor
   * in {@code index.json} per tag, so that {@code oci:DIR:TAG} finds the image under each.
   */
  public static void write(BuiltImage image, Path directory, ImageTags tags) {
    checkReplaceable(directory);
    try {
      AtomicOutput.writeDirectory(directory, content -> writeContent(image, tags, content));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write OCI image layout '" + directory + "': " + e + ". Check that the"
              + " directory's parent is writable and has free space",
          e);
    }
  }

  /** Refuses to replace a directory that does not look like an image layout, such as a source tree. */
  static void checkReplaceable(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    boolean empty;
    try (var listing = Files.list(directory)) {
      empty = listing.findAny().isEmpty();
    } catch (IOException e) {
      throw new ImageBuildException(
          "output '" + directory + "' exists and cannot be listed (" + e + "): choose another directory", e);
    }
    if (!empty && !Files.isRegularFile(directory.resolve("oci-layout"))) {
      throw new ImageBuildException(
          "output directory '" + directory + "' exists and is not an OCI image layout (no oci-layout"
              + " file): remove it or choose another directory");
    }
  }

  private static void writeContent(BuiltImage image, ImageTags tags, Path root) throws IOException {
    Path blobs = Files.createDirectories(root.resolve("blobs/sha256"));
    for (Layer layer : image.layers()) {
      Path target = blobs.resolve(Digests.hex(layer.digest()));
      if (Files.exists(target)) {
        continue; // the same layer twice in one image
      }
      linkOrCopy(layer, target);
    }
    Files.write(blobs.resolve(Digests.hex(image.configDigest())), image.config());
    Files.write(blobs.resolve(Digests.hex(image.manifestDigest())), image.manifest());
    Files.write(root.resolve("oci-layout"), OciIndex.OCI_LAYOUT);
    Files.write(root.resolve("index.json"), OciIndex.indexJson(image, tags));
  }

  static void linkOrCopy(Layer layer, Path target) throws IOException {
    Path blob = layer.blob();
    if (!Files.isRegularFile(blob) || Files.size(blob) != layer.size()) {
      throw new ImageBuildException(
          "layer blob '" + blob + "' of " + layer.digest() + " is missing or has changed size since it"
              + " was built: delete the cache directory and build again");
    }
    try {
      Files.createLink(target, blob);
    } catch (IOException | UnsupportedOperationException e) {
      // Hard links fail across file systems and on some (network) file systems.
      Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
