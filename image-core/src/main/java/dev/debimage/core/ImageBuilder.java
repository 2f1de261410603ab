package dev.debimage.core;

import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyResult;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.assembly.PathFilters;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.hooks.CustomizedTree;
import dev.debimage.core.hooks.TreeCustomizer;
import dev.debimage.core.image.ApplicationLayerBuilder;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.ImageIndex;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.image.PackageLayerHistory;
import dev.debimage.core.image.Platforms;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.LayerCompression;
import dev.debimage.core.layers.OsLayerBuilder;
import dev.debimage.core.layers.OsLayerCache;
import dev.debimage.core.layers.PackageLayering;
import dev.debimage.core.lock.LockedPackage;
import dev.debimage.core.lock.LockedSuite;
import dev.debimage.core.lock.LockInputs;
import dev.debimage.core.lock.Locker;
import dev.debimage.core.lock.Lockfile;
import dev.debimage.core.lock.LockfileCache;
import dev.debimage.core.lock.PlatformLockfiles;
import dev.debimage.core.outdated.OutdatedReport;
import dev.debimage.core.outdated.Provenance;
import dev.debimage.core.outdated.SecuritySuites;
import dev.debimage.core.outputs.MultiPlatformOutputWriter;
import dev.debimage.core.outputs.ImageTags;
import dev.debimage.core.outputs.OutputWriter;
import dev.debimage.core.policy.PolicyCheck;
import dev.debimage.core.report.Distribution;
import dev.debimage.core.report.ImageReport;
import dev.debimage.core.report.LayerContents;
import dev.debimage.core.report.ReportCache;
import dev.debimage.core.report.SbomLayer;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.UnverifiedSources;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds an image from an {@link ImageSpec}: reads and verifies the package indexes, resolves the
 * package set, fetches the packages, assembles the root filesystem, writes the layers and the
 * image, and writes the outputs. This is image-core's entry point.
 */
public final class ImageBuilder {

  private final BuildListener listener;

  public ImageBuilder(BuildListener listener) {
    this.listener = listener;
  }

