package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Deb822Exception;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /**
   * A cached, uncompressed index is split into ranges of at least this size for parallel parsing,
   * so small indexes, such as those of -updates suites, are parsed in one piece.
   */
  private static final long MIN_RANGE_BYTES = 4L << 20;

  private final DownloadCache cache;
  private final BuildListener listener;
  private final int threads;
  private final long minRangeBytes;

  /**
   * Creates a loader that reads Release files and indexes on up to four threads, or as many as
   * the machine has processors when it has fewer, but at least two.
   */
  public IndexLoader(DownloadCache cache, BuildListener listener) {
    this(cache, listener, Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  /** Creates a loader that reads Release files and indexes on {@code threads} threads. */
  public IndexLoader(DownloadCache cache, BuildListener listener, int threads) {
    this(cache, listener, threads, MIN_RANGE_BYTES);
  }

  /** Creates a loader that splits cached indexes into ranges of at least {@code minRangeBytes}. */
  IndexLoader(DownloadCache cache, BuildListener listener, int threads, long minRangeBytes) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.cache = cache;
    this.listener = listener;
    this.threads = threads;
    this.minRangeBytes = minRangeBytes;
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
    List<SuiteStep> suiteSteps = new ArrayList<>();
    for (SourceSpec source : servingSources(sources, architecture)) {
      checkLayout(source);
      Keyring keyring = keyringOf(source);
      for (URI uri : source.uris()) {
        for (String suiteName : source.suites()) {
          suiteSteps.add(new SuiteStep(source, uri, suiteName, keyring, new DeferredListener()));
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "debimage-index");
      thread.setDaemon(true);
      return thread;
    });
    try {
      return load(suiteSteps, architecture, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Runs the steps of {@link #load(List, String)} on {@code pool}: every Release file, then every
   * index fetched or found in the cache, then every index parsed, a large one in several ranges at
   * once. Each step logs to its own {@link DeferredListener}. The results, the log and the first
   * failure are then taken in the order a sequential run would have produced them: suite by suite,
   * the Release file before its indexes. Offline, every missing file is collected before failing,
   * so the error lists them all.
   */
  private Universe load(List<SuiteStep> suiteSteps, String architecture, ExecutorService pool) {
    List<Future<Outcome<Suite>>> releases = new ArrayList<>();
    for (SuiteStep step : suiteSteps) {
      releases.add(pool.submit(() -> Outcome.of(
          () -> loadRelease(step.source(), step.uri(), step.suiteName(), step.keyring(), step.log()))));
    }

    List<IndexStep> indexSteps = new ArrayList<>();
    List<Future<Outcome<List<ParseUnit>>>> located = new ArrayList<>();
    for (int i = 0; i < suiteSteps.size(); i++) {
      Outcome<Suite> release = await(releases.get(i));
      suiteSteps.get(i).release = release;
      if (release.error() != null) {
        continue;
      }
      Suite suite = release.value();
      List<IndexStep> ofSuite = indexSteps(suite, architecture, suiteSteps.get(i));
      suiteSteps.get(i).indexes = ofSuite;
      for (IndexStep step : ofSuite) {
        indexSteps.add(step);
        located.add(pool.submit(() -> Outcome.of(() -> locateIndex(step))));
      }
    }

    List<Future<Outcome<List<BinaryPackage>>>> parsed = new ArrayList<>();
    List<List<ParseUnit>> unitsOfStep = new ArrayList<>();
    for (int i = 0; i < indexSteps.size(); i++) {
      Outcome<List<ParseUnit>> units = await(located.get(i));
      indexSteps.get(i).located = units;
      unitsOfStep.add(units.error() == null ? units.value() : List.of());
      for (ParseUnit unit : unitsOfStep.get(i)) {
        parsed.add(pool.submit(() -> Outcome.of(unit::parse)));
      }
    }

    int next = 0;
    for (int i = 0; i < indexSteps.size(); i++) {
      List<Outcome<List<BinaryPackage>>> results = new ArrayList<>();
      for (int j = 0; j < unitsOfStep.get(i).size(); j++) {
        results.add(await(parsed.get(next++)));
      }
      indexSteps.get(i).packages = finishIndex(indexSteps.get(i), unitsOfStep.get(i), results);
    }
    return collect(suiteSteps);
  }

  /**
   * Replays the steps' logs in sequential order and returns their packages, or throws the first
   * failure in that order. Missing files of an offline build are all collected first.
   */
  private Universe collect(List<SuiteStep> suiteSteps) {
    List<Suite> suites = new ArrayList<>();
    List<BinaryPackage> packages = new ArrayList<>();
    List<String> missingFromCache = new ArrayList<>();
    for (SuiteStep step : suiteSteps) {
      step.log().replay(listener);
      RuntimeException releaseError = step.release.error();
      if (releaseError instanceof MissingFromCacheException) {
        missingFromCache.addAll(((MissingFromCacheException) releaseError).missing());
        continue;
      }
      if (releaseError != null) {
        throw releaseError;
      }
      suites.add(step.release.value());
      for (IndexStep index : step.indexes) {
        index.log().replay(listener);
        Outcome<List<BinaryPackage>> outcome = index.packages;
        if (outcome.error() instanceof MissingFromCacheException) {
          missingFromCache.addAll(((MissingFromCacheException) outcome.error()).missing());
        } else if (outcome.error() != null) {
          throw outcome.error();
        } else {
          packages.addAll(outcome.value());
        }
      }
    }
    if (!missingFromCache.isEmpty()) {
      throw new MissingFromCacheException(missingFromCache);
    }
    return new Universe(List.copyOf(suites), packages);
  }

  /** Returns the indexes to read for one suite, in the order a sequential read takes them. */
  private List<IndexStep> indexSteps(Suite suite, String architecture, SuiteStep suiteStep) {
    List<IndexStep> steps = new ArrayList<>();
    URI releaseDirectory = releaseDirectory(suite);
    if (SourceSpec.isFlat(suite.name())) {
      steps.add(new IndexStep(suite, releaseDirectory, "", "", architecture, new DeferredListener()));
      return steps;
    }
    for (String component : suite.source().components()) {
      List<String> indexArchitectures;
      try {
        indexArchitectures = indexArchitectures(suite, architecture);
      } catch (ImageBuildException e) {
        // Fails for every component alike, so it is reported as the first index step's failure.
        IndexStep failed = new IndexStep(suite, releaseDirectory, "", component, architecture, new DeferredListener());
        failed.failure = e;
        steps.add(failed);
        return steps;
      }
      for (String indexArchitecture : indexArchitectures) {
        String directory = component + "/binary-" + indexArchitecture + "/";
        steps.add(new IndexStep(suite, releaseDirectory, directory, component, architecture, new DeferredListener()));
      }
    }
    return steps;
  }

  private static <T> Outcome<T> await(Future<Outcome<T>> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while reading the package indexes", e);
    } catch (ExecutionException e) {
      // Outcome.of catches every RuntimeException, so only an Error can get here.
      throw new IllegalStateException("reading the package indexes failed: " + e.getCause(), e.getCause());
    }
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
  private Suite loadRelease(SourceSpec source, URI uri, String suiteName, Keyring keyring, BuildListener log) {
    URI directory = releaseDirectory(uri, suiteName);
    URI inReleaseUri = directory.resolve("InRelease");
    String inReleaseLocation = inReleaseUri.toString();
    SignatureVerifier.ExpiredKeys expiredKeys =
        source.allowExpiredKeys() ? SignatureVerifier.ExpiredKeys.allow(log::warn) : SignatureVerifier.ExpiredKeys.REJECT;
    Optional<ReleaseFile> fromInRelease =
        cache.fetchRelease(inReleaseUri, path -> {
          String text = source.trusted()
              ? SignatureVerifier.unverifiedClearsignedText(read(path), inReleaseLocation)
              : SignatureVerifier.verifyClearsigned(read(path), keyring, inReleaseLocation, expiredKeys);
          return check(source, suiteName, text, inReleaseLocation, log);
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
            return check(source, suiteName, new String(releaseBytes, StandardCharsets.UTF_8), releaseUri.toString(), log);
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
      log.warn(
          "Not verifying the signature of " + location + " because the source in " + source.origin()
              + " is marked trusted: whoever can change this file or the connection to the mirror can"
              + " change the image's packages. The image's dev.debimage.unverified-sources label"
              + " records the source");
    } else {
      log.info(
          "Verified " + location + " (" + releaseFile.date().map(Instant::toString).orElse("no date") + ")");
    }
    return new Suite(source, uri, suiteName, releaseFile);
  }

  /**
   * Parses the verified text of a Release file and checks its suite and dates. A flat repository
   * has no suite name to check, because its Release file need not name one.
   */
  private ReleaseFile check(
      SourceSpec source, String suiteName, String signedText, String location, BuildListener log) {
    ReleaseFile releaseFile = ReleaseFile.parse(signedText, location);
    if (!SourceSpec.isFlat(suiteName)) {
      releaseFile.checkSuite(suiteName, location);
    }
    Instant now = Instant.now();
    if (source.allowExpiredValidUntil() && releaseFile.isExpired(now)) {
      log.warn(
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
   * Finds the Packages index of {@code step} below the Release file's directory (for a flat
   * repository, in that directory), checked by the SHA256 the Release file lists, and returns the
   * units that parse it. The uncompressed index is read from the cache when it is there, in
   * ranges that threads parse at once. Otherwise the first compression the Release file lists is
   * fetched and parsed as one stream. Its decompressed content is cached when it matches the
   * Release file's entry for the uncompressed index, because decompression takes most of the time
   * spent reading a large index.
   */
  private List<ParseUnit> locateIndex(IndexStep step) throws IOException {
    if (step.failure != null) {
      throw step.failure;
    }
    Suite suite = step.suite();
    ReleaseFile release = suite.release();
    String directory = step.directory();
    String base = directory + "Packages";
    Optional<ReleaseFile.IndexFile> plain = release.sha256(base);
    if (plain.isPresent()) {
      Optional<Path> cached = cache.find(plain.get().sha256(), plain.get().size());
      if (cached.isPresent()) {
        step.cachedIndex = cached.get();
        step.description = "the cached, uncompressed " + step.releaseDirectory().resolve(base);
        List<ParseUnit> units = new ArrayList<>();
        for (ByteBuffer range : IndexChunks.split(cached.get(), threads, minRangeBytes)) {
          units.add(() -> parseRange(range, step));
        }
        return units;
      }
    }
    // As apt does, a by-hash path that the mirror lacks falls back to the file name, and a
    // compression that the mirror lacks falls back to the next one the Release file lists.
    List<URI> notFound = new ArrayList<>();
    for (String suffix : INDEX_SUFFIXES) {
      Optional<ReleaseFile.IndexFile> entry = release.sha256(base + suffix);
      if (entry.isEmpty()) {
        continue;
      }
      List<URI> candidates = new ArrayList<>();
      if (release.acquireByHash()) {
        candidates.add(step.releaseDirectory().resolve(directory + "by-hash/SHA256/" + entry.get().sha256()));
      }
      candidates.add(step.releaseDirectory().resolve(base + suffix));
      for (URI indexUri : candidates) {
        DownloadCache.CachedFile file;
        try {
          file = cache.fetch(indexUri, entry.get().sha256(), entry.get().size());
        } catch (HttpDownloader.NotFoundException e) {
          step.log().debug("not found: " + indexUri + "; trying the next location of " + base);
          notFound.add(indexUri);
          continue;
        }
        step.description = indexUri + " (" + file.origin() + ")";
        Optional<ReleaseFile.IndexFile> uncompressed = suffix.isEmpty() ? Optional.empty() : plain;
        return List.of(() -> {
          List<BinaryPackage> packages = new ArrayList<>();
          parse(file.path(), suffix, step, packages, uncompressed);
          return packages;
        });
      }
    }
    if (!notFound.isEmpty()) {
      throw new ImageBuildException(
          "index " + base + " of suite " + suite.name() + " at " + suite.archiveRoot() + " is listed in"
              + " the Release file but the mirror has none of its files: " + notFound.stream().map(URI::toString)
              .collect(java.util.stream.Collectors.joining(", "))
              + " were not found. The mirror may be mid-update or incomplete: retry later or use another"
              + " mirror" + otherArchiveHint(base));
    }
    if (SourceSpec.isFlat(suite.name())) {
      throw new ImageBuildException(
          "no Packages index in the flat repository " + step.releaseDirectory() + ": its Release file lists"
              + " no Packages, Packages.gz or Packages.xz. Check the URI and suite of the source"
              + " configured in " + suite.source().origin());
    }
    String component = step.component();
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
   * Joins the packages that the units of one index step parsed, in range order. When a range of a
   * cached index fails, the whole index is parsed again on this thread, so that the error is the
   * one a sequential parse reports, with line numbers counted from the start of the file.
   */
  private Outcome<List<BinaryPackage>> finishIndex(
      IndexStep step, List<ParseUnit> units, List<Outcome<List<BinaryPackage>>> results) {
    if (step.located.error() != null) {
      return Outcome.failed(step.located.error());
    }
    List<BinaryPackage> packages = new ArrayList<>();
    for (Outcome<List<BinaryPackage>> result : results) {
      if (result.error() != null) {
        if (step.cachedIndex == null) {
          return result;
        }
        return Outcome.of(() -> {
          List<BinaryPackage> sequential = new ArrayList<>();
          parse(step.cachedIndex, "", step, sequential, Optional.empty());
          step.log().debug("read " + sequential.size() + " stanzas from " + step.description);
          return sequential;
        });
      }
      packages.addAll(result.value());
    }
    step.log().debug("read " + packages.size() + " stanzas from " + step.description);
    return Outcome.succeeded(packages);
  }

  /** Returns how messages name the index of a step: its URI and suite, and its component. */
  private static String where(IndexStep step) {
    Suite suite = step.suite();
    return SourceSpec.isFlat(suite.name())
        ? resolve(suite.archiveRoot(), suite.name()).toString()
        : suite.archiveRoot() + " " + suite.name() + "/" + step.component();
  }

  /** Parses one stanza-aligned range of a cached, uncompressed index. */
  private static List<BinaryPackage> parseRange(ByteBuffer range, IndexStep step) {
    String where = where(step);
    List<BinaryPackage> packages = new ArrayList<>();
    Deb822.parse(range, where, stanza -> addIfForArchitecture(stanza, step, where, packages));
    return packages;
  }

  private static void addIfForArchitecture(Stanza stanza, IndexStep step, String where, List<BinaryPackage> sink) {
    String packageArchitecture = stanza.get("Architecture", "");
    if (packageArchitecture.equals(step.architecture()) || packageArchitecture.equals("all")) {
      sink.add(toPackage(stanza, step.suite(), step.component(), where));
    }
  }

  /**
   * Parses an index into {@code sink}. With {@code uncompressed} present, the decompressed text is
   * also written to a temporary file and stored in the cache if it matches that entry.
   */
  private void parse(
      Path index, String suffix, IndexStep step, List<BinaryPackage> sink,
      Optional<ReleaseFile.IndexFile> uncompressed) {
    String where = where(step);
    Path copy = null;
    try {
      copy = uncompressed.isPresent() ? cache.newTemporaryFile() : null;
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(index), 1 << 16);
          InputStream decompressed = decompress(raw, suffix);
          OutputStream copyOut = copy == null ? null : Files.newOutputStream(copy);
          InputStream in = copyOut == null ? decompressed : new TeeInputStream(decompressed, copyOut);
          InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        Deb822.parse(reader, where, stanza -> addIfForArchitecture(stanza, step, where, sink));
        in.transferTo(OutputStream.nullOutputStream());
      }
      if (copy != null) {
        ReleaseFile.IndexFile entry = uncompressed.get();
        if (!cache.store(copy, entry.sha256(), entry.size())) {
          step.log().warn("The decompressed index " + index + " of " + where + " does not match the"
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
    String size = require(stanza, "Size", where, name);
    try {
      return new BinaryPackage(
          name,
          require(stanza, "Version", where, name),
          require(stanza, "Architecture", where, name),
          stanza,
          require(stanza, "Filename", where, name),
          Long.parseLong(size),
          require(stanza, "SHA256", where, name).toLowerCase(java.util.Locale.ROOT),
          suite.archiveRoot(),
          suite.name(),
          component);
    } catch (NumberFormatException e) {
      throw new ImageBuildException("invalid Size '" + size + "' in " + packageContext(where, name));
    }
  }

  /**
   * Returns a field of a package's stanza, as {@link Stanza#require} does, but builds the message
   * that names the package only when the field is missing, because that happens once per package.
   */
  private static String require(Stanza stanza, String field, String where, String name) {
    String value = stanza.get(field, null);
    if (value == null) {
      throw new Deb822Exception("missing field " + field + " in " + packageContext(where, name));
    }
    return value;
  }

  private static String packageContext(String where, String name) {
    return where + " (package " + name + ")";
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

  /** The result of one step run on a worker thread: a value, or the exception it threw. */
  private record Outcome<T>(T value, RuntimeException error) {

    static <T> Outcome<T> succeeded(T value) {
      return new Outcome<>(value, null);
    }

    static <T> Outcome<T> failed(RuntimeException error) {
      return new Outcome<>(null, error);
    }

    /** Runs {@code step} and keeps its value or its exception; an IOException becomes unchecked. */
    static <T> Outcome<T> of(Step<T> step) {
      try {
        return succeeded(step.run());
      } catch (RuntimeException e) {
        return failed(e);
      } catch (IOException e) {
        return failed(new UncheckedIOException(e.getMessage(), e));
      }
    }
  }

  /** Work that {@link Outcome#of} runs. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException;
  }

  /** Parses one index, or one range of it, into packages. */
  @FunctionalInterface
  private interface ParseUnit {
    List<BinaryPackage> parse() throws IOException;
  }

  /** One suite to read: where it is, its keyring, and what reading it produced. */
  private static final class SuiteStep {
    private final SourceSpec source;
    private final URI uri;
    private final String suiteName;
    private final Keyring keyring;
    private final DeferredListener log;
    private Outcome<Suite> release;
    private List<IndexStep> indexes = List.of();

    SuiteStep(SourceSpec source, URI uri, String suiteName, Keyring keyring, DeferredListener log) {
      this.source = source;
      this.uri = uri;
      this.suiteName = suiteName;
      this.keyring = keyring;
      this.log = log;
    }

    SourceSpec source() {
      return source;
    }

    URI uri() {
      return uri;
    }

    String suiteName() {
      return suiteName;
    }

    Keyring keyring() {
      return keyring;
    }

    DeferredListener log() {
      return log;
    }
  }

  /** One Packages index of a suite to read, and what reading it produced. */
  private static final class IndexStep {
    private final Suite suite;
    private final URI releaseDirectory;
    private final String directory;
    private final String component;
    private final String architecture;
    private final DeferredListener log;
    /** A failure found while planning, such as an architecture the suite lacks. */
    private ImageBuildException failure;
    private Outcome<List<ParseUnit>> located;
    /** The uncompressed index in the cache, when the units parse ranges of it. */
    private Path cachedIndex;
    /** The origin of the parsed index, for the debug log. */
    private String description;
    private Outcome<List<BinaryPackage>> packages;

    IndexStep(
        Suite suite, URI releaseDirectory, String directory, String component, String architecture,
        DeferredListener log) {
      this.suite = suite;
      this.releaseDirectory = releaseDirectory;
      this.directory = directory;
      this.component = component;
      this.architecture = architecture;
      this.log = log;
    }

    Suite suite() {
      return suite;
    }

    URI releaseDirectory() {
      return releaseDirectory;
    }

    String directory() {
      return directory;
    }

    String component() {
      return component;
    }

    String architecture() {
      return architecture;
    }

    DeferredListener log() {
      return log;
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

  /**
   * Returns a hint for a {@code binary-ARCH} index that a mirror does not serve: Ubuntu lists
   * arm64 and other ports in the Release files of its main archive but serves them from a separate
   * ports archive, so the fix is a source for that architecture, not a retry.
   */
  private static String otherArchiveHint(String base) {
    int start = base.indexOf("binary-");
    if (start < 0) {
      return "";
    }
    String architecture = base.substring(start + "binary-".length()).split("/", 2)[0];
    return ". If this archive does not serve " + architecture + " at all, as Ubuntu's main archive"
        + " serves only amd64 and i386, add a source for " + architecture + " (for Ubuntu, its"
        + " ubuntu-ports archive) with architectures set to " + architecture + ", and set the"
        + " architectures of this source to the ones it serves";
  }
}
