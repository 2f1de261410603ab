package dev.debimage.core.outputs;

import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.OciImageWriter;
import java.nio.charset.StandardCharsets;
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

  /**
   * Creates {@code index.json} with one manifest descriptor. Its {@value #REF_NAME} annotation is
   * the tag alone, so that {@code skopeo inspect oci:DIR:TAG} finds the image. Its {@value
   * #CONTAINERD_IMAGE_NAME} annotation is the whole {@code name:tag}, because podman 4.3 names an
   * image loaded from an OCI archive after it and would otherwise call it {@code localhost/TAG}.
   */
  static byte[] indexJson(BuiltImage image, ImageReference reference) {
    Map<String, Object> descriptor =
        OciImageWriter.descriptor(BuiltImage.MANIFEST_MEDIA_TYPE, image.manifestDigest(), image.manifest().length);
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(CONTAINERD_IMAGE_NAME, reference.toString());
    annotations.put(REF_NAME, reference.tag());
    descriptor.put("annotations", annotations);

    Map<String, Object> index = new java.util.LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_MEDIA_TYPE);
    index.put("manifests", List.of(descriptor));
    return OciImageWriter.toJson(index);
  }
}