  /**
   * Builds the image and writes its outputs to {@link ImageSpec#outputDirectory()}.
   *
   * @throws ImageBuildException when an input is invalid or a source cannot be used; the message
   *     names the value and the fix
   */
  public BuildResult build(ImageSpec spec) {
    long start = System.nanoTime();
    List<SourceSpec> sources = sources(spec);
    DownloadCache cache = newCache(spec);
    ApplicationLayerBuilder applicationLayers =
        new ApplicationLayerBuilder(
            blobsDirectory(cache), cache.root().resolve("layers"), spec.layerCompression(), listener);

    if (spec.platforms().size() > 1) {
      return buildPlatforms(spec, sources, cache, applicationLayers, start);
    }
    PlatformBuild built = buildPlatform(spec, spec.architecture(), sources, cache, applicationLayers, null);
    BuiltImage image = built.image();
    List<BinaryPackage> packages = built.packages();
    OutputWriter.write(image, packages, spec.outputDirectory(), imageTags(spec), built.report().files());
    return new BuildResult(
        image.manifestDigest(),
        spec.imageReference(),
        packages,
        built.fetched().downloaded(),
        built.fetched().cached(),
        built.fetched().bytesDownloaded(),
        layerSummaries(built),
        spec.outputDirectory(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Builds one image per platform of the spec and writes them as an OCI image index. The result's
   * digest is the index's, its packages are those of every platform, and its layers are those of
   * the first platform's image.
   */
  private BuildResult buildPlatforms(
      ImageSpec spec, List<SourceSpec> sources, DownloadCache cache, ApplicationLayerBuilder applicationLayers,
      long start) {
    List<ImageIndex.PlatformImage> images = new ArrayList<>();
    Map<String, List<BinaryPackage>> packages = new TreeMap<>();
    Map<String, Map<String, byte[]>> reports = new TreeMap<>();
    List<BinaryPackage> allPackages = new ArrayList<>();
    int downloaded = 0;
    int cached = 0;
    long bytesDownloaded = 0;
    List<Layer> shared = null;
    PlatformBuild firstBuild = null;
    for (String architecture : spec.platforms()) {
      listener.info("Building the image for " + Platforms.ociName(architecture));
      PlatformBuild built = buildPlatform(spec, architecture, sources, cache, applicationLayers, shared);
      if (firstBuild == null) {
        firstBuild = built;
      }
      shared = built.applicationLayers();
      images.add(new ImageIndex.PlatformImage(architecture, built.image()));
      packages.put(architecture, built.packages());
      reports.put(architecture, built.report().files());
      allPackages.addAll(built.packages());
      downloaded += built.fetched().downloaded();
      cached += built.fetched().cached();
      bytesDownloaded += built.fetched().bytesDownloaded();
    }
    ImageIndex index = ImageIndex.of(images, ImageConfig.from(spec).annotations());
    MultiPlatformOutputWriter.write(index, packages, spec.outputDirectory(), imageTags(spec), reports);
    listener.info("Wrote the image index " + index.digest() + " for " + String.join(", ", spec.platforms()));
    return new BuildResult(
        index.digest(),
        spec.imageReference(),
        allPackages,
        downloaded,
        cached,
        bytesDownloaded,
        layerSummaries(firstBuild),
        spec.outputDirectory(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Returns the image reference of the spec with its additional tags. */
  private static ImageTags imageTags(ImageSpec spec) {
    return ImageTags.parse(spec.imageReference(), spec.additionalTags());
  }

  /**
   * The image of one platform with what went into it.
   *
   * @param applicationLayers the application layers, the same for every platform
   * @param layerNames the name of each layer of the image, in layer order, for the build result
   */
  private record PlatformBuild(
      BuiltImage image, List<BinaryPackage> packages, ImageReport report, PackageFetcher.Fetched fetched,
      List<Layer> applicationLayers, List<String> layerNames) {}

  /**
   * Resolves, fetches, assembles and layers the packages of one architecture and writes its image.
   * The application layers are built when {@code applicationLayers} is null and reused otherwise,
   * since they hold no architecture-specific bytes.
   */
  private PlatformBuild buildPlatform(
      ImageSpec spec, String architecture, List<SourceSpec> sources, DownloadCache cache,
      ApplicationLayerBuilder applicationLayerBuilder, List<Layer> applicationLayers) {
    PackageSet chosen = choosePackages(spec, architecture, sources, cache);
    Resolution resolution = chosen.resolution();
    List<BinaryPackage> packages = resolution.packages();

    LazyFetch debs = new LazyFetch(cache, packages);
    List<Layer> layers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    OsLayers osLayers = operatingSystemLayers(spec, architecture, cache, packages, debs);
    PackageFetcher.Fetched fetched = debs.result();
    for (NamedLayer osLayer : osLayers.layers()) {
      layers.add(osLayer.layer());
      names.add(osLayer.name());
    }
    List<String> packageLayerDiffIds = osLayers.layers().stream().map(layer -> layer.layer().diffId()).toList();
    ImageReport report = ImageReport.create(resolution, chosen.distribution(), packageLayerDiffIds, osLayers.contents(),
        spec, new ReportCache(cache.root().resolve("reports")));
    PolicyCheck.enforce(spec.policy(), report);
    if (applicationLayers == null) {
      applicationLayers = new ArrayList<>();
      for (ApplicationLayer applicationLayer : spec.applicationLayers()) {
        applicationLayers.add(applicationLayerBuilder.build(applicationLayer, spec.timestamp()));
      }
    }
    layers.addAll(applicationLayers);
    spec.applicationLayers().forEach(applicationLayer -> names.add(applicationLayer.name()));
    layers.add(SbomLayer.build(report, applicationLayerBuilder, cache.root().resolve("sbom"), spec.timestamp()));
    names.add(SbomLayer.NAME);

    ImageConfig config = UnverifiedSources.label(ImageConfig.from(spec).withArchitecture(architecture), sources);
    if (spec.provenance()) {
      config = Provenance.addTo(config, Provenance.entries(chosen.suites(), chosen.lockfileSha256()));
    }
    BuiltImage image = new OciImageWriter().write(layers, config);
    return new PlatformBuild(image, packages, report, fetched, List.copyOf(applicationLayers), List.copyOf(names));
  }

  private static List<BuildResult.LayerSummary> layerSummaries(PlatformBuild built) {
    List<BuildResult.LayerSummary> summaries = new ArrayList<>();
    List<String> names = built.layerNames();
    List<Layer> layers = built.image().layers();
    for (int i = 0; i < layers.size(); i++) {
      summaries.add(new BuildResult.LayerSummary(names.get(i), layers.get(i).digest(), layers.get(i).size()));
    }
    return summaries;
  }

  /**
   * The packages to install, why each is there, the distribution they belong to, the suites they
   * were resolved from, and the SHA-256 of the lockfile that listed them.
   */
  private record PackageSet(
      Resolution resolution, Distribution distribution, List<LockedSuite> suites,
      Optional<String> lockfileSha256) {}

  /**
   * Returns the packages of the spec's lockfile when it exists, or else resolves the requested
   * packages from the verified indexes.
   */
  private PackageSet choosePackages(
      ImageSpec spec, String architecture, List<SourceSpec> sources, DownloadCache cache) {
    Optional<Path> lockfile = spec.lockfile().filter(Files::isRegularFile);
    if (lockfile.isPresent()) {
      // The lock's SHA256 values come from verified indexes, so the fetch still checks every byte.
      // It lists every package, so the selectors need not run: the inputs digest covers them.
      Lockfile lock = lockOf(lockfile.get(), architecture, cache);
      List<BinaryPackage> packages = Locker.lockedPackages(
          lock, lockfile.get().toString(), inputsDigest(spec, architecture, sources), architecture, spec.packages());
      listener.info("Using " + packages.size() + " packages from " + lockfile.get());
      Map<String, String> reasons = new TreeMap<>();
      lock.packages().forEach(locked -> reasons.put(locked.name(), locked.reason()));
      return new PackageSet(new Resolution(packages, reasons, List.of()), lock.distribution(), lock.suites(),
          Optional.of(fileSha256(lockfile.get())));
    }

    spec.lockfile().ifPresent(path ->
        listener.debug("No lockfile at " + path + "; resolving from the indexes (mvn image:lock writes one)"));
    IndexLoader.Universe universe = new IndexLoader(cache, listener).load(sources, architecture);
    Resolution resolution = resolve(spec, architecture, universe);
    listener.info("Resolved " + resolution.packages().size() + " packages from " + universe.packages().size()
        + " in " + universe.suites().size() + " suites");
    return new PackageSet(resolution, Distribution.of(universe.suites()), Provenance.suitesOf(universe.suites()),
        Optional.empty());
  }

  /**
   * Loads and verifies the indexes, resolves the spec's packages, selections and resolve options,
   * and returns the lockfile of the result. Only the sources, packages, selectors, resolve options,
   * architecture, cache directory and offline setting of the spec are used.
   *
   * @throws ImageBuildException when a source cannot be used or the packages cannot be resolved
   */
  public Lockfile lock(ImageSpec spec) {
    return resolveForLock(spec, spec.architecture(), newCache(spec)).lockfile();
  }

  /**
   * Does what {@link #lock} does for every platform of the spec, and returns their locks in the
   * order of {@link ImageSpec#platforms()}.
   *
   * @throws ImageBuildException when a source cannot be used or the packages of a platform cannot
   *     be resolved
   */
  public PlatformLockfiles lockPlatforms(ImageSpec spec) {
    DownloadCache cache = newCache(spec);
    List<Lockfile> locks = new ArrayList<>();
    for (String architecture : spec.platforms()) {
      locks.add(resolveForLock(spec, architecture, cache).lockfile());
    }
    return new PlatformLockfiles(locks);
  }

  /**
   * Returns the lock of {@code architecture} in {@code file}. A file with one lock returns it
   * whatever its architecture, so that {@link Locker} reports a mismatch in its usual words.
   */
  private static Lockfile lockOf(Path file, String architecture, DownloadCache cache) {
    PlatformLockfiles locks = LockfileCache.read(file, cache.root().resolve("lockfiles"));
    return locks.locks().size() == 1 ? locks.locks().get(0) : locks.require(architecture, file.toString());
  }

  /**
   * Returns the package set that {@link #build} would install, without fetching any package: the
   * spec's lockfile when it exists (after checking that it matches the spec's inputs), or else a
   * fresh resolution as {@link #lock} makes it. For a spec of several platforms this is the set of
   * the first, {@link ImageSpec#architecture()}.
   *
   * @throws ImageBuildException when the lockfile is stale or unreadable, a source cannot be used,
   *     or the packages cannot be resolved
   */
  public Lockfile packageSet(ImageSpec spec) {
    Optional<Path> lockfile = spec.lockfile().filter(Files::isRegularFile);
    if (lockfile.isEmpty()) {
      return lock(spec);
    }
    Lockfile lock = lockOf(lockfile.get(), spec.architecture(), newCache(spec));
    Locker.lockedPackages(
        lock, lockfile.get().toString(), inputsDigest(spec, spec.architecture(), sources(spec)), spec.architecture(),
        spec.packages());
    listener.info("Using " + lock.packages().size() + " packages from " + lockfile.get());
    return lock;
  }

  /**
   * Loads and verifies the indexes, resolves the spec's packages as {@link #lock} does, and
   * returns the packages for which the result is newer than {@code baseline}, marking security
   * updates. The baseline's inputs digest need not match: this is a report, not a build.
   *
   * @throws ImageBuildException when a source cannot be used or the packages cannot be resolved
   */
  public OutdatedReport outdated(ImageSpec spec, Lockfile baseline) {
    Locker.Locked now = resolveForLock(spec, spec.architecture(), newCache(spec));
    return OutdatedReport.compare(baseline, now.lockfile(), SecuritySuites.of(now.suites()));
  }

  /**
   * Does what {@link #outdated(ImageSpec, Lockfile)} does, against the packages of the last build
   * as {@link dev.debimage.core.outdated.LastBuild} reads them from {@code packages.json}.
   */
  public OutdatedReport outdated(ImageSpec spec, List<LockedPackage> lastBuild) {
    Locker.Locked now = resolveForLock(spec, spec.architecture(), newCache(spec));
    return OutdatedReport.compare(lastBuild, now.lockfile(), SecuritySuites.of(now.suites()));
  }

  /** Loads and verifies the indexes and resolves the spec as a lockfile records it. */
  private Locker.Locked resolveForLock(ImageSpec spec, String architecture, DownloadCache cache) {
    List<SourceSpec> sources = sources(spec);
    IndexLoader.Universe universe = new IndexLoader(cache, listener).load(sources, architecture);
    Resolution resolution = resolve(spec, architecture, universe);
    Lockfile lockfile = Locker.of(inputsDigest(spec, architecture, sources), architecture, universe.suites(), resolution);
    return new Locker.Locked(lockfile, universe.suites());
  }

  /** Returns the spec's cache, downloading through the spec's proxies. */
  private DownloadCache newCache(ImageSpec spec) {
    return new DownloadCache(spec.cacheDirectory(), downloader(spec), spec.offline());
  }

  /** Returns a downloader that uses the spec's proxies, or the proxy environment variables. */
  private HttpDownloader downloader(ImageSpec spec) {
    return spec.proxySettings()
        .map(proxies -> new HttpDownloader(listener, proxies))
        .orElseGet(() -> new HttpDownloader(listener));
  }

  /** Resolves the spec's requests and selections from the universe and logs the warnings. */
  private Resolution resolve(ImageSpec spec, String architecture, IndexLoader.Universe universe) {
    Resolution resolution = new Resolver(
        universe.packages(), architecture, Resolver.notAutomaticSuites(universe.suites()),
        spec.resolveOptions())
        .resolve(requests(spec, universe));
    resolution.warnings().forEach(listener::warn);
    return resolution;
  }

  /** Returns the requested packages followed by those that the variant and the selectors choose. */
  private List<String> requests(ImageSpec spec, IndexLoader.Universe universe) {
    LinkedHashSet<String> requests = new LinkedHashSet<>(spec.packages());
    for (ImageSpec.PackageSelector selector : selectors(spec)) {
      List<String> selected = selector.select(universe.packages());
      // An excluded package is left out of a selection; the resolver rejects it in a request.
      selected = selected.stream().filter(name -> !spec.resolveOptions().excludes().contains(name)).toList();
      listener.info("Requesting " + selected.size() + " " + selector.description());
      requests.addAll(selected);
    }
    return new ArrayList<>(requests);
  }

  private static List<ImageSpec.PackageSelector> selectors(ImageSpec spec) {
    List<ImageSpec.PackageSelector> selectors = new ArrayList<>();
    spec.resolveOptions().variant().selector().ifPresent(selectors::add);
    selectors.addAll(spec.packageSelectors());
    return selectors;
  }

  /** Returns the lockfile inputs digest of the spec, covering its resolve options and selectors. */
  private static String inputsDigest(ImageSpec spec, String architecture, List<SourceSpec> sources) {
    List<String> selections = spec.packageSelectors().stream().map(ImageSpec.PackageSelector::description).toList();
    return LockInputs.digest(sources, spec.packages(), architecture, spec.resolveOptions(), selections);
  }

  private List<SourceSpec> sources(ImageSpec spec) {
    if (!spec.sources().isEmpty()) {
      return spec.sources();
    }
    List<SourceSpec> host = HostAptSources.readHost();
    if (host.isEmpty()) {
      throw new ImageBuildException(
          "no package sources: the pom names no <sources> and this machine has no apt sources in"
              + " /etc/apt/sources.list or /etc/apt/sources.list.d/. " + HostAptSources.howToConfigure());
    }
    listener.info("Using the host's apt sources (" + host.size() + " entries)");
    return host;
  }

  /**
   * Fetches the packages when the .deb files are first needed. A build whose package layers are
   * all in the layer cache needs none, so it neither reads nor hashes them.
   */
  private final class LazyFetch implements Supplier<Map<BinaryPackage, Path>> {
    private final DownloadCache cache;
    private final List<BinaryPackage> packages;
    private PackageFetcher.Fetched fetched;

    LazyFetch(DownloadCache cache, List<BinaryPackage> packages) {
      this.cache = cache;
      this.packages = packages;
    }

    @Override
    public Map<BinaryPackage, Path> get() {
      if (fetched == null) {
        fetched = new PackageFetcher(cache, listener).fetch(packages);
      }
      return fetched.files();
    }

    /** Returns what the fetch did, or, when it did not run, every package counted as cached. */
    PackageFetcher.Fetched result() {
      return fetched != null ? fetched : new PackageFetcher.Fetched(Map.of(), 0, packages.size(), 0);
    }
  }

  /** A layer of the image with the name the build result gives it. */
  private record NamedLayer(String name, Layer layer) {}

  /** The layers of the installed packages and the paths they contain together. */
  private record OsLayers(List<NamedLayer> layers, Supplier<LayerContents> contents) {}

  /**
   * Returns the layers of the installed packages, split as {@link ImageSpec#packageLayering()} sets:
   * from the layer cache when the same packages were assembled before with the same settings,
   * otherwise assembled now, compressing only the layers the cache lacks.
   */
  private OsLayers operatingSystemLayers(
      ImageSpec spec, String architecture, DownloadCache cache, List<BinaryPackage> packages,
      Supplier<Map<BinaryPackage, Path>> debs) {
    OsLayerCache layerCache = new OsLayerCache(cache.root().resolve("layers"), blobsDirectory(cache));
    AssemblyOptions options = assemblyOptions(spec, architecture, cache);
    PackageLayering layering = spec.packageLayering();
    // The time zone, path filters and the split change the layers, so they are part of the key.
    Optional<String> key = OsLayerCache.key(packages, architecture, spec.timestamp())
        .map(packagesKey -> Sha256.hex((packagesKey + "\n" + options.treeSettingsKey()
            + compressionKey(spec.layerCompression()) + "\n" + layering.cacheKey()).getBytes(StandardCharsets.UTF_8)));
    if (!spec.scriptSettings().isEmpty()) {
      // What a script writes is not known from its inputs, so such layers are never reused.
      key = Optional.empty();
    }
    OsLayerBuilder builder =
        new OsLayerBuilder(layerCache, blobsDirectory(cache), spec.layerCompression(), layering, listener);
    // A customized tree streams its content from the hooks' directory, so it stays open until
    // every layer is written.
    List<CustomizedTree> customizedTrees = new ArrayList<>();
    OsLayerBuilder.Result built;
    try {
      built = builder.build(
          key,
          () -> {
            Map<BinaryPackage, Path> files = debs.get();
            List<AssemblyInput> inputs = new ArrayList<>();
            files.forEach((pkg, file) -> inputs.add(new AssemblyInput(pkg, file)));
            AssemblyResult assembled = Assembler.assembleWithReport(inputs, options);
            TreeCustomizer.Context context = new TreeCustomizer.Context(architecture, spec.timestamp(),
                cache.root().resolve("customize"), List.copyOf(files.values()), listener);
            CustomizedTree customized = TreeCustomizer.apply(assembled.tree(), spec.scriptSettings(), context);
            customizedTrees.add(customized);
            return customized.tree();
          },
          ImageBuilder::accountNames);
    } finally {
      customizedTrees.forEach(CustomizedTree::close);
    }
    checkUser(spec.user(), built.accounts());

    Map<String, BinaryPackage> byName = new TreeMap<>();
    packages.forEach(pkg -> byName.put(pkg.name(), pkg));
    List<NamedLayer> layers = new ArrayList<>();
    for (OsLayerCache.CachedLayer layer : built.layers()) {
      boolean database = layer.name().equals(PackageLayering.DATABASE);
      List<BinaryPackage> layerPackages = layer.packages().stream()
          .map(byName::get)
          .filter(java.util.Objects::nonNull)
          .toList();
      String description = PackageLayerHistory.describe(layer.name(), layerPackages, database);
      LayerBlob blob = layer.blob();
      layers.add(new NamedLayer(layer.name(), new Layer(blob.digest(), blob.diffId(), blob.size(), blob.path(),
          spec.layerCompression().mediaType(), description)));
    }
    List<Path> blobs = layers.stream().map(layer -> layer.layer().blob()).toList();
    Optional<String> contentsKey = key;
    return new OsLayers(layers, () -> layerContents(layerCache, contentsKey, blobs));
  }

  /**
   * Returns the paths of the package layers: from the snapshot the layer cache keeps for the
   * package set, or else read from the blobs and stored as a snapshot, because decompressing the
   * layers takes seconds.
   */
  private LayerContents layerContents(OsLayerCache layerCache, Optional<String> key, List<Path> blobs) {
    Optional<byte[]> snapshot = layerCache.findContents(key);
    if (snapshot.isPresent()) {
      try {
        return LayerContents.fromSnapshot(snapshot.get());
      } catch (IOException e) {
        listener.debug("Reading the package layers again, because their cached listing is unusable: " + e.getMessage());
      }
    }
    LayerContents contents = LayerContents.read(blobs);
    layerCache.storeContents(key, contents.toSnapshot());
    return contents;
  }

  /** Returns the cache key part for the compression, empty for gzip so that gzip keys stay as they were. */
  private static String compressionKey(LayerCompression compression) {
    return compression == LayerCompression.GZIP ? "" : "\ncompression " + compression.configName();
  }

  private AssemblyOptions assemblyOptions(ImageSpec spec, String architecture, DownloadCache cache) {
    return new AssemblyOptions(architecture, spec.timestamp(), cache.root().resolve("data"),
        listener, spec.timezone(), PathFilters.parse(spec.pathFilters())).withShape(spec.shape());
  }

  /** Returns the user names that the tree's {@code /etc/passwd} lists, in file order. */
  private static List<String> accountNames(FileTree tree) {
    FileEntry passwd = tree.get("etc/passwd")
        .orElseThrow(() -> new IllegalStateException("the assembled tree lacks /etc/passwd"));
    try {
      String text = new String(passwd.content().readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(line -> line.contains(":")).map(line -> line.substring(0, line.indexOf(':'))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read /etc/passwd of the assembled tree", e);
    }
  }

  /**
   * Rejects a user name that the image's {@code /etc/passwd} lacks, which would otherwise fail
   * only when a container starts. Numeric ids need no account.
   */
  private static void checkUser(String user, List<String> accounts) {
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    if (name.matches("\\d+") || accounts.contains(name)) {
      return;
    }
    throw new ImageBuildException(
        "user '" + name + "' is not an account of the image, whose /etc/passwd lists: "
            + String.join(", ", accounts) + ". Set <user> (image.user) to one of them or to a numeric"
            + " uid[:gid]");
  }

  private static String fileSha256(Path file) {
    try {
      return Sha256.hex(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the lockfile " + file + ": " + e.getMessage() + ". Check its permissions", e);
    }
  }

  private static Path blobsDirectory(DownloadCache cache) {
    return cache.root().resolve("blobs/sha256");
  }
}
