package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.MissingFromCacheException;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.sources.SignatureVerifier;
import dev.debimage.core.spec.SourceSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads the Packages indexes of every configured source: fetches each suite's Release file,
 * verifies its signature unless the source is marked trusted, then fetches the indexes it lists
 * and checks them by SHA256.
 */
public final class IndexLoader {

  /** Index compressions in order of preference, with the suffix the archive uses. */
  private static final List<String> INDEX_SUFFIXES = List.of(".xz", ".gz", "");

  private final DownloadCache cache;
  private final BuildListener listener;

  public IndexLoader(DownloadCache cache, BuildListener listener) {
    this.cache = cache;
    this.listener = listener;
  }

  /** A verified suite: its source, archive root, name and Release file. */
  public record Suite(SourceSpec source, URI archiveRoot, String name, ReleaseFile release) {}

  /** Every package stanza of the configured sources for one architecture. */
  public record Universe(List<Suite> suites, List<BinaryPackage> packages) {}

  /**
   * Loads the indexes of every source that serves {@code architecture} (its own packages and
   * {@code all}), skipping sources whose {@link SourceSpec#architectures()} lack it. A suite that
   * ends with {@code /} is read as a flat repository (see {@link SourceSpec}).
   *
   * @throws ImageBuildException when no source serves {@code architecture}
   */
  public Universe load(List<SourceSpec> sources, String architecture) {
    List<Suite> suites = new ArrayList<>();
    List<BinaryPackage> packages = new ArrayList<>();
    // Offline, every suite is tried before failing, so the error lists each missing file at once.
    List<String> missingFromCache = new ArrayList<>();
    for (SourceSpec source : servingSources(sources, architecture)) {
      checkLayout(source);
      Keyring keyring = keyringOf(source);
      for (URI uri : source.uris()) {
        for (String suiteName : source.suites()) {
          Suite suite;
          try {
            suite = loadRelease(source, uri, suiteName, keyring);
          } catch (MissingFromCacheException e) {
            missingFromCache.addAll(e.missing());
            continue;
          }
          suites.add(suite);
          if (SourceSpec.isFlat(suiteName)) {
            readIndex(suite, releaseDirectory(suite), "", "", architecture, packages);
            continue;
          }
          for (String component : source.components()) {
            for (String indexArchitecture : indexArchitectures(suite, architecture)) {
              String directory = component + "/binary-" + indexArchitecture + "/";
              readIndex(suite, releaseDirectory(suite), directory, component, architecture, packages);
            }
          }
        }
      }
    }
    if (!missingFromCache.isEmpty()) {
      throw new MissingFromCacheException(missingFromCache);
    }
    return new Universe(List.copyOf(suites), packages);
  }

  /** Returns the sources that serve {@code architecture}, logging the ones skipped. */
  private List<SourceSpec> servingSources(List<SourceSpec> sources, String architecture) {
    List<SourceSpec> serving = new ArrayList<>();
    for (SourceSpec source : sources) {
      if (source.servesArchitecture(architecture)) {
        serving.add(source);
      } else {
        listener.debug("Skipping the source in " + source.origin() + " for architecture " + architecture
            + ": it serves only " + String.join(" ", source.architectures()));
      }
    }
    if (serving.isEmpty() && !sources.isEmpty()) {
      throw new ImageBuildException(
          "no source serves architecture '" + architecture + "': every source names other"
              + " Architectures. Add " + architecture + " to the Architectures of a source, or add a"
              + " source for it");
    }
    return serving;
  }

  /** Returns the source's keyring; a keyring that cannot be loaded is reported with the source. */
  private static Keyring keyringOf(SourceSpec source) {
    try {
      return Keyring.forSource(source);
    } catch (ImageBuildException e) {
      throw new ImageBuildException(
          "invalid Signed-By of the source configured in " + source.origin() + ": " + e.getMessage(), e);
    }
  }

