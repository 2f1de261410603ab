/** Writes file trees as deterministic, gzip-compressed OCI layer blobs. */
package dev.debimage.core.layers;
