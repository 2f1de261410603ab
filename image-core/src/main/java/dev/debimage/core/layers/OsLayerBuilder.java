package dev.debimage.core.layers;

import dev.debimage.core.BuildListener;
import dev.debimage.core.assembly.FileTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the layers of installed packages as {@link PackageLayering} splits them, reusing what the
 * {@link OsLayerCache} contains: the whole set when the packages did not change, and otherwise each
 * layer whose paths did not change.
 */
public final class OsLayerBuilder {

  private final OsLayerCache cache;
  private final Path blobsDirectory;
  private final LayerCompression compression;
  private final PackageLayering layering;
  private final BuildListener listener;

  /** Creates a builder that writes blobs to {@code blobsDirectory/HEX}. */
  public OsLayerBuilder(
      OsLayerCache cache, Path blobsDirectory, LayerCompression compression, PackageLayering layering,
      BuildListener listener) {
    this.cache = cache;
    this.blobsDirectory = blobsDirectory;
    this.compression = compression;
    this.layering = layering;
    this.listener = listener;
  }

  /**
   * The layers of a package set, lowest first, and the account names of its {@code /etc/passwd}.
   *
   * @param layers the layers, each with its name, packages and blob
   * @param accounts the user names the image's {@code /etc/passwd} lists
   * @param compressed how many of the layers this build compressed; the others came from the cache
   */
  public record Result(List<OsLayerCache.CachedLayer> layers, List<String> accounts, int compressed) {
    public Result {
      layers = List.copyOf(layers);
      accounts = List.copyOf(accounts);
    }
  }

  /**
   * Returns the layers of the package set {@code setKey}: from the cache when it contains them, or
   * else from the tree that {@code assemble} returns, compressing only the layers the cache lacks.
   *
   * @param setKey the package set's key from {@link OsLayerCache#key}, which must also cover every
   *     setting that changes the tree, the compression and the layering; empty disables the cache
   * @param assemble assembles the tree; called only when the cache lacks the set
   * @param accounts reads the account names from the assembled tree
   */
  public Result build(
      Optional<String> setKey, Supplier<FileTree> assemble, Function<FileTree, List<String>> accounts) {
    Optional<OsLayerCache.CachedSet> cached = cache.findSet(setKey);
    if (cached.isPresent()) {
      cached.get().layers().forEach(layer -> listener.layerReady(layer.name(), layer.blob().digest(), false));
      listener.info("Reusing the " + cached.get().layers().size() + " package layers from the cache");
      return new Result(cached.get().layers(), cached.get().accounts(), 0);
    }

    FileTree tree = assemble.get();
    List<String> names = accounts.apply(tree);
    List<OsLayerCache.CachedLayer> layers = new ArrayList<>();
    int compressed = 0;
    for (PackageLayering.Group group : layering.split(tree)) {
      Optional<String> layerKey = OsLayerCache.layerKey(group.entries(), compression);
      Optional<LayerBlob> found = cache.findLayer(layerKey);
      LayerBlob blob;
      if (found.isPresent()) {
        blob = found.get();
      } else {
        blob = TarLayerWriter.write(group.entries(), blobsDirectory, compression);
        cache.storeLayer(layerKey, blob);
        compressed++;
      }
      listener.layerReady(group.name(), blob.digest(), found.isEmpty());
      layers.add(new OsLayerCache.CachedLayer(group.name(), group.packages(), blob));
    }
    listener.info("Wrote " + layers.size() + " package layers, " + compressed + " of them compressed now");
    cache.storeSet(setKey, layers, names);
    return new Result(layers, names, compressed);
  }
}
