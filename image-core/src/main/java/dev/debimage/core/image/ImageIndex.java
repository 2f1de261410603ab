package dev.debimage.core.image;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An OCI image index that names one image manifest per platform, as a multi-architecture build
 * writes it. Equal images in the same order give the same bytes.
 *
 * @param digest {@code sha256:HEX} of {@code json}, the identity of the index in registries
 * @param json the image index JSON
 * @param images the images the index names, in the order of its {@code manifests}
 */
public record ImageIndex(String digest, byte[] json, List<PlatformImage> images) {

  /** The media type of an OCI image index. */
  public static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  /**
   * An image of one platform.
   *
   * @param architecture the Debian architecture the image was built for, such as {@code arm64}
   * @param image the image
   */
  public record PlatformImage(String architecture, BuiltImage image) {
    public PlatformImage {
      OciPlatform.fromDebian(architecture);
      Objects.requireNonNull(image, "image");
    }
  }

  public ImageIndex {
    Digests.requireSha256(digest, "index digest");
    json = json.clone();
    images = List.copyOf(images);
  }

  @Override
  public byte[] json() {
    return json.clone();
  }

  /**
   * Writes the index of {@code images}: for each, a descriptor of its manifest with the platform's
   * {@code os}, {@code architecture} and, where OCI defines one, {@code variant}. The {@code
   * annotations}, such as {@code org.opencontainers.image.created}, become the index's own.
   *
   * @throws ImageBuildException when {@code images} is empty or names an architecture twice
   */
  public static ImageIndex of(List<PlatformImage> images, SortedMap<String, String> annotations) {
    if (images.isEmpty()) {
      throw new ImageBuildException("an image index needs at least one image: set at least one platform");
    }
    List<Map<String, Object>> manifests = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (PlatformImage platformImage : images) {
      if (seen.contains(platformImage.architecture())) {
        throw new ImageBuildException(
            "architecture " + platformImage.architecture() + " appears twice in the image index:"
                + " list each platform once");
      }
      seen.add(platformImage.architecture());
      BuiltImage image = platformImage.image();
      Map<String, Object> descriptor =
          OciImageWriter.descriptor(BuiltImage.MANIFEST_MEDIA_TYPE, image.manifestDigest(), image.manifest().length);
      descriptor.put("platform", platform(platformImage.architecture()));
      manifests.add(descriptor);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", MEDIA_TYPE);
    index.put("manifests", manifests);
    if (!annotations.isEmpty()) {
      index.put("annotations", new TreeMap<>(annotations));
    }
    byte[] json = OciImageWriter.toJson(index);
    return new ImageIndex(Digests.sha256(json), json, images);
  }

  /** Returns the platform object of a descriptor, with its properties in the specification's order. */
  private static Map<String, Object> platform(String debianArchitecture) {
    OciPlatform platform = OciPlatform.fromDebian(debianArchitecture);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("architecture", platform.architecture());
    object.put("os", "linux");
    platform.variant().ifPresent(variant -> object.put("variant", variant));
    return object;
  }
}
