package dev.debimage.core;

import dev.debimage.core.indexes.BinaryPackage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of a build: what it produced and decided.
 *
 * @param manifestDigest the image manifest digest, {@code sha256:…}; for a build for several
 *     platforms, the digest of the image index
 * @param imageReference the image name and tag written to the outputs
 * @param packages the installed packages, sorted by name; for several platforms, those of each
 *     platform in turn
 * @param downloaded how many .deb files came from the network
 * @param cached how many .deb files came from the cache
 * @param bytesDownloaded the size of the downloaded .deb files
 * @param layers the image's layers, base first; for several platforms, those of the first
 * @param outputDirectory where the outputs were written
 * @param elapsed the build's wall time
 */
public record BuildResult(
    String manifestDigest,
    String imageReference,
    List<BinaryPackage> packages,
    int downloaded,
    int cached,
    long bytesDownloaded,
    List<LayerSummary> layers,
    Path outputDirectory,
    Duration elapsed) {

  public BuildResult {
    packages = List.copyOf(packages);
    layers = List.copyOf(layers);
  }

  /**
   * One layer of the image.
   *
   * @param name what the layer holds, such as {@code packages} or {@code classes}
   * @param digest the compressed blob's digest
   * @param size the compressed size in bytes
   */
  public record LayerSummary(String name, String digest, long size) {}
}
