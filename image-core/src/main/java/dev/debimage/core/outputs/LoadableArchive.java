package dev.debimage.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.Platforms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A docker-archive in a build's output directory with the digests of the image it contains:
 * {@code image.tar} for a build for one platform, {@code image-ARCH.tar} for each platform of an
 * image index.
 *
 * @param architecture the OCI architecture of the image, such as {@code amd64}, or empty for a
 *     build for one platform, whose architecture does not choose the archive
 * @param archive the docker-archive file
 * @param configDigest the digest of the image's config, which Docker's classic image store uses as
 *     the image ID
 * @param manifestDigest the digest of the image's manifest, which Docker's containerd image store
 *     uses as the image ID
 * @param imageArchitecture the architecture that the image's config names, such as {@code arm64}
 */
record LoadableArchive(
    Optional<String> architecture, Path archive, String configDigest, String manifestDigest, String imageArchitecture) {

  /**
   * Reads the archives of the build whose outputs are in {@code outputDirectory}, from its OCI image
   * layout {@code oci/}.
   *
   * @throws ImageBuildException if the image layout or an archive is missing or the layout is invalid
   */
  static List<LoadableArchive> read(Path outputDirectory) {
    Path layout = outputDirectory.resolve("oci");
    Path indexFile = layout.resolve("index.json");
    ObjectMapper json = new ObjectMapper();
    List<LoadableArchive> archives = new ArrayList<>();
    try {
      if (!Files.isRegularFile(indexFile)) {
        throw new ImageBuildException(
            "OCI image layout '" + layout + "' has no index.json: build the image before loading it");
      }
      JsonNode descriptor = LayoutPushPlan.taggedDescriptor(layout, json.readTree(Files.readAllBytes(indexFile)));
      String digest = descriptor.path("digest").asText();
      if (!ImageIndex.MEDIA_TYPE.equals(descriptor.path("mediaType").asText())) {
        archives.add(archive(layout, Optional.empty(), outputDirectory.resolve("image.tar"), digest));
      } else {
        JsonNode index = json.readTree(LayoutImage.readBlob(layout, digest));
        for (JsonNode manifest : index.path("manifests")) {
          JsonNode platform = manifest.path("platform");
          String architecture = platform.path("architecture").asText();
          String ociPlatform = platform.path("os").asText("linux") + "/" + architecture
              + (platform.hasNonNull("variant") ? "/" + platform.path("variant").asText() : "");
          Path archive = MultiPlatformOutputWriter.archive(outputDirectory, Platforms.toDebianArchitecture(ociPlatform));
          archives.add(archive(layout, Optional.of(architecture), archive, manifest.path("digest").asText()));
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the OCI image layout '" + layout + "': " + e + ". Build the image again", e);
    }
    for (LoadableArchive archive : archives) {
      if (!Files.isRegularFile(archive.archive())) {
        throw new ImageBuildException(
            "docker-archive '" + archive.archive() + "' is missing: build the image again");
      }
    }
    return List.copyOf(archives);
  }

  private static LoadableArchive archive(Path layout, Optional<String> architecture, Path archive, String manifestDigest)
      throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(LayoutImage.readBlob(layout, manifestDigest));
    String configDigest = manifest.path("config").path("digest").asText();
    if (configDigest.isEmpty()) {
      throw new ImageBuildException(
          "manifest " + manifestDigest + " in OCI image layout '" + layout + "' names no config: build the image again");
    }
    String imageArchitecture = new ObjectMapper().readTree(LayoutImage.readBlob(layout, configDigest))
        .path("architecture").asText();
    return new LoadableArchive(architecture, archive, configDigest, manifestDigest, imageArchitecture);
  }
}
