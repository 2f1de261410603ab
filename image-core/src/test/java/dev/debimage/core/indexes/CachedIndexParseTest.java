package dev.debimage.core.indexes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.debimage.core.BuildListener;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.MissingFromCacheException;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.sources.SignatureVerifier;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parses the whole bookworm main amd64 Packages index from the per-user cache with the byte-level
 * and the Reader-based deb822 parser and compares every stanza, field by field. Skipped unless an
 * earlier build on this machine cached that index uncompressed, from the host's first apt source.
 * Reads the cache offline and never downloads.
 */
class CachedIndexParseTest {

  private static final String INDEX = "main/binary-amd64/Packages";

  @Test
  void bookwormIndexMatchesReaderParser() throws IOException {
    Path index = cachedIndex("bookworm");
    List<List<Map.Entry<String, String>>> expected = new ArrayList<>();
    try (InputStreamReader reader = new InputStreamReader(Files.newInputStream(index), StandardCharsets.UTF_8)) {
      Deb822.parse(reader, index.toString(), stanza -> expected.add(fields(stanza)));
    }
    assertTrue(expected.size() > 50_000, "the bookworm index has only " + expected.size() + " stanzas");

    List<ByteBuffer> whole = IndexChunks.split(index, 1, Long.MAX_VALUE);
    assertEquals(1, whole.size());
    assertMatches(expected, List.of(whole.get(0)), index);

    List<ByteBuffer> ranges = IndexChunks.split(index, 3, 1 << 20);
    assertEquals(3, ranges.size());
    assertMatches(expected, ranges, index);
  }

  /** Parses the ranges in order with the byte-level parser and compares each stanza with {@code expected}. */
  private static void assertMatches(List<List<Map.Entry<String, String>>> expected, List<ByteBuffer> ranges, Path index) {
    int[] next = {0};
    for (ByteBuffer range : ranges) {
      Deb822.parse(range, index.toString(), stanza -> {
        int number = next[0]++;
        assertTrue(number < expected.size(), "the byte-level parser returned more than " + expected.size() + " stanzas");
        assertEquals(expected.get(number), fields(stanza), "stanza " + (number + 1));
      });
    }
    assertEquals(expected.size(), next[0]);
  }

  private static List<Map.Entry<String, String>> fields(Stanza stanza) {
    return List.copyOf(stanza.fields().entrySet());
  }

  /** Returns the cached, uncompressed index of {@code suite}, or skips the test when it is not cached. */
  private static Path cachedIndex(String suite) {
    List<SourceSpec> sources = HostAptSources.readHost();
    assumeTrue(!sources.isEmpty(), "no apt source on this machine");
    String root = sources.get(0).uris().get(0).toString().replaceAll("/+$", "");
    URI inRelease = URI.create(root + "/dists/" + suite + "/InRelease");
    DownloadCache cache = new DownloadCache(
        ImageSpec.defaultCacheDirectory(), new HttpDownloader(BuildListener.NONE), true);
    Optional<Path> cachedRelease;
    try {
      cachedRelease = cache.fetchRelease(inRelease);
    } catch (MissingFromCacheException e) {
      cachedRelease = Optional.empty();
    }
    assumeTrue(cachedRelease.isPresent(), inRelease + " is not in the cache");
    // The Release file only locates the index here, and the cache checks the index by its SHA256.
    String text;
    try {
      text = SignatureVerifier.unverifiedClearsignedText(Files.readAllBytes(cachedRelease.get()), inRelease.toString());
    } catch (IOException e) {
      throw new AssertionError("failed to read " + cachedRelease.get(), e);
    }
    Optional<ReleaseFile.IndexFile> entry = ReleaseFile.parse(text, inRelease.toString()).sha256(INDEX);
    assumeTrue(entry.isPresent(), inRelease + " lists no " + INDEX);
    Optional<Path> index = cache.find(entry.get().sha256(), entry.get().size());
    assumeTrue(index.isPresent(), "the uncompressed " + INDEX + " of " + suite + " is not in the cache");
    return index.get();
  }
}
