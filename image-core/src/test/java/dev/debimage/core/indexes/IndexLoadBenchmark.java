package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures {@link IndexLoader#load} on the host's apt sources from a warm cache: wall time and CPU
 * time (of the loading thread and of the whole JVM) of each run, and the heap still used after a
 * full GC while the loaded packages are alive, and after the last run the CPU time of the JVM's
 * threads, so that compilers and garbage collector show up. Run it with {@code java -cp CLASSPATH
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
    printThreadCpu();
  }

  /**
   * Prints the CPU time that the JVM's live threads have used since it started, summed by thread
   * name without its number, such as "C2 CompilerThre" or "GC Thread" (Linux truncates names to
   * 15 characters). The loader's worker threads have ended by then and are missing. Prints
   * nothing where {@code /proc/self/task} does not exist.
   */
  private static void printThreadCpu() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    // USER_HZ, the unit of utime and stime, is 100 on x86 and most other Linux platforms.
    long ticksPerSecond = 100;
    Map<String, Long> millisByName = new TreeMap<>();
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        String stat = Files.readString(thread.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("#?\\d+$", "");
        // After the name come the state (field 3) and 10 more fields, then utime and stime.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        millisByName.merge(name, ticks * 1000 / ticksPerSecond, Long::sum);
      }
    } catch (IOException e) {
      System.out.println("CPU time by thread not available: " + e);
      return;
    }
    millisByName.values().removeIf(millis -> millis == 0);
    System.out.println("CPU time by thread since the JVM started, in ms: " + millisByName);
  }

  /** Returns the CPU time of the whole JVM, garbage collector threads included. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
