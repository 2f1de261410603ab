package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Measures {@link IndexLoader#load} on the host's apt sources from a warm cache: wall time and CPU
 * time (of the loading thread and of the whole JVM) of each run, and the heap still used after a
 * full GC while the loaded packages are alive. Run it with {@code java -cp CLASSPATH
 * dev.debimage.core.indexes.IndexLoadBenchmark [RUNS [SUITE...]]} after one online build has
 * filled the cache; it reads the cache offline unless the system property {@code
 * debimage.benchmark.online} is true. With suites named, it reads only those suites, component
 * main, from the URI of the host's first apt source.
 */
public final class IndexLoadBenchmark {

  private IndexLoadBenchmark() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<SourceSpec> sources = HostAptSources.readHost();
    if (args.length > 1) {
      List<String> suites = List.of(args).subList(1, args.length);
      sources = List.of(new SourceSpec(
          sources.get(0).uris(), suites, List.of("main"), List.of(), Optional.empty(), "IndexLoadBenchmark"));
    }
    // With -Ddebimage.benchmark.online=true, each run also refreshes the Release files with
    // conditional requests, as a warm online build does.
    boolean online = Boolean.getBoolean("debimage.benchmark.online");
    DownloadCache cache = new DownloadCache(
        ImageSpec.defaultCacheDirectory(), new HttpDownloader(BuildListener.NONE), !online);
    IndexLoader loader = new IndexLoader(cache, BuildListener.NONE);
    IndexLoader.Universe universe = null;
    for (int run = 1; run <= runs; run++) {
      universe = null;
      System.gc();
      long start = System.nanoTime();
      long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long processCpuStart = processCpuNanos();
      universe = loader.load(sources, "amd64");
      long cpuMillis = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
      long millis = (System.nanoTime() - start) / 1_000_000;
      long processCpuMillis = (processCpuNanos() - processCpuStart) / 1_000_000;
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf(
          "run %d: %d packages in %d ms (CPU: %d ms this thread, %d ms the process), %d MB heap used after GC%n",
          run, universe.packages().size(), millis, cpuMillis, processCpuMillis, used >> 20);
    }
  }

  /** Returns the CPU time of the whole JVM, garbage collector threads included. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
