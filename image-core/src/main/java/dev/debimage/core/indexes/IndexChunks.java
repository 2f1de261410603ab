package dev.debimage.core.indexes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an uncompressed Packages index into byte ranges that start and end at stanza boundaries,
 * so that several threads can parse one large index. A range ends right after an empty line
 * ({@code "\n\n"}), and a deb822 parser that starts after an empty line is in the same state as
 * one that read everything before it, so parsing the ranges one after another yields the same
 * stanzas as parsing the whole file.
 */
final class IndexChunks {

  private IndexChunks() {}

  /**
   * Maps {@code file} read-only and returns up to {@code count} stanza-aligned ranges that cover
   * it in order. Returns one range when the file is too small to be worth splitting or has no
   * empty line near a split point.
   */
  static List<ByteBuffer> split(Path file, int count, long minimumChunkBytes) throws IOException {
    MappedByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("index " + file + " has " + size + " bytes, more than one mapping can hold");
      }
      mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
    int size = mapped.capacity();
    int chunks = (int) Math.max(1, Math.min(count, size / Math.max(1, minimumChunkBytes)));
    List<ByteBuffer> ranges = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < chunks && start < size; i++) {
      int end = boundaryAfter(mapped, Math.max(start, (int) ((long) size * i / chunks)));
      if (end < 0) {
        break;
      }
      ranges.add(mapped.slice(start, end - start));
      start = end;
    }
    if (start < size || ranges.isEmpty()) {
      ranges.add(mapped.slice(start, size - start));
    }
    return ranges;
  }

  /** Returns the position just after the first {@code "\n\n"} at or after {@code from}, or -1. */
  private static int boundaryAfter(ByteBuffer buffer, int from) {
    int limit = buffer.capacity();
    for (int i = Math.max(from, 1); i < limit; i++) {
      if (buffer.get(i) == '\n' && buffer.get(i - 1) == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Returns a stream over the remaining bytes of {@code buffer}; reading advances a duplicate. */
  static InputStream stream(ByteBuffer buffer) {
    ByteBuffer source = buffer.duplicate();
    return new InputStream() {
      @Override
      public int read() {
        return source.hasRemaining() ? source.get() & 0xff : -1;
      }

      @Override
      public int read(byte[] target, int offset, int length) {
        if (length == 0) {
          return 0;
        }
        if (!source.hasRemaining()) {
          return -1;
        }
        int count = Math.min(length, source.remaining());
        source.get(target, offset, count);
        return count;
      }

      @Override
      public int available() {
        return source.remaining();
      }
    };
  }
}
