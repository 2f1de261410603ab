package dev.debimage.core.layers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Measures GZIPOutputStream against ParallelGzipOutputStream on one tar file. It is run by hand,
 * as docs/benchmarks.md describes.
 */
public final class GzipThroughput {

  private GzipThroughput() {}

  /** Compresses the file named by {@code args[0]} three times with each stream and prints MB/s. */
  public static void main(String[] args) throws IOException {
    byte[] tar = Files.readAllBytes(Path.of(args[0]));
    int threads = Runtime.getRuntime().availableProcessors();
    for (int round = 1; round <= 3; round++) {
      measure("GZIPOutputStream, 1 thread", tar, () -> new GZIPOutputStream(OutputStream.nullOutputStream(), 1 << 16));
      measure("ParallelGzipOutputStream, 1 thread", tar,
          () -> new ParallelGzipOutputStream(OutputStream.nullOutputStream(), Deflater.DEFAULT_COMPRESSION, 1));
      measure("ParallelGzipOutputStream, " + threads + " threads", tar,
          () -> new ParallelGzipOutputStream(OutputStream.nullOutputStream(), Deflater.DEFAULT_COMPRESSION, threads));
    }
  }

  private interface StreamFactory {
    OutputStream open() throws IOException;
  }

  /**
   * Compresses {@code tar} once and prints the wall time, the throughput and the CPU time of the
   * whole JVM. On a machine that other processes load, the CPU time is the steadier figure.
   */
  private static void measure(String name, byte[] tar, StreamFactory factory) throws IOException {
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    try (OutputStream out = factory.open(); InputStream in = new ByteArrayInputStream(tar)) {
      in.transferTo(out);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.printf("%-40s %6.2f s %7.1f MB/s  CPU %6.2f s%n", name, seconds, tar.length / 1e6 / seconds, cpuSeconds);
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean system = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return system instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getProcessCpuTime() : 0;
  }
}
