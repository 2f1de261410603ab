package dev.debimage.core;

import dev.debimage.core.assembly.Assembler;
import dev.debimage.core.assembly.AssemblyInput;
import dev.debimage.core.assembly.AssemblyOptions;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.image.ApplicationLayerBuilder;
import dev.debimage.core.image.BuiltImage;
import dev.debimage.core.image.ImageConfig;
import dev.debimage.core.image.Layer;
import dev.debimage.core.image.OciImageWriter;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.layers.LayerBlob;
import dev.debimage.core.layers.OsLayerCache;
import dev.debimage.core.layers.TarLayerWriter;
import dev.debimage.core.outputs.OutputWriter;
import dev.debimage.core.policy.PolicyCheck;
import dev.debimage.core.report.ImageReport;
import dev.debimage.core.report.LayerContents;
import dev.debimage.core.report.SbomLayer;
import dev.debimage.core.resolution.Resolution;
import dev.debimage.core.resolution.Resolver;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

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
    DownloadCache cache =
        new DownloadCache(spec.cacheDirectory(), new HttpDownloader(listener), spec.offline());

    IndexLoader.Universe universe = new IndexLoader(cache, listener).load(sources, spec.architecture());
    Resolution resolution = new Resolver(universe.packages(), spec.architecture()).resolve(spec.packages());
    resolution.warnings().forEach(listener::warn);
    List<BinaryPackage> packages = resolution.packages();
    listener.info("Resolved " + packages.size() + " packages from " + universe.packages().size()
        + " in " + universe.suites().size() + " suites");

    PackageFetcher.Fetched fetched = new PackageFetcher(cache, listener).fetch(packages);

    List<Layer> layers = new ArrayList<>();
    layers.add(operatingSystemLayer(spec, cache, fetched.files()));
    ImageReport report = ImageReport.create(
        resolution, universe.suites(), LayerContents.read(layers.get(0).blob()), spec);
    PolicyCheck.enforce(spec.policy(), report);
    ApplicationLayerBuilder applicationLayers =
        new ApplicationLayerBuilder(blobsDirectory(cache), cache.root().resolve("layers"));
    for (ApplicationLayer applicationLayer : spec.applicationLayers()) {
      layers.add(applicationLayers.build(applicationLayer, spec.timestamp()));
    }
    layers.add(SbomLayer.build(report, applicationLayers, cache.root().resolve("sbom"), spec.timestamp()));

    BuiltImage image = new OciImageWriter().write(layers, ImageConfig.from(spec));
    OutputWriter.write(image, packages, spec.outputDirectory(), spec.imageReference(), report.files());

    List<BuildResult.LayerSummary> summaries = new ArrayList<>();
    List<String> names = layerNames(spec);
    for (int i = 0; i < layers.size(); i++) {
      summaries.add(new BuildResult.LayerSummary(names.get(i), layers.get(i).digest(), layers.get(i).size()));
    }
    return new BuildResult(
        image.manifestDigest(),
        spec.imageReference(),
        packages,
        fetched.downloaded(),
        fetched.cached(),
        fetched.bytesDownloaded(),
        summaries,
        spec.outputDirectory(),
        Duration.ofNanos(System.nanoTime() - start));
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
   * Returns the layer of the installed packages: from the layer cache when the same packages were
   * assembled before with the same settings, otherwise assembled and written now.
   */
  private Layer operatingSystemLayer(
      ImageSpec spec, DownloadCache cache, Map<BinaryPackage, Path> debs) {
    String description = describePackages(debs.keySet());
    OsLayerCache layerCache = new OsLayerCache(cache.root().resolve("layers"), blobsDirectory(cache));
    Optional<String> key = OsLayerCache.key(debs.keySet(), spec.architecture(), spec.timestamp());
    Optional<LayerBlob> cached = layerCache.find(key);
    LayerBlob blob;
    if (cached.isPresent()) {
      blob = cached.get();
      listener.info("Reusing the packages layer " + blob.digest() + " from the cache");
    } else {
      List<AssemblyInput> inputs = new ArrayList<>();
      debs.forEach((pkg, file) -> inputs.add(new AssemblyInput(pkg, file)));
      AssemblyOptions options =
          new AssemblyOptions(spec.architecture(), spec.timestamp(), cache.root().resolve("data"), listener);
      FileTree tree = Assembler.assemble(inputs, options);
      blob = TarLayerWriter.write(tree, blobsDirectory(cache));
      layerCache.store(key, blob);
    }
    return new Layer(blob.digest(), blob.diffId(), blob.size(), blob.path(), Layer.OCI_GZIP_MEDIA_TYPE, description);
  }

  private static String describePackages(Collection<BinaryPackage> packages) {
    TreeSet<String> suites = new TreeSet<>();
    packages.forEach(pkg -> suites.add(pkg.suite()));
    return "debimage: " + packages.size() + " Debian packages from " + String.join(", ", suites);
  }

  private static List<String> layerNames(ImageSpec spec) {
    List<String> names = new ArrayList<>();
    names.add("packages");
    spec.applicationLayers().forEach(layer -> names.add(layer.name()));
    names.add(SbomLayer.NAME);
    return names;
  }

  private static Path blobsDirectory(DownloadCache cache) {
    return cache.root().resolve("blobs/sha256");
  }
}
