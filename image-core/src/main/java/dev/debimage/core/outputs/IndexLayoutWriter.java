package dev.debimage.core.outputs;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.Digests;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a multi-platform image as an OCI image layout directory whose {@code index.json} names
 * the image index, readable as {@code oci:DIR:TAG}.
 */
public final class IndexLayoutWriter {

  private IndexLayoutWriter() {}

  /**
   * Writes {@code oci-layout}, {@code index.json} and {@code blobs/sha256/HEX} for the index, each
   * platform's manifest and config, and every layer into {@code directory}, replacing a previous
   * image layout there only once the new one is complete. A layer that several platforms share is
   * stored once.
   *
   * @throws ImageBuildException if the reference is invalid, {@code directory} holds something
   *     other than an image layout, a layer blob is missing or a file cannot be written
   */
  public static void write(ImageIndex index, Path directory, String imageReference) {
    write(index, directory, ImageTags.of(imageReference));
  }

  /**
   * Writes the image layout as {@link #write(ImageIndex, Path, String)} does, with one descriptor
   * of the image index in {@code index.json} per tag.
   */
  public static void write(ImageIndex index, Path directory, ImageTags tags) {
    OciLayoutWriter.checkReplaceable(directory);
    try {
      AtomicOutput.writeDirectory(directory, content -> writeContent(index, tags, content));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to write OCI image layout '" + directory + "': " + e + ". Check that the"
              + " directory's parent is writable and has free space",
          e);
    }
  }

  /**
   * Returns {@code index.json} of the layout: one descriptor of the image index per tag, annotated
   * as {@link OciIndex#indexJson} annotates a single manifest, so that {@code oci:DIR:TAG} finds it.
   */
  static byte[] indexJson(ImageIndex index, ImageTags tags) {
    return OciIndex.layoutIndex(ImageIndex.MEDIA_TYPE, index.digest(), index.json().length, tags);
  }

  private static void writeContent(ImageIndex index, ImageTags tags, Path root) throws IOException {
    Path blobs = Files.createDirectories(root.resolve("blobs/sha256"));
    for (ImageIndex.PlatformImage platformImage : index.images()) {
      BuiltImage image = platformImage.image();
      for (Layer layer : image.layers()) {
        Path target = blobs.resolve(Digests.hex(layer.digest()));
        if (!Files.exists(target)) {
          OciLayoutWriter.linkOrCopy(layer, target);
        }
      }
      Files.write(blobs.resolve(Digests.hex(image.configDigest())), image.config());
      Files.write(blobs.resolve(Digests.hex(image.manifestDigest())), image.manifest());
    }
    Files.write(blobs.resolve(Digests.hex(index.digest())), index.json());
    Files.write(root.resolve("oci-layout"), OciIndex.OCI_LAYOUT);
    Files.write(root.resolve("index.json"), indexJson(index, tags));
  }
}
