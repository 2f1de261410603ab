package dev.debimage.core.layers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one gzip member whose deflate stream is compressed in fixed-size blocks on several threads.
 *
 * <p>The uncompressed bytes are cut every {@link #BLOCK_SIZE} bytes. Each block is deflated on its
 * own with the last 32 KiB of the previous block as preset dictionary and ends with a sync flush,
 * and the last block ends the stream. Since the cuts depend only on the byte offsets, the output is
 * the same for any thread count and timing. The header has no file name and modification time 0.
 */
public final class ParallelGzipOutputStream extends OutputStream {

  /** The uncompressed size of one block. */
  public static final int BLOCK_SIZE = 1 << 20;

  private static final int DICTIONARY_SIZE = 32 * 1024;
  // ID1, ID2, CM=deflate, FLG=0, MTIME=0, XFL=0, OS=255 (unknown).
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final OutputStream out;
  private final int level;
  private final ExecutorService pool;
  private final int maxPendingBlocks;
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private long totalSize;
  private byte[] previousBlock;
  private byte[] block = new byte[BLOCK_SIZE];
  private int blockLength;
  private boolean closed;

  /** Compresses at the default level on one thread per available processor. */
  public ParallelGzipOutputStream(OutputStream out) throws IOException {
    this(out, Deflater.DEFAULT_COMPRESSION, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Compresses at {@code level} (0 to 9, or {@link Deflater#DEFAULT_COMPRESSION}) on {@code threads}
   * threads, which end when the stream is closed. Writes the gzip header at once.
   */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    if (level != Deflater.DEFAULT_COMPRESSION && (level < 0 || level > 9)) {
      throw new IllegalArgumentException("invalid deflate level " + level + "; use 0 to 9 or -1");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("invalid thread count " + threads + "; use 1 or more");
    }
    this.level = level;
    out.write(HEADER);
    int poolNumber = POOL_NUMBER.incrementAndGet();
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, "gzip-" + poolNumber + "-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.pool = Executors.newFixedThreadPool(threads, factory);
    // Enough blocks in flight to keep every thread busy while the oldest one is written out.
    this.maxPendingBlocks = 2 * threads;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (closed) {
      throw new IOException("write to a closed gzip stream");
    }
    crc.update(bytes, offset, length);
    totalSize += length;
    while (length > 0) {
      int count = Math.min(length, BLOCK_SIZE - blockLength);
      System.arraycopy(bytes, offset, block, blockLength, count);
      blockLength += count;
      offset += count;
      length -= count;
      if (blockLength == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /** Writes the finished blocks; the open block stays buffered because its cut is fixed. */
  @Override
  public void flush() throws IOException {
    writeDoneBlocks();
    out.flush();
  }

  /** Compresses the last block, writes the gzip trailer and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream target = out) {
      submit(true);
      while (!pending.isEmpty()) {
        writeOldestBlock();
      }
      writeIntLittleEndian(target, (int) crc.getValue());
      writeIntLittleEndian(target, (int) totalSize);
    } finally {
      pool.shutdownNow();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = blockLength;
    byte[] dictionarySource = previousBlock;
    pending.add(pool.submit(() -> deflate(data, length, dictionarySource, last)));
    previousBlock = data;
    block = last ? null : new byte[BLOCK_SIZE];
    blockLength = 0;
    while (pending.size() >= maxPendingBlocks) {
      writeOldestBlock();
    }
    writeDoneBlocks();
  }

  private void writeDoneBlocks() throws IOException {
    while (!pending.isEmpty() && pending.peek().isDone()) {
      writeOldestBlock();
    }
  }

  private void writeOldestBlock() throws IOException {
    try {
      out.write(pending.remove().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing a layer");
    } catch (ExecutionException e) {
      throw new IOException("failed to compress a block: " + e.getCause(), e.getCause());
    }
  }

  private byte[] deflate(byte[] data, int length, byte[] dictionarySource, boolean last) {
    Deflater deflater = new Deflater(level, true);
    try {
      if (dictionarySource != null) {
        // Every block before the last is full, so the previous block has at least 32 KiB.
        deflater.setDictionary(dictionarySource, BLOCK_SIZE - DICTIONARY_SIZE, DICTIONARY_SIZE);
      }
      deflater.setInput(data, 0, length);
      ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buffer = new byte[64 * 1024];
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          int n = deflater.deflate(buffer);
          compressed.write(buffer, 0, n);
        }
      } else {
        // SYNC_FLUSH ends the block on a byte boundary with an empty stored block, so the next
        // block's bytes can follow directly. A full buffer means more output may be pending.
        int n;
        do {
          n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
          compressed.write(buffer, 0, n);
        } while (n == buffer.length);
      }
      return compressed.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void writeIntLittleEndian(OutputStream target, int value) throws IOException {
    target.write(value & 0xff);
    target.write((value >>> 8) & 0xff);
    target.write((value >>> 16) & 0xff);
    target.write((value >>> 24) & 0xff);
  }
}
