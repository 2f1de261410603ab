package dev.debimage.core.assembly;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The bytes of a regular file: a range of an uncompressed data tar, or bytes the build made. */
public sealed interface FileContent permits FileContent.TarSlice, FileContent.Bytes {

  /** Returns the content length in bytes. */
  long size();

  /** Opens a stream over the content; the caller closes it. */
  InputStream open() throws IOException;

  /** Reads the whole content into memory; meant for small files such as configuration files. */
  default byte[] readAllBytes() throws IOException {
    try (InputStream in = open()) {
      return in.readAllBytes();
    }
  }

  /**
   * A range of a data tar in the extraction cache.
   *
   * @param tar the uncompressed data tar
   * @param offset where the content starts in {@code tar}
   * @param size the content length
   */
  record TarSlice(Path tar, long offset, long size) implements FileContent {

    @Override
    public InputStream open() throws IOException {
      FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ);
      channel.position(offset);
      InputStream whole = Channels.newInputStream(channel);
      return new FilterInputStream(whole) {
        private long remaining = size;

        @Override
        public int read() throws IOException {
          if (remaining <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            remaining--;
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
          if (remaining <= 0) {
            return -1;
          }
          int n = super.read(buffer, off, (int) Math.min(len, remaining));
          if (n > 0) {
            remaining -= n;
          }
          return n;
        }
      };
    }
  }

  /** Content the build generated, such as {@code /etc/passwd}. */
  record Bytes(byte[] data) implements FileContent {

    public Bytes {
      data = data.clone();
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(data);
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes && Arrays.equals(data, ((Bytes) other).data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Bytes[" + data.length + " bytes]";
    }
  }
}
