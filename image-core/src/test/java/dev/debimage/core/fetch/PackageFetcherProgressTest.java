package dev.debimage.core.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debimage.core.BuildListener;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.testarchive.ArchiveServer;
import dev.debimage.core.testarchive.TestArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageFetcherProgressTest {

  @TempDir Path work;

  /** Records download events and drops messages. */
  private static final class RecordingListener implements BuildListener {
    final List<DownloadProgress> events = new ArrayList<>();

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}

    @Override
    public void downloaded(DownloadProgress progress) {
      events.add(progress);
    }
  }

  @Test
  void progressCountsOnlyDownloads() throws Exception {
    TestKey key = TestKey.generate("Test Archive <archive@example.org>");
    TestArchive archive = TestArchive.builder(key).addAll(TestArchive.samplePackages()).write(work.resolve("archive"));
    try (ArchiveServer server = ArchiveServer.start(archive.root())) {
      DownloadCache cache = new DownloadCache(work.resolve("cache"), new HttpDownloader(BuildListener.NONE), false);
      List<BinaryPackage> packages = new IndexLoader(cache, BuildListener.NONE)
          .load(List.of(archive.source(server.uri(), key)), TestArchive.ARCHITECTURE)
          .packages();
      assertEquals(4, packages.size());
      long totalBytes = packages.stream().mapToLong(BinaryPackage::size).sum();
      new PackageFetcher(cache, BuildListener.NONE).fetch(packages.subList(0, 1));

      RecordingListener listener = new RecordingListener();
      new PackageFetcher(cache, listener).fetch(packages);

      assertEquals(3, listener.events.size());
      long expectedBytes = 0;
      for (int i = 0; i < 3; i++) {
        BuildListener.DownloadProgress event = listener.events.get(i);
        BinaryPackage pkg = packages.get(i + 1);
        expectedBytes += pkg.size();
        assertEquals(pkg.debUri(), event.file());
        assertEquals(pkg.size(), event.bytes());
        assertEquals(i + 1, event.completedFiles());
        assertEquals(3, event.totalFiles());
        assertEquals(expectedBytes, event.completedBytes());
        assertEquals(totalBytes - packages.get(0).size(), event.totalBytes());
      }

      RecordingListener second = new RecordingListener();
      new PackageFetcher(cache, second).fetch(packages);
      assertEquals(List.of(), second.events);
    }
  }
}
