package dev.debimage.maven;

import dev.debimage.core.BuildListener;
import org.apache.maven.plugin.logging.Log;

/**
 * Sends build events to Maven's log. Each download gets a debug line, and every
 * {@value #FILES_PER_PROGRESS_LINE}th download and the last one of a batch get an info line with
 * the totals, so a large first build shows progress without one line per package.
 */
final class MavenLogListener implements BuildListener {

  /** Downloads between two info lines about download progress. */
  static final int FILES_PER_PROGRESS_LINE = 10;

  private final Log log;

  MavenLogListener(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    log.debug(message);
  }

  @Override
  public void downloaded(DownloadProgress progress) {
    if (log.isDebugEnabled()) {
      log.debug("Downloaded " + progress.file() + " (" + megabytes(progress.bytes()) + ")");
    }
    boolean last = progress.completedFiles() == progress.totalFiles();
    if (last || progress.completedFiles() % FILES_PER_PROGRESS_LINE == 0) {
      log.info("Downloaded " + progress.completedFiles() + " of " + progress.totalFiles() + " packages ("
          + megabytes(progress.completedBytes()) + " of " + megabytes(progress.totalBytes()) + ")");
    }
  }

  private static String megabytes(long bytes) {
    return BuildMojo.humanSize(bytes);
  }
}
