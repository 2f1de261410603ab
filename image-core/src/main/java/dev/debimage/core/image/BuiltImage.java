package dev.debimage.core.image;

import java.util.List;

/**
 * A finished image: the exact manifest and config bytes and the layer blobs they name.
 *
 * @param manifestDigest {@code sha256:HEX} of {@code manifest}, the image's identity in registries
 * @param manifest the OCI image manifest JSON
 * @param configDigest {@code sha256:HEX} of {@code config}, the image ID that podman and Docker show
 * @param config the OCI image config JSON
 * @param layers the layers in order from the bottom
 */
public record BuiltImage(
    String manifestDigest, byte[] manifest, String configDigest, byte[] config, List<Layer> layers) {

  /** The media type of an OCI image manifest. */
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

  /** The media type of an OCI image config. */
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";

  public BuiltImage {
    Digests.requireSha256(manifestDigest, "manifest digest");
    Digests.requireSha256(configDigest, "config digest");
    manifest = manifest.clone();
    config = config.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  @Override
  public byte[] config() {
    return config.clone();
  }
}
