package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image of an OCI image layout written by {@link OciLayoutWriter}: the exact manifest bytes and
 * the blobs that the manifest names, checked against their digests and sizes.
 *
 * @param manifestDigest the {@code sha256:HEX} digest of the manifest
 * @param mediaType the manifest's media type
 * @param manifest the manifest bytes, as stored in the layout
 * @param blobs the config blob, then the layer blobs, bottom first
 */
record LayoutImage(String manifestDigest, String mediaType, byte[] manifest, List<Blob> blobs) {

  /**
   * A blob of the layout.
   *
   * @param digest the {@code sha256:HEX} digest
   * @param size the size in bytes
   * @param file the blob's file in the layout
   */
  record Blob(String digest, long size, Path file) {}

  /**
   * Reads the image manifest that {@code descriptor} names, and the blobs it names, from {@code
   * layout}.
   */
  static LayoutImage read(Path layout, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    String mediaType = descriptor.path("mediaType").asText();
    byte[] manifest = readBlob(layout, digest);
    JsonNode parsed = new ObjectMapper().readTree(manifest);
    List<Blob> blobs = new ArrayList<>();
    blobs.add(blob(layout, parsed.path("config")));
    for (JsonNode layer : parsed.path("layers")) {
      blobs.add(blob(layout, layer));
    }
    return new LayoutImage(digest, mediaType, manifest, List.copyOf(blobs));
  }

  /** Reads the blob of {@code digest} and checks that its bytes have that digest. */
  static byte[] readBlob(Path layout, String digest) throws IOException {
    Path file = blobFile(layout, digest);
    if (!Files.isRegularFile(file)) {
      throw changed(layout, digest);
    }
    byte[] bytes = Files.readAllBytes(file);
    if (!Digests.sha256(bytes).equals(digest)) {
      throw changed(layout, digest);
    }
    return bytes;
  }

  private static Blob blob(Path layout, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    long size = descriptor.path("size").asLong(-1);
    Path file = blobFile(layout, digest);
    if (!Files.isRegularFile(file) || Files.size(file) != size) {
      throw changed(layout, digest);
    }
    return new Blob(digest, size, file);
  }

  private static Path blobFile(Path layout, String digest) {
    try {
      return layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
    } catch (IllegalArgumentException e) {
      throw new ImageBuildException(
          "OCI image layout '" + layout + "' names an invalid digest '" + digest + "': build the image again");
    }
  }

  private static ImageBuildException changed(Path layout, String digest) {
    return new ImageBuildException(
        "blob " + digest + " in OCI image layout '" + layout + "' is missing or does not match its"
            + " descriptor: build the image again");
  }
}
