package dev.debimage.core.hooks;

import dev.debimage.core.assembly.FileContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file on the build host that holds, end to end, the content of every file that the scripts
 * wrote, so that the layer writer streams it as it streams the packages' data tars and memory
 * stays bounded. Closing deletes the file.
 */
final class ContentSpill implements AutoCloseable {

  private final Path file;
  private final OutputStream out;
  private long size;

  ContentSpill(Path file) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Appends the content of {@code source} and returns where the layer writer finds it. */
  FileContent append(Path source) throws IOException {
    long offset = size;
    long copied = Files.copy(source, out);
    size += copied;
    return new FileContent.TarSlice(file, offset, copied);
  }

  /** Flushes what was appended so that readers see it. Call it before the content is read. */
  void finishWriting() throws IOException {
    out.close();
  }

  /** Returns the number of bytes held. */
  long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    out.close();
    Files.deleteIfExists(file);
  }
}
