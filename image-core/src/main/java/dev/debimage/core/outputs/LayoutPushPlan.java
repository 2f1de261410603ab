package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.ImageIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests of an OCI image layout in the order a registry must receive them. A single image
 * has its manifest alone. An image index has each platform's manifest and then the index, because
 * a registry rejects an index that names a manifest it does not have.
 */
final class LayoutPushPlan {

  private LayoutPushPlan() {}

  /**
   * Reads the image or image index that {@code index.json} of {@code layout} names. The last entry
   * is the one to tag. An index entry has no blobs of its own.
   *
   * @throws ImageBuildException if the layout is missing, names no manifest or index or several
   *     different ones, or a blob is missing or does not match its descriptor
   */
  static List<LayoutImage> read(Path layout) {
    Path indexFile = layout.resolve("index.json");
    JsonNode descriptor;
    try {
      if (!Files.isRegularFile(indexFile)) {
        throw new ImageBuildException(
            "OCI image layout '" + layout + "' has no index.json: build the image before pushing it");
      }
      descriptor = taggedDescriptor(layout, new ObjectMapper().readTree(Files.readAllBytes(indexFile)));
      if (!ImageIndex.MEDIA_TYPE.equals(descriptor.path("mediaType").asText())) {
        return List.of(LayoutImage.read(layout, descriptor));
      }
      String digest = descriptor.path("digest").asText();
      byte[] indexBytes = LayoutImage.readBlob(layout, digest);
      List<LayoutImage> plan = new ArrayList<>();
      for (JsonNode manifest : new ObjectMapper().readTree(indexBytes).path("manifests")) {
        plan.add(LayoutImage.read(layout, manifest));
      }
      if (plan.isEmpty()) {
        throw new ImageBuildException(
            "the image index " + digest + " in OCI image layout '" + layout + "' names no manifest:"
                + " build the image again");
      }
      plan.add(new LayoutImage(digest, ImageIndex.MEDIA_TYPE, indexBytes, List.of()));
      return List.copyOf(plan);
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the OCI image layout '" + layout + "': " + e + ". Build the image again", e);
    }
  }

  /**
   * Returns the descriptor that {@code index.json} names. A layout written with several tags has one
   * descriptor per tag, and all of them must name the same manifest or index.
   */
  static JsonNode taggedDescriptor(Path layout, JsonNode index) {
    JsonNode manifests = index.path("manifests");
    if (manifests.size() == 0) {
      throw new ImageBuildException(
          "OCI image layout '" + layout + "' names no manifest in index.json: build the image again");
    }
    JsonNode first = manifests.get(0);
    for (JsonNode descriptor : manifests) {
      if (!descriptor.path("digest").asText().equals(first.path("digest").asText())) {
        throw new ImageBuildException(
            "OCI image layout '" + layout + "' names " + manifests.size() + " different manifests in"
                + " index.json, expected one image: build the image again");
      }
    }
    return first;
  }
}
