package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.hooks.DirectoryWriter.DiskStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;

/**
 * Waits until the file system's clock has moved past the change time of every written path.
 * The kernel stamps inode changes with a coarse clock, so a script that rewrote a file in the
 * same tick as the writer could otherwise leave its change time equal to the recorded one.
 */
final class ChangeFence {

  /** The maximum wait. Coarse kernel clocks tick every few milliseconds, so it is rarely reached. */
  private static final long MAX_WAIT_MILLIS = 5_000;

  private ChangeFence() {}

  /** Touches {@code marker}, a file on the same file system, until its change time is later. */
  static void pass(Path marker, Collection<DiskStamp> written) {
    FileTime latest = FileTime.fromMillis(0);
    for (DiskStamp stamp : written) {
      if (stamp.changeTime().compareTo(latest) > 0) {
        latest = stamp.changeTime();
      }
    }
    long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
    try {
      while (true) {
        Files.write(marker, new byte[] {1});
        FileTime now = (FileTime) Files.getAttribute(marker, "unix:ctime");
        if (now.compareTo(latest) > 0) {
          Files.delete(marker);
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new ImageBuildException(
              "the change time of " + marker + " stayed at or before " + latest + " for "
                  + MAX_WAIT_MILLIS + " ms: the file system's clock does not advance, so changes"
                  + " by the scripts cannot be detected");
        }
        Thread.sleep(1);
      }
    } catch (IOException e) {
      throw new ImageBuildException("failed to write the marker file " + marker + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while waiting for the file system clock", e);
    }
  }
}
