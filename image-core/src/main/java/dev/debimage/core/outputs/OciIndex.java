package dev.debimage.core.outputs;

import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.OciImageWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The two small files of an OCI image layout: {@code oci-layout} and {@code index.json}. */
final class OciIndex {

  /** The media type of an OCI image index. */
  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  /** The content of the {@code oci-layout} file, image layout version 1.0.0. */
  static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  /** The annotation that skopeo, podman and buildah match against the TAG of {@code oci:DIR:TAG}. */
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** The annotation from which containerd and Docker 25 and later take the full image name on import. */
  static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";

  private OciIndex() {}

  /** Creates {@code index.json} with one manifest descriptor for one tag; see {@link #indexJson(BuiltImage, ImageTags)}. */
  static byte[] indexJson(BuiltImage image, ImageReference reference) {
    return indexJson(image, new ImageTags(List.of(reference)));
  }

  /**
   * Creates {@code index.json} with one manifest descriptor per tag, all naming the same manifest.
   * Each {@value #REF_NAME} annotation is the tag alone, so that {@code skopeo inspect oci:DIR:TAG}
   * finds the image. Each {@value #CONTAINERD_IMAGE_NAME} annotation is the whole {@code name:tag},
   * because podman 4.3 names an image loaded from an OCI archive after it and would otherwise call
   * it {@code localhost/TAG}.
   */
  static byte[] indexJson(BuiltImage image, ImageTags tags) {
    return layoutIndex(BuiltImage.MANIFEST_MEDIA_TYPE, image.manifestDigest(), image.manifest().length, tags);
  }

  /** Creates {@code index.json} with one descriptor of the given manifest or image index per tag. */
  static byte[] layoutIndex(String mediaType, String digest, long size, ImageTags tags) {
    List<Map<String, Object>> descriptors = new ArrayList<>();
    for (ImageReference reference : tags.references()) {
      Map<String, Object> descriptor = OciImageWriter.descriptor(mediaType, digest, size);
      Map<String, String> annotations = new TreeMap<>();
      annotations.put(CONTAINERD_IMAGE_NAME, reference.toString());
      annotations.put(REF_NAME, reference.tag());
      descriptor.put("annotations", annotations);
      descriptors.add(descriptor);
    }

    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_MEDIA_TYPE);
    index.put("manifests", descriptors);
    return OciImageWriter.toJson(index);
  }
}
