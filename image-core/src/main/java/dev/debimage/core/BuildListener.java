package dev.debimage.core;

/**
 * Receives progress and events from a build. The Maven plugin maps it to Maven's log.
 */
public interface BuildListener {

  /** A listener that drops every event. */
  BuildListener NONE = new BuildListener() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  };

  /** Reports what a user needs to trust the result: sources, counts, sizes, digests. */
  void info(String message);

  /** Reports a problem that did not stop the build. */
  void warn(String message);

  /** Reports detail that helps when looking into a problem. */
  void debug(String message);

  /**
   * Reports that one more file of a batch was downloaded. Called once for each file that came
   * from the network, in the order the batch lists them, on the thread that started the batch.
   * The default reports the file's URI through {@link #debug}.
   */
  default void downloaded(DownloadProgress progress) {
    debug("downloaded " + progress.file());
  }

  /**
   * Reports a layer blob of the image once it is ready: {@code compressed} is true when the build
   * wrote and compressed it now, false when it reused the blob of an earlier build from the layer
   * cache. The default reports it through {@link #debug}.
   *
   * @param name the layer's name, such as {@code base}, {@code dpkg-database} or {@code classes}
   * @param digest the blob's digest, {@code sha256:…}
   */
  default void layerReady(String name, String digest, boolean compressed) {
    debug((compressed ? "compressed layer " : "reused layer ") + name + " " + digest);
  }

  /**
   * Progress of a batch of downloads after one file completed.
   *
   * @param file the URI the file came from
   * @param bytes the file's size in bytes
   * @param completedFiles files of the batch downloaded so far, including this one
   * @param totalFiles files the batch downloads
   * @param completedBytes bytes of the batch downloaded so far, including this file
   * @param totalBytes bytes the batch downloads
   */
  record DownloadProgress(
      java.net.URI file, long bytes, int completedFiles, int totalFiles, long completedBytes, long totalBytes) {}
}
