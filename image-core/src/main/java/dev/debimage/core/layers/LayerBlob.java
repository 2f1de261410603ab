package dev.debimage.core.layers;

import java.nio.file.Path;

/**
 * A gzip-compressed layer tar in the blobs directory.
 *
 * @param digest {@code sha256:<hex>} of the compressed blob, the layer's digest in the manifest
 * @param diffId {@code sha256:<hex>} of the uncompressed tar, the diff ID in the image config
 * @param size the compressed size in bytes
 * @param path the blob file, named after the hex digest
 */
public record LayerBlob(String digest, String diffId, long size, Path path) {}
