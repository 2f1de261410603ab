package dev.debimage.core.fetch;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Downloads the .deb files of a package set into the shared cache, several at a time, each checked
 * against the SHA256 and size of its signed index.
 */
public final class PackageFetcher {

  /** Downloads run at once; mirrors throttle clients that open many more connections. */
  private static final int PARALLEL_DOWNLOADS = 4;

  /** How long a failed fetch waits for the cancelled downloads to end. */
  private static final int STOP_TIMEOUT_SECONDS = 30;

  /** The fetched files, in the order of the package list, and how many came from the network. */
  public record Fetched(Map<BinaryPackage, Path> files, int downloaded, int cached, long bytesDownloaded) {}

  private final DownloadCache cache;
  private final BuildListener listener;

  public PackageFetcher(DownloadCache cache, BuildListener listener) {
    this.cache = cache;
    this.listener = listener;
  }

  /**
   * Returns each package's verified .deb from the cache, downloading the ones it lacks.
   *
   * @throws MissingFromCacheException offline, listing every .deb the cache lacks
   */
  public Fetched fetch(List<BinaryPackage> packages) {
    if (cache.offline()) {
      List<String> missing = new ArrayList<>();
      for (BinaryPackage pkg : packages) {
        if (!cache.contains(pkg.sha256())) {
          missing.add(pkg.debUri() + " (" + pkg.name() + " " + pkg.version() + ")");
        }
      }
      if (!missing.isEmpty()) {
        throw new MissingFromCacheException(missing);
      }
    }

    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_DOWNLOADS, runnable -> {
      Thread thread = new Thread(runnable, "debimage-download");
      thread.setDaemon(true);
      return thread;
    });
    try {
      // The cache may still gain a file from a concurrent build, so the totals are an upper bound.
      int totalFiles = 0;
      long totalBytes = 0;
      for (BinaryPackage pkg : packages) {
        if (!cache.contains(pkg.sha256())) {
          totalFiles++;
          totalBytes += pkg.size();
        }
      }
      Map<BinaryPackage, Future<DownloadCache.CachedFile>> futures = new LinkedHashMap<>();
      for (BinaryPackage pkg : packages) {
        futures.put(pkg, pool.submit(() -> cache.fetch(pkg.debUri(), pkg.sha256(), pkg.size())));
      }
      Map<BinaryPackage, Path> files = new LinkedHashMap<>();
      int downloaded = 0;
      long bytes = 0;
      for (Map.Entry<BinaryPackage, Future<DownloadCache.CachedFile>> entry : futures.entrySet()) {
        DownloadCache.CachedFile file = await(entry.getKey(), entry.getValue());
        files.put(entry.getKey(), file.path());
        if (file.origin() == DownloadCache.Origin.DOWNLOADED) {
          downloaded++;
          bytes += entry.getKey().size();
          listener.downloaded(new BuildListener.DownloadProgress(
              entry.getKey().debUri(), entry.getKey().size(),
              downloaded, Math.max(downloaded, totalFiles), bytes, Math.max(bytes, totalBytes)));
        }
      }
      return new Fetched(files, downloaded, packages.size() - downloaded, bytes);
    } finally {
      stop(pool);
    }
  }

  /**
   * Cancels the downloads still running and waits for them to end, so that after a failure no
   * download goes on writing to the cache once {@link #fetch} has thrown.
   */
  private void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        listener.warn("Downloads still running " + STOP_TIMEOUT_SECONDS + " s after being cancelled;"
            + " their temporary files in the cache's tmp directory are deleted when they end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static DownloadCache.CachedFile await(
      BinaryPackage pkg, Future<DownloadCache.CachedFile> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new ImageBuildException("failed to fetch " + pkg.debUri() + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while fetching " + pkg.debUri(), e);
    }
  }
}
