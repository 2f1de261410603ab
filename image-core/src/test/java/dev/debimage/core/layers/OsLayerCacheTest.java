package dev.debimage.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.fetch.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of the layer cache's records: each is used only for the key it was stored under. */
class OsLayerCacheTest {

  private static final Optional<String> FIRST = Optional.of("1".repeat(64));
  private static final Optional<String> SECOND = Optional.of("2".repeat(64));

  @TempDir Path records;
  @TempDir Path blobs;

  private LayerBlob blob(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String hex = Sha256.hex(bytes);
    Path file = Files.write(blobs.resolve(hex), bytes);
    return new LayerBlob("sha256:" + hex, "sha256:" + hex, bytes.length, file);
  }

  /** Swaps the files of the two keys, as a copy into the wrong place would. */
  private void swap(String prefix, String suffix) throws IOException {
    Path first = records.resolve(prefix + FIRST.get() + suffix);
    Path second = records.resolve(prefix + SECOND.get() + suffix);
    byte[] firstBytes = Files.readAllBytes(first);
    Files.write(first, Files.readAllBytes(second));
    Files.write(second, firstBytes);
  }

  @Test
  void layerRecordOfAnotherKeyIsIgnored() throws IOException {
    OsLayerCache cache = new OsLayerCache(records, blobs);
    cache.storeLayer(FIRST, blob("first layer"));
    cache.storeLayer(SECOND, blob("second layer"));
    assertTrue(cache.findLayer(FIRST).isPresent());

    swap("os-layer-", ".properties");

    assertTrue(cache.findLayer(FIRST).isEmpty(), "the first key took the second key's layer");
    assertTrue(cache.findLayer(SECOND).isEmpty(), "the second key took the first key's layer");
  }

  @Test
  void setRecordOfAnotherKeyIsIgnored() throws IOException {
    OsLayerCache cache = new OsLayerCache(records, blobs);
    OsLayerCache.CachedLayer first = new OsLayerCache.CachedLayer("base", List.of("libc6"), blob("first set"));
    OsLayerCache.CachedLayer second = new OsLayerCache.CachedLayer("base", List.of("libc6"), blob("second set"));
    cache.storeSet(FIRST, List.of(first), List.of("root"));
    cache.storeSet(SECOND, List.of(second), List.of("root"));
    assertTrue(cache.findSet(FIRST).isPresent());

    swap("packages-", ".properties");

    assertTrue(cache.findSet(FIRST).isEmpty(), "the first key took the second key's layers");
    assertTrue(cache.findSet(SECOND).isEmpty(), "the second key took the first key's layers");
  }

  @Test
  void contentsOfAnotherKeyAreIgnored() throws IOException {
    OsLayerCache cache = new OsLayerCache(records, blobs);
    cache.storeContents(FIRST, "first listing".getBytes(StandardCharsets.UTF_8));
    cache.storeContents(SECOND, "second listing".getBytes(StandardCharsets.UTF_8));
    assertEquals("first listing", new String(cache.findContents(FIRST).orElseThrow(), StandardCharsets.UTF_8));

    swap("contents-", ".bin");

    assertTrue(cache.findContents(FIRST).isEmpty(), "the first key took the second key's listing");
    assertTrue(cache.findContents(SECOND).isEmpty(), "the second key took the first key's listing");
  }
}
