package dev.debimage.core.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A compressed layer blob on disk, with the digests that the image config and manifest record.
 *
 * @param digest {@code sha256:HEX} of the compressed blob, as named in the manifest
 * @param diffId {@code sha256:HEX} of the uncompressed tar, as named in the config's {@code rootfs}
 * @param size the size of the compressed blob in bytes
 * @param blob the compressed blob
 * @param mediaType the layer's media type, such as {@link #OCI_GZIP_MEDIA_TYPE}
 * @param createdBy what produced the layer, written to the {@code created_by} field of its history entry
 */
public record Layer(
    String digest, String diffId, long size, Path blob, String mediaType, String createdBy) {

  /** The media type of a gzip-compressed OCI layer tar. */
  public static final String OCI_GZIP_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  public Layer {
    Digests.requireSha256(digest, "layer digest");
    Digests.requireSha256(diffId, "layer diff ID");
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(createdBy, "createdBy");
    if (size < 0) {
      throw new IllegalArgumentException("negative layer size " + size);
    }
  }
}