  /** Rejects a source that mixes flat and normal suites, or gives a flat suite components. */
  private static void checkLayout(SourceSpec source) {
    for (String suiteName : source.suites()) {
      if (SourceSpec.isFlat(suiteName) && !source.components().isEmpty()) {
        throw new ImageBuildException(
            "invalid source in " + source.origin() + ": suite '" + suiteName + "' ends with '/', which"
                + " names a flat repository, but the source also names components "
                + source.components() + ". Remove the components, or name the suite without the"
                + " trailing '/'");
      }
      if (!SourceSpec.isFlat(suiteName) && source.components().isEmpty()) {
        throw new ImageBuildException(
            "invalid source in " + source.origin() + ": suite '" + suiteName + "' has no components."
                + " Name the components, such as main, or end the suite with '/' for a flat"
                + " repository");
      }
    }
  }

  /**
   * Returns the directory that holds a suite's Release files: {@code dists/SUITE/} below the URI,
   * or for a flat repository the directory the suite names.
   */
  private static URI releaseDirectory(Suite suite) {
    return releaseDirectory(suite.archiveRoot(), suite.name());
  }

  private static URI releaseDirectory(URI uri, String suiteName) {
    if (SourceSpec.isFlat(suiteName)) {
      return resolve(uri, suiteName);
    }
    return resolve(uri, "dists/" + suiteName + "/");
  }

  /**
   * Fetches and verifies a suite's InRelease file, or its Release and Release.gpg files when the
   * archive has no InRelease. Each new download is verified and checked before it replaces the
   * cached copy, so a rejected file never displaces the last good one. A trusted source's Release
   * file is used without its signature, with a warning.
   */
  private Suite loadRelease(SourceSpec source, URI uri, String suiteName, Keyring keyring) {
    URI directory = releaseDirectory(uri, suiteName);
    URI inReleaseUri = directory.resolve("InRelease");
    String inReleaseLocation = inReleaseUri.toString();
    SignatureVerifier.ExpiredKeys expiredKeys =
        source.allowExpiredKeys() ? SignatureVerifier.ExpiredKeys.allow(listener::warn) : SignatureVerifier.ExpiredKeys.REJECT;
    Optional<ReleaseFile> fromInRelease =
        cache.fetchRelease(inReleaseUri, path -> {
          String text = source.trusted()
              ? SignatureVerifier.unverifiedClearsignedText(read(path), inReleaseLocation)
              : SignatureVerifier.verifyClearsigned(read(path), keyring, inReleaseLocation, expiredKeys);
          return check(source, suiteName, text, inReleaseLocation);
        });
    ReleaseFile releaseFile;
    String location;
    if (fromInRelease.isPresent()) {
      releaseFile = fromInRelease.get();
      location = inReleaseLocation;
    } else {
      URI releaseUri = directory.resolve("Release");
      URI signatureUri = directory.resolve("Release.gpg");
      location = releaseUri.toString();
      Optional<ReleaseFile> fromRelease =
          cache.fetchRelease(releaseUri, path -> {
            byte[] releaseBytes = read(path);
            if (!source.trusted()) {
              cache
                  .fetchRelease(signatureUri, signature -> {
                    SignatureVerifier.verifyDetached(
                        releaseBytes, read(signature), keyring, releaseUri.toString(), expiredKeys);
                    return signature;
                  })
                  .orElseThrow(() -> new ImageBuildException(
                      "missing signature for " + releaseUri + ": the archive has no InRelease and no"
                          + " Release.gpg, so its packages cannot be verified"));
            }
            return check(source, suiteName, new String(releaseBytes, StandardCharsets.UTF_8), releaseUri.toString());
          });
      if (fromRelease.isEmpty()) {
        throw new ImageBuildException(
            "suite '" + suiteName + "' not found at " + directory + " (neither InRelease nor Release"
                + " exists), configured in " + source.origin()
                + ". Check the URI and the suite name, for example bookworm or noble-updates");
      }
      releaseFile = fromRelease.get();
    }
    if (source.trusted()) {
      listener.warn(
          "Not verifying the signature of " + location + " because the source in " + source.origin()
              + " is marked trusted: whoever can change this file or the connection to the mirror can"
              + " change the image's packages. The image's dev.debimage.unverified-sources label"
              + " records the source");
    } else {
      listener.info(
          "Verified " + location + " (" + releaseFile.date().map(Instant::toString).orElse("no date") + ")");
    }
    return new Suite(source, uri, suiteName, releaseFile);
  }

