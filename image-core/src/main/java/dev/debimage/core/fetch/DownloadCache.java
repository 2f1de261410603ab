package dev.debimage.core.fetch;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The per-user cache that every project and build shares. Files whose SHA-256 a signed Release file
 * or index gives are stored by that hash under {@code blobs/sha256/}; Release files, whose hash is
 * not known beforehand, are stored by URL under {@code releases/}.
 *
 * <p>Writes go to a temporary file in the same directory and are renamed into place, so readers
 * never see a partial file. A lock file serializes processes that need the same file, so it is
 * downloaded once. Every cached blob is checked against its hash when read; a corrupt one is
 * deleted and fetched again.
 */
public final class DownloadCache {

  /** Whether a file came from the network or from the cache. */
  public enum Origin {
    DOWNLOADED,
    CACHED
  }

  /** A verified file in the cache. */
  public record CachedFile(Path path, Origin origin) {}

  private static final ConcurrentHashMap<String, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final HttpDownloader downloader;
  private final boolean offline;

  public DownloadCache(Path root, HttpDownloader downloader, boolean offline) {
    this.root = root;
    this.downloader = downloader;
    this.offline = offline;
    try {
      Files.createDirectories(root.resolve("blobs/sha256"));
      Files.createDirectories(root.resolve("releases"));
      Files.createDirectories(root.resolve("locks"));
      Files.createDirectories(root.resolve("tmp"));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to create the cache directory " + root + ": " + e.getMessage()
              + ". Choose a writable cache directory (image.cacheDirectory)",
          e);
    }
  }

  public Path root() {
    return root;
  }

  public boolean offline() {
    return offline;
  }

  /** Returns the path of a cached blob, whether or not it exists yet. */
  public Path blobPath(String sha256) {
    return root.resolve("blobs/sha256").resolve(sha256);
  }

  /** Returns whether the cache contains the blob, without checking its hash. */
  public boolean contains(String sha256) {
    return Files.isRegularFile(blobPath(sha256));
  }

  /** Returns the cached blob with this SHA-256 and size when it is present and intact; never downloads. */
  public Optional<Path> find(String sha256, long size) {
    Path target = blobPath(sha256);
    return isIntact(target, sha256, size) ? Optional.of(target) : Optional.empty();
  }

  /**
   * Moves {@code file}, which the caller wrote inside {@link #newTemporaryFile()}'s directory, into
   * the cache as the blob with this SHA-256, after checking its size and digest. A file that does
   * not match is deleted and not stored.
   *
   * @return whether the file matched and is now cached
   */
  public boolean store(Path file, String sha256, long size) {
    Path target = blobPath(sha256);
    try (FileLock lock = lock(sha256)) {
      boolean matches = (size < 0 || Files.size(file) == size) && Sha256.hex(file).equals(sha256);
      if (matches) {
        moveIntoPlace(file, target);
      }
      return matches;
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write " + target + " in the cache", e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover file in the cache's tmp directory does no harm.
      }
    }
  }

  /**
   * Returns the file with the given SHA-256, from the cache when it is there and intact, otherwise
   * downloaded from {@code uri} and checked.
   *
   * @throws MissingFromCacheException offline, when the cache lacks the file
   */
  public CachedFile fetch(URI uri, String sha256, long size) {
    Path target = blobPath(sha256);
    if (isIntact(target, sha256, size)) {
      return new CachedFile(target, Origin.CACHED);
    }
    if (offline) {
      throw new MissingFromCacheException(List.of(uri.toString()));
    }
    try (FileLock lock = lock(sha256)) {
      if (isIntact(target, sha256, size)) {
        return new CachedFile(target, Origin.CACHED);
      }
      Path temporary = newTemporaryFile();
      try {
        downloader.download(uri, temporary, Optional.empty(), Optional.empty());
        long actualSize = Files.size(temporary);
        if (size >= 0 && actualSize != size) {
          throw new ImageBuildException(
              "size mismatch for " + uri + ": expected " + size + " bytes as the signed index lists, got "
                  + actualSize + ". The mirror may be mid-update or serving a wrong file: retry later"
                  + " or use another mirror");
        }
        String actual = Sha256.hex(temporary);
        if (!actual.equals(sha256)) {
          throw new ImageBuildException(
              "SHA256 mismatch for " + uri + ": expected " + sha256 + " as the signed index lists, got "
                  + actual + ". The file was not used. The mirror may be mid-update or tampered with:"
                  + " retry later or use another mirror");
        }
        moveIntoPlace(temporary, target);
        return new CachedFile(target, Origin.DOWNLOADED);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write " + target + " in the cache", e);
    }
  }

  /**
   * Returns a Release or InRelease file: refreshed with a conditional request when online, the last
   * copy when offline. Returns empty when the server has no such file. The file is stored without
   * any check, so callers that verify it should use {@link #fetchRelease(URI, Function)}.
   *
   * @throws MissingFromCacheException offline, when the cache has never held the file
   */
  public Optional<Path> fetchRelease(URI uri) {
    return fetchRelease(uri, path -> path);
  }

  /**
   * Returns {@code verify} applied to a Release, InRelease or Release.gpg file: refreshed with a
   * conditional request when online, the last copy when offline or when the server has nothing
   * newer. A new download replaces the cached copy only after {@code verify} returns, so a file
   * that fails verification is never stored and the last good copy stays in place. Returns empty
   * when the server has no such file.
   *
   * @param verify checks the file at the given path and returns what the caller needs from it. It
   *     runs while this file's lock is held, and throws to reject the file
   * @throws MissingFromCacheException offline, when the cache has never held the file
   */
  public <T> Optional<T> fetchRelease(URI uri, Function<Path, T> verify) {
    String key = uri.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    Path target = root.resolve("releases").resolve(key);
    Path absent = root.resolve("releases").resolve(key + ".absent");
    Path etagFile = root.resolve("releases").resolve(key + ".etag");
    Path modifiedFile = root.resolve("releases").resolve(key + ".last-modified");
    if (offline) {
      if (Files.isRegularFile(target)) {
        return Optional.of(verify.apply(target));
      }
      if (Files.exists(absent)) {
        return Optional.empty();
      }
      throw new MissingFromCacheException(List.of(uri.toString()));
    }
    try (FileLock lock = lock("release-" + key)) {
      Optional<String> etag = Files.isRegularFile(target) ? readOptional(etagFile) : Optional.empty();
      Optional<String> modified =
          Files.isRegularFile(target) ? readOptional(modifiedFile) : Optional.empty();
      Path temporary = newTemporaryFile();
      try {
        HttpDownloader.Response response = downloader.download(uri, temporary, etag, modified);
        if (response.notModified()) {
          return Optional.of(verify.apply(target));
        }
        T result = verify.apply(temporary);
        moveIntoPlace(temporary, target);
        writeOptional(etagFile, response.etag());
        writeOptional(modifiedFile, response.lastModified());
        Files.deleteIfExists(absent);
        // The result may name the temporary path, so hand back the stored file instead.
        @SuppressWarnings("unchecked")
        T stored = result instanceof Path && result.equals(temporary) ? (T) target : result;
        return Optional.of(stored);
      } catch (HttpDownloader.NotFoundException e) {
        Files.deleteIfExists(target);
        Files.writeString(absent, "");
        return Optional.empty();
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write " + target + " in the cache", e);
    }
  }

  /** Returns a new empty temporary file inside the cache, on the same file system as its targets. */
  public Path newTemporaryFile() throws IOException {
    return Files.createTempFile(root.resolve("tmp"), "download-", ".part");
  }

  /**
   * Takes an exclusive lock across threads and processes; closing the lock releases it. File locks
   * alone are held per process, so threads of one JVM (modules of a {@code mvn -T} build) first
   * queue on a lock of their own.
   */
  public FileLock lock(String name) throws IOException {
    Path lockFile = root.resolve("locks").resolve(name + ".lock");
    ReentrantLock threadLock =
        THREAD_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().toString(), key -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      return new ChannelClosingLock(lock, threadLock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  /** Renames {@code source} to {@code target} atomically where the file system allows it. */
  public static void moveIntoPlace(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean isIntact(Path file, String sha256, long size) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      if (size >= 0 && Files.size(file) != size) {
        Files.deleteIfExists(file);
        return false;
      }
      if (Sha256.hex(file).equals(sha256)) {
        return true;
      }
      Files.deleteIfExists(file);
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("failed to check " + file + " in the cache", e);
    }
  }

  private static Optional<String> readOptional(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static void writeOptional(Path file, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      Files.writeString(file, value.get(), StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(file);
    }
  }

  /** A file lock that also closes its channel when released. */
  private static final class ChannelClosingLock extends FileLock {
    private final FileLock lock;
    private final ReentrantLock threadLock;

    ChannelClosingLock(FileLock lock, ReentrantLock threadLock) {
      super(lock.channel(), lock.position(), lock.size(), lock.isShared());
      this.lock = lock;
      this.threadLock = threadLock;
    }

    @Override
    public boolean isValid() {
      return lock.isValid();
    }

    @Override
    public void release() throws IOException {
      try {
        lock.release();
        lock.channel().close();
      } finally {
        if (threadLock.isHeldByCurrentThread()) {
          threadLock.unlock();
        }
      }
    }
  }
}
