package dev.debimage.core.layers;

import com.github.luben.zstd.ZstdOutputStream;
import dev.debimage.core.ImageBuildException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The compression of layer blobs, with the OCI media type each one gives a layer. */
public enum LayerCompression {
  /** gzip in fixed blocks on all cores, readable by every OCI and Docker runtime. */
  GZIP("gzip", "application/vnd.oci.image.layer.v1.tar+gzip"),
  /** Zstandard at level 3 on all cores: smaller and faster to read, but not readable everywhere. */
  ZSTD("zstd", "application/vnd.oci.image.layer.v1.tar+zstd");

  /** The Zstandard level: the zstd tool's default, which balances speed and size. */
  static final int ZSTD_LEVEL = 3;

  private final String configName;
  private final String mediaType;

  LayerCompression(String configName, String mediaType) {
    this.configName = configName;
    this.mediaType = mediaType;
  }

  /** Returns the name used in the configuration: {@code gzip} or {@code zstd}. */
  public String configName() {
    return configName;
  }

  /** Returns the OCI media type of a layer compressed this way. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * Parses a configured value, ignoring case.
   *
   * @throws ImageBuildException if the value is neither {@code gzip} nor {@code zstd}
   */
  public static LayerCompression parse(String value) {
    String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (LayerCompression compression : values()) {
      if (compression.configName.equals(name)) {
        return compression;
      }
    }
    throw new ImageBuildException(
        "invalid layer compression '" + value + "': use gzip or zstd");
  }

  /**
   * Opens a stream that compresses into {@code out} on one thread per available processor and
   * closes {@code out} when closed. Equal input gives equal output whatever the thread count.
   */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, Runtime.getRuntime().availableProcessors());
  }

  /** Opens a compressing stream like {@link #compress(OutputStream)} on {@code threads} threads. */
  public OutputStream compress(OutputStream out, int threads) throws IOException {
    if (this == GZIP) {
      return new ParallelGzipOutputStream(out, java.util.zip.Deflater.DEFAULT_COMPRESSION, threads);
    }
    // In multithreaded mode (one worker or more), zstd 1.5.7 gives the same output for any
    // worker count, as LayerCompressionTest checks. A flush would end a job at a point that
    // depends on the caller, so flushes stop here.
    ZstdOutputStream zstd = new ZstdOutputStream(out, ZSTD_LEVEL);
    zstd.setWorkers(threads);
    zstd.setChecksum(true);
    return new FlushIgnoringStream(new BufferedOutputStream(zstd, 1 << 16));
  }

  /** Passes writes on but drops {@link #flush()}, so callers cannot move compression boundaries. */
  private static final class FlushIgnoringStream extends FilterOutputStream {
    FlushIgnoringStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void flush() {}
  }
}