  /**
   * Parses the verified text of a Release file and checks its suite and dates. A flat repository
   * has no suite name to check, because its Release file need not name one.
   */
  private ReleaseFile check(SourceSpec source, String suiteName, String signedText, String location) {
    ReleaseFile releaseFile = ReleaseFile.parse(signedText, location);
    if (!SourceSpec.isFlat(suiteName)) {
      releaseFile.checkSuite(suiteName, location);
    }
    Instant now = Instant.now();
    if (source.allowExpiredValidUntil() && releaseFile.isExpired(now)) {
      listener.warn(
          "Using the expired Release file " + location + " (Valid-Until "
              + releaseFile.validUntil().orElseThrow() + ") because the source in " + source.origin()
              + " allows expired Release files");
      releaseFile.checkDate(now, location);
    } else {
      releaseFile.checkDates(now, location);
    }
    return releaseFile;
  }

  private static List<String> indexArchitectures(Suite suite, String architecture) {
    List<String> offered = suite.release().architectures();
    if (!offered.isEmpty() && !offered.contains(architecture)) {
      throw new ImageBuildException(
          "architecture '" + architecture + "' is not in suite " + suite.name() + " at "
              + suite.archiveRoot() + "; the archive offers: " + String.join(" ", offered));
    }
    if (offered.contains("all") && !suite.release().noSupportForArchitectureAll()) {
      return List.of(architecture, "all");
    }
    return List.of(architecture);
  }

  /**
   * Reads the Packages index in {@code directory} below the Release file's directory (empty for a
   * flat repository), checked by the SHA256 the Release file lists. The uncompressed index is read
   * from the cache when it is there. Otherwise the first compression the Release file lists is
   * fetched. Its decompressed content is cached when it matches the Release file's entry for the
   * uncompressed index, because decompression takes most of the time spent reading a large index.
   */
  private void readIndex(
      Suite suite, URI releaseDirectory, String directory, String component, String architecture,
      List<BinaryPackage> sink) {
    ReleaseFile release = suite.release();
    String base = directory + "Packages";
    Optional<ReleaseFile.IndexFile> plain = release.sha256(base);
    if (plain.isPresent()) {
      Optional<Path> cached = cache.find(plain.get().sha256(), plain.get().size());
      if (cached.isPresent()) {
        int before = sink.size();
        parse(cached.get(), "", suite, component, architecture, sink, Optional.empty());
        listener.debug("read " + (sink.size() - before) + " stanzas from the cached, uncompressed "
            + releaseDirectory.resolve(base));
        return;
      }
    }
    for (String suffix : INDEX_SUFFIXES) {
      Optional<ReleaseFile.IndexFile> entry = release.sha256(base + suffix);
      if (entry.isEmpty()) {
        continue;
      }
      URI indexUri =
          release.acquireByHash()
              ? releaseDirectory.resolve(directory + "by-hash/SHA256/" + entry.get().sha256())
              : releaseDirectory.resolve(base + suffix);
      DownloadCache.CachedFile file = cache.fetch(indexUri, entry.get().sha256(), entry.get().size());
      int before = sink.size();
      parse(file.path(), suffix, suite, component, architecture, sink,
          suffix.isEmpty() ? Optional.empty() : plain);
      listener.debug(
          "read " + (sink.size() - before) + " stanzas from " + indexUri + " (" + file.origin() + ")");
      return;
    }
    if (SourceSpec.isFlat(suite.name())) {
      throw new ImageBuildException(
          "no Packages index in the flat repository " + releaseDirectory + ": its Release file lists"
              + " no Packages, Packages.gz or Packages.xz. Check the URI and suite of the source"
              + " configured in " + suite.source().origin());
    }
    // The Components field is not checked on its own: security archives list "updates/main" there
    // while their indexes live under "main/", and apt goes by the files the Release file lists.
    throw new ImageBuildException(
        "no Packages index for component '" + component + "', architecture '"
            + directory.substring(component.length() + "/binary-".length(), directory.length() - 1)
            + "' in suite " + suite.name() + " at " + suite.archiveRoot()
            + "; the Release file lists components: " + String.join(" ", release.components())
            + " and architectures: " + String.join(" ", release.architectures())
            + ". Fix <components> of the source configured in " + suite.source().origin());
  }

  /**
   * Parses an index into {@code sink}. With {@code uncompressed} present, the decompressed text is
   * also written to a temporary file and stored in the cache if it matches that entry.
   */
  private void parse(
      Path index, String suffix, Suite suite, String component, String architecture,
      List<BinaryPackage> sink, Optional<ReleaseFile.IndexFile> uncompressed) {
    String where =
        SourceSpec.isFlat(suite.name())
            ? resolve(suite.archiveRoot(), suite.name()).toString()
            : suite.archiveRoot() + " " + suite.name() + "/" + component;
    Path copy = null;
    try {
      copy = uncompressed.isPresent() ? cache.newTemporaryFile() : null;
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(index), 1 << 16);
          InputStream decompressed = decompress(raw, suffix);
          OutputStream copyOut = copy == null ? null : Files.newOutputStream(copy);
          InputStream in = copyOut == null ? decompressed : new TeeInputStream(decompressed, copyOut);
          InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        Deb822.parse(reader, where, stanza -> {
          String packageArchitecture = stanza.get("Architecture", "");
          if (packageArchitecture.equals(architecture) || packageArchitecture.equals("all")) {
            sink.add(toPackage(stanza, suite, component, where));
          }
        });
        in.transferTo(OutputStream.nullOutputStream());
      }
      if (copy != null) {
        ReleaseFile.IndexFile entry = uncompressed.get();
        if (!cache.store(copy, entry.sha256(), entry.size())) {
          listener.warn("The decompressed index " + index + " of " + where + " does not match the"
              + " SHA256 of the uncompressed index in the Release file, so it is not cached");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read the index " + index + " of " + where, e);
    } finally {
      deleteQuietly(copy);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover file in the cache's tmp directory does no harm.
    }
  }

  private static BinaryPackage toPackage(Stanza stanza, Suite suite, String component, String where) {
    String name = stanza.require("Package", where);
    String context = where + " (package " + name + ")";
    String size = stanza.require("Size", context);
    try {
      return new BinaryPackage(
          name,
          stanza.require("Version", context),
          stanza.require("Architecture", context),
          stanza,
          stanza.require("Filename", context),
          Long.parseLong(size),
          stanza.require("SHA256", context).toLowerCase(java.util.Locale.ROOT),
          suite.archiveRoot(),
          suite.name(),
          component);
    } catch (NumberFormatException e) {
      throw new ImageBuildException("invalid Size '" + size + "' in " + context);
    }
  }

  private static InputStream decompress(InputStream raw, String suffix) throws IOException {
    return switch (suffix) {
      case ".xz" -> new XZCompressorInputStream(raw);
      case ".gz" -> new GzipCompressorInputStream(raw, true);
      default -> raw;
    };
  }

  private static URI resolve(URI root, String relative) {
    String text = root.toString();
    return URI.create(text.endsWith("/") ? text : text + "/").resolve(relative);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read " + file, e);
    }
  }

  /** Copies every byte read from a stream to an output stream, which the caller closes. */
  private static final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int count = super.read(buffer, offset, length);
      if (count > 0) {
        copy.write(buffer, offset, count);
      }
      return count;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes would be missing from the copy, so read them instead.
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      int count = read(buffer, 0, buffer.length);
      return Math.max(count, 0);
    }
  }
}
